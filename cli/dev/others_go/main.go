// Go's golang.org/x/crypto/ssh (Debian's golang-golang-x-crypto-dev 0.4.0) as an SSH client or server for
// cli/dev/record-others.ts. It writes no key log: the engine on the other side does. Built with GO111MODULE=off and
// GOPATH=/usr/share/gocode (the Debian package's sources), by cli/dev/others-peers.ts.
//
//	others_go server PASSWORD HOSTKEY ALGORITHMS
//	  Serves one connection on a free loopback port (prints `listening PORT`): password login, one session channel
//	  at a time, exec answering `echo WORDS` and `exit N` joined by `;` (RFC 4254 §6.5, §6.10).
//	others_go client PORT PASSWORD ALGORITHMS COMMAND...
//	  One exec per command; prints `output HEX` and `status N` per command, then `done`.
//
// ALGORITHMS is `-` or `kex=a,b;cipher=c;mac=d;public_key=e`; HOSTKEY is ed25519, ecdsa or rsa.
package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
)

func main() {
	if len(os.Args) < 5 {
		fail(errors.New("usage: others_go server PASSWORD HOSTKEY ALGORITHMS | client PORT PASSWORD ALGORITHMS COMMAND..."))
	}
	var err error
	if os.Args[1] == "server" {
		err = serve(os.Args[2], os.Args[3], algorithms(os.Args[4]))
	} else {
		err = client(os.Args[2], os.Args[3], algorithms(os.Args[4]), os.Args[5:])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "others_go:", err)
	os.Exit(1)
}

func algorithms(text string) map[string][]string {
	out := map[string][]string{}
	if text == "-" {
		return out
	}
	for _, slot := range strings.Split(text, ";") {
		if name, list, ok := strings.Cut(slot, "="); ok {
			out[name] = strings.Split(list, ",")
		}
	}
	return out
}

func config(a map[string][]string) ssh.Config {
	return ssh.Config{KeyExchanges: a["kex"], Ciphers: a["cipher"], MACs: a["mac"]}
}

func client(port, password string, a map[string][]string, commands []string) error {
	conf := &ssh.ClientConfig{
		User: "root", Auth: []ssh.AuthMethod{ssh.Password(password)}, Config: config(a),
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), HostKeyAlgorithms: a["public_key"],
	}
	conn, err := ssh.Dial("tcp", "127.0.0.1:"+port, conf)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, command := range commands {
		session, err := conn.NewSession()
		if err != nil {
			return err
		}
		out, err := session.Output(command)
		status := 0
		var exit *ssh.ExitError
		if errors.As(err, &exit) {
			status = exit.ExitStatus()
		} else if err != nil {
			return err
		}
		fmt.Printf("output %s\nstatus %d\n", hex.EncodeToString(out), status)
	}
	fmt.Println("done")
	return nil
}

func hostKey(kind string) (ssh.Signer, error) {
	switch kind {
	case "ecdsa":
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		return ssh.NewSignerFromKey(key)
	case "rsa":
		key, _ := rsa.GenerateKey(rand.Reader, 2048)
		return ssh.NewSignerFromKey(key)
	default:
		_, key, _ := ed25519.GenerateKey(rand.Reader)
		return ssh.NewSignerFromKey(key)
	}
}

func serve(password, kind string, a map[string][]string) error {
	conf := &ssh.ServerConfig{
		Config: config(a),
		PasswordCallback: func(c ssh.ConnMetadata, p []byte) (*ssh.Permissions, error) {
			if string(p) == password {
				return nil, nil
			}
			return nil, errors.New("wrong password")
		},
	}
	signer, err := hostKey(kind)
	if err != nil {
		return err
	}
	conf.AddHostKey(signer)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("listening %d\n", listener.Addr().(*net.TCPAddr).Port)
	socket, err := listener.Accept()
	if err != nil {
		return err
	}
	conn, channels, requests, err := ssh.NewServerConn(socket, conf)
	if err != nil {
		return err
	}
	go ssh.DiscardRequests(requests)
	for newChannel := range channels {
		if newChannel.ChannelType() != "session" {
			newChannel.Reject(ssh.UnknownChannelType, "only session channels here")
			continue
		}
		channel, channelRequests, err := newChannel.Accept()
		if err != nil {
			return err
		}
		go session(channel, channelRequests)
	}
	return conn.Wait()
}

func session(channel ssh.Channel, requests <-chan *ssh.Request) {
	for request := range requests {
		if request.Type != "exec" || len(request.Payload) < 4 {
			request.Reply(false, nil)
			continue
		}
		request.Reply(true, nil)
		command := string(request.Payload[4:])
		status := 0
		for _, part := range strings.Split(command, ";") {
			part = strings.TrimSpace(part)
			if strings.HasPrefix(part, "echo ") {
				channel.Write([]byte(part[5:] + "\n"))
			} else if strings.HasPrefix(part, "exit ") {
				status, _ = strconv.Atoi(part[5:])
				break
			}
		}
		payload := make([]byte, 4)
		binary.BigEndian.PutUint32(payload, uint32(status))
		channel.SendRequest("exit-status", false, payload)
		channel.CloseWrite()
		channel.Close()
		return
	}
}
