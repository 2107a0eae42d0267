"""
Twisted Conch (Debian's python3-twisted 22.4) as an SSH client or server for cli/dev/others_peer.py --lib conch,
instrumented for a Wireshark key log like the other Python peers.

Where the secret is taken (read in Twisted's installed source, twisted/conch/ssh/transport.py): every kex method
ends in SSHTransportBase._keySetup(sharedSecret, exchangeHash), with K already encoded as an SSH mpint (RFC 4251 §5);
the own KEXINIT is ourKexInitPayload (message number byte, then the 16-byte cookie). The algorithms are Conch's own
record: kexAlg, keyAlg, nextEncryptions (SSHCiphers: out and in cipher, out and in MAC) and the compression types,
"out" being client to server on the client and server to client on the server.
"""
import json
import os


def hook_conch(log_secret):
    from twisted.conch.ssh import transport
    original = transport.SSHTransportBase._keySetup

    def key_setup(self, shared_secret, exchange_hash):
        k = int.from_bytes(shared_secret[4:], 'big')
        e = self.nextEncryptions
        text = lambda b: b.decode() if isinstance(b, bytes) else b
        cs = (e.outCipType, e.outMACType) if self.isClient else (e.inCipType, e.inMACType)
        sc = (e.inCipType, e.inMACType) if self.isClient else (e.outCipType, e.outMACType)
        comp_cs, comp_sc = (self.outgoingCompressionType, self.incomingCompressionType) if self.isClient \
            else (self.incomingCompressionType, self.outgoingCompressionType)
        log_secret(self.ourKexInitPayload[1:17], k, {
            'kex': text(self.kexAlg), 'hostKey': text(self.keyAlg),
            'cipherClientToServer': text(cs[0]), 'cipherServerToClient': text(sc[0]),
            'macClientToServer': text(cs[1]), 'macServerToClient': text(sc[1]),
            'compressionClientToServer': text(comp_cs), 'compressionServerToClient': text(comp_sc),
        })
        return original(self, shared_secret, exchange_hash)
    transport.SSHTransportBase._keySetup = key_setup


def restrict(cls, o):
    """Conch has no per-connection algorithm options: a subclass's class attributes say what it offers."""
    if o.kex: cls.supportedKeyExchanges = [a.encode() for a in o.kex]
    if o.cipher: cls.supportedCiphers = [a.encode() for a in o.cipher]
    if o.mac: cls.supportedMACs = [a.encode() for a in o.mac]
    if o.host_key_alg: cls.supportedPublicKeys = [a.encode() for a in o.host_key_alg]
    if o.compression: cls.supportedCompressions = [a.encode() for a in o.compression]


def conch_client(o, kexes):
    """Password or public-key login, one exec per command (a rekey before the second with --rekey)."""
    from twisted.internet import reactor, defer, protocol
    from twisted.conch.ssh import transport, userauth, connection, channel, common, keys
    import twisted
    outputs, statuses, failure = [], [], []

    class Session(channel.SSHChannel):
        name = b'session'

        def __init__(self, command, **kw):
            super().__init__(**kw)
            self.command, self.data, self.status = command, b'', None

        def channelOpen(self, _):
            d = self.conn.sendRequest(self, b'exec', common.NS(self.command.encode()), wantReply=True)
            d.addCallback(lambda _: self.conn.sendEOF(self))

        def dataReceived(self, data):
            self.data += data

        def request_exit_status(self, data):
            self.status = int.from_bytes(data[:4], 'big')

        def closed(self):
            outputs.append(self.data.decode('latin1'))
            statuses.append(self.status)
            self.conn.next_command()

    class Connection(connection.SSHConnection):
        def serviceStarted(self):
            self.index = 0
            self.next_command()

        def next_command(self):
            if self.index >= len(o.command):
                self.transport.loseConnection()
                return
            if o.rekey and self.index == 1 and len(kexes) == 1:
                self.transport.sendKexInit()
                reactor.callLater(0.05, self.await_rekey)
                return
            command = o.command[self.index]
            self.index += 1
            self.openChannel(Session(command, conn=self))

        def await_rekey(self):
            if len(kexes) > 1 and self.transport._keyExchangeState == self.transport._KEY_EXCHANGE_NONE:
                self.next_command()
            else:
                reactor.callLater(0.02, self.await_rekey)

    class Auth(userauth.SSHUserAuthClient):
        preferredOrder = [b'publickey'] if o.key else [b'password']

        def getPassword(self, prompt=None):
            return defer.succeed(o.password.encode())

        def getPublicKey(self):
            return keys.Key.fromFile(o.key).public() if o.key and self.lastPublicKey is None else None

        def getPrivateKey(self):
            return defer.succeed(keys.Key.fromFile(o.key))

    class Client(transport.SSHClientTransport):
        def verifyHostKey(self, host_key, fingerprint):
            return defer.succeed(True)

        def connectionSecure(self):
            self.requestService(Auth(o.user.encode(), Connection()))

        def receiveError(self, reason, desc):
            failure.append('disconnect %d: %s' % (reason, desc))

        def connectionLost(self, reason):
            super().connectionLost(reason)
            if reactor.running: reactor.stop()

    restrict(Client, o)
    factory = protocol.ClientFactory()
    factory.protocol = Client
    factory.clientConnectionFailed = lambda _, reason: (failure.append(str(reason)), reactor.stop())
    reactor.connectTCP(o.host, o.port, factory)
    reactor.callLater(30, lambda: (failure.append('timed out'), reactor.stop()))
    reactor.run()
    if failure and len(outputs) < len(o.command):
        raise RuntimeError('conch client: ' + '; '.join(failure))
    return {'kex': kexes, 'outputs': outputs, 'exitStatuses': statuses, 'version': 'Twisted Conch ' + twisted.__version__}


def conch_server(o, kexes):
    """Serves one connection: password login; exec runs the command under /bin/sh."""
    from twisted.internet import reactor
    from twisted.python import components
    from twisted.conch.ssh import factory, keys, session, transport
    from twisted.conch import avatar
    from twisted.cred import portal, checkers
    from zope.interface import implementer
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    import base64
    import hashlib
    import twisted
    commands = []
    makers = {
        'ssh-ed25519': ed25519.Ed25519PrivateKey.generate,
        'ssh-rsa': lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
        'ecdsa-sha2-nistp256': lambda: ec.generate_private_key(ec.SECP256R1()),
    }
    host_keys = [keys.Key(makers[t]()) for t in (o.host_key_types or ['ssh-ed25519'])]

    class Avatar(avatar.ConchUser):
        def __init__(self, name):
            super().__init__()
            self.channelLookup[b'session'] = session.SSHSession

    @implementer(portal.IRealm)
    class Realm:
        def requestAvatar(self, avatar_id, mind, *interfaces):
            return interfaces[0], Avatar(avatar_id), lambda: None

    @implementer(session.ISession)
    class Commands:
        def __init__(self, avatar):
            pass

        def execCommand(self, process, command):
            # As Conch's own UNIX sessions do: the command runs under /bin/sh, its output and exit status go back
            # through the process protocol (RFC 4254 §6.5, §6.10). Only our own clients reach this loopback server.
            commands.append(command.decode())
            reactor.spawnProcess(process, '/bin/sh', ['sh', '-c', command.decode()], env={'PATH': '/usr/bin:/bin'})

        def getPty(self, term, window_size, modes): pass
        def openShell(self, process): raise NotImplementedError('no shell here')
        def windowChanged(self, window_size): pass
        def eofReceived(self): pass
        def closed(self): pass

    components.registerAdapter(Commands, Avatar, session.ISession)

    class Server(transport.SSHServerTransport):
        def connectionLost(self, reason):
            super().connectionLost(reason)
            reactor.callLater(0.1, reactor.stop)

    restrict(Server, o)
    f = factory.SSHFactory()
    f.protocol = Server
    f.publicKeys = {k.sshType(): k.public() for k in host_keys}
    f.privateKeys = {k.sshType(): k for k in host_keys}
    if os.path.exists('/etc/ssh/moduli'):
        # Group exchange (RFC 4419) needs a list of groups to choose from; without one Conch does not offer it.
        from twisted.conch.openssh_compat import primes
        f.primes = primes.parseModuliFile('/etc/ssh/moduli')
    f.portal = portal.Portal(Realm(), [checkers.InMemoryUsernamePasswordDatabaseDontUse(**{o.user: o.password.encode()})])
    listener = reactor.listenTCP(o.port, f, interface=o.host)
    fingerprint = lambda k: 'SHA256:' + base64.b64encode(hashlib.sha256(k.public().blob()).digest()).decode().rstrip('=')
    print(json.dumps({'listening': listener.getHost().port, 'fingerprints': [fingerprint(k) for k in host_keys]}), flush=True)
    reactor.callLater(60, reactor.stop)
    reactor.run()
    return {'kex': kexes, 'commands': commands, 'version': 'Twisted Conch ' + twisted.__version__}
