#!/usr/bin/python3
"""
An SSH peer built on paramiko, AsyncSSH or Twisted Conch (Debian's python3-paramiko 2.12, python3-asyncssh 2.10,
python3-twisted 22.4; Conch's side is in others_conch.py), or libssh's or libssh2's client (no key log; libssh2's is
in others_libssh2.py), that writes a
Wireshark key log: `<cookie> SHARED_SECRET <hex K>` (one line per key exchange), the cookie being this side's own
KEXINIT cookie. Used by cli/dev/record-others.ts to record sessions between other SSH implementations.

Where the secret is taken (read in each library's installed source):
- paramiko: Transport._set_K_H(k, h) is called by every kex method with K as an int; the own KEXINIT is
  Transport.local_kex_init (message number byte, then the 16-byte cookie).
- AsyncSSH: SSHConnection.send_newkeys(k, h) is called by every kex method with K as an int; the own KEXINIT is
  _client_kexinit or _server_kexinit.

Prints JSON lines on stdout: {"listening": port} (server role, once listening), then one {"result": ...} with the
algorithms each key exchange used as the library itself recorded them, the command output and the exit status.
"""
import argparse
import asyncio
import json
import os
import socket
import sys
import warnings

warnings.filterwarnings('ignore')

kexes = []
keylog_path = None


def minimal_hex(k):
    """K as a minimal unsigned big-endian number, whole bytes (SSH-FACTS.md, key logs)."""
    text = format(k, 'x')
    return '0' + text if len(text) % 2 else text


def log_secret(cookie, k, algorithms):
    kexes.append(algorithms)
    with open(keylog_path, 'a') as f:
        f.write('%s SHARED_SECRET %s\n' % (cookie.hex(), minimal_hex(k)))


def name_lists(kexinit):
    """The ten name-lists of a KEXINIT payload (RFC 4253 §7.1), starting at the message number byte."""
    at = 17
    lists = []
    for _ in range(10):
        n = int.from_bytes(kexinit[at:at + 4], 'big')
        lists.append(kexinit[at + 4:at + 4 + n].decode().split(',') if n else [])
        at += 4 + n
    return lists


def first_common(client, server):
    return next((a for a in client if a in server), None)


def split(value):
    return [v for v in value.split(',') if v] if value else None


# ---------------------------------------------------------------- paramiko

def paramiko_client(o):
    import paramiko
    original = paramiko.Transport._set_K_H

    def set_k_h(self, k, h):
        ours = name_lists(self.local_kex_init)
        theirs = name_lists(self.remote_kex_init)
        log_secret(self.local_kex_init[1:17], k, {
            'kex': paramiko_kex_name(self, ours, theirs),
            'hostKey': first_common(ours[1], theirs[1]),
            'cipherClientToServer': self.local_cipher, 'cipherServerToClient': self.remote_cipher,
            'macClientToServer': self.local_mac, 'macServerToClient': self.remote_mac,
            'compressionClientToServer': self.local_compression, 'compressionServerToClient': self.remote_compression,
        })
        return original(self, k, h)
    paramiko.Transport._set_K_H = set_k_h

    sock = socket.create_connection((o.host, o.port))
    t = paramiko.Transport(sock)
    opts = t.get_security_options()
    if o.kex: opts.kex = o.kex
    if o.cipher: opts.ciphers = o.cipher
    if o.mac: opts.digests = o.mac
    if o.host_key_alg: opts.key_types = o.host_key_alg
    if o.compression: t.use_compression(True); opts.compression = o.compression
    t.start_client(timeout=20)
    if o.key:
        key = load_paramiko_key(paramiko, o.key)
        t.auth_publickey(o.user, key)
    else:
        t.auth_password(o.user, o.password)
    outputs = []
    statuses = []
    for i, command in enumerate(o.command):
        if o.rekey and i == 1:
            t.renegotiate_keys()
        ch = t.open_session()
        ch.exec_command(command)
        data = b''
        while True:
            chunk = ch.recv(65536)
            if not chunk: break
            data += chunk
        statuses.append(ch.recv_exit_status())
        ch.close()
        outputs.append(data.decode('latin1'))
    t.close()
    return {'kex': kexes, 'outputs': outputs, 'exitStatuses': statuses, 'version': paramiko.__version__}


def paramiko_kex_name(transport, ours, theirs):
    """The kex name paramiko chose: the _kex_info name of its kex engine's class (several names share a class)."""
    names = [n for n, cls in transport._kex_info.items() if cls is type(transport.kex_engine)]
    return names[0] if len(names) == 1 else next((n for n in names if n in ours[0] and n in theirs[0]), names[0])


def load_paramiko_key(paramiko, path):
    for cls in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
        try:
            return cls.from_private_key_file(path)
        except Exception:
            continue
    raise SystemExit('paramiko cannot read the key ' + path)


# ---------------------------------------------------------------- libssh

# enum ssh_options_e of libssh 0.10's libssh.h, in order from SSH_OPTIONS_HOST = 0.
LIBSSH = {'host': 0, 'port_str': 2, 'user': 4, 'ciphers_c_s': 15, 'ciphers_s_c': 16, 'key_exchange': 24, 'hostkeys': 25,
          'hmac_c_s': 29, 'hmac_s_c': 30, 'process_config': 38}


def libssh_client(o):
    """libssh 0.10 (Debian's libssh-4) through ctypes: password login, one exec per command. No key log of its own."""
    import ctypes
    lib = ctypes.CDLL('libssh.so.4')
    vp = ctypes.c_void_p
    lib.ssh_new.restype = vp
    lib.ssh_options_set.argtypes = [vp, ctypes.c_int, vp]
    lib.ssh_connect.argtypes = [vp]
    lib.ssh_get_error.argtypes = [vp]
    lib.ssh_get_error.restype = ctypes.c_char_p
    lib.ssh_userauth_password.argtypes = [vp, ctypes.c_char_p, ctypes.c_char_p]
    lib.ssh_channel_new.argtypes = [vp]
    lib.ssh_channel_new.restype = vp
    for name in ('ssh_channel_open_session', 'ssh_channel_send_eof', 'ssh_channel_get_exit_status', 'ssh_channel_close', 'ssh_channel_free',
                 'ssh_disconnect', 'ssh_free'):
        getattr(lib, name).argtypes = [vp]
    lib.ssh_channel_request_exec.argtypes = [vp, ctypes.c_char_p]
    lib.ssh_channel_read.argtypes = [vp, ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int]
    s = lib.ssh_new()

    def opt(name, value):
        arg = ctypes.cast(ctypes.c_char_p(value.encode()), vp) if isinstance(value, str) else ctypes.cast(ctypes.byref(value), vp)
        if lib.ssh_options_set(s, LIBSSH[name], arg) != 0:
            raise RuntimeError('libssh refused option %s=%s: %s' % (name, value, lib.ssh_get_error(s)))
    opt('process_config', ctypes.c_bool(False))
    opt('host', o.host)
    opt('port_str', str(o.port))
    opt('user', o.user)
    if o.kex: opt('key_exchange', ','.join(o.kex))
    if o.cipher: opt('ciphers_c_s', ','.join(o.cipher)); opt('ciphers_s_c', ','.join(o.cipher))
    if o.mac: opt('hmac_c_s', ','.join(o.mac)); opt('hmac_s_c', ','.join(o.mac))
    if o.host_key_alg: opt('hostkeys', ','.join(o.host_key_alg))
    if lib.ssh_connect(s) != 0:
        raise RuntimeError('libssh could not connect: %s' % lib.ssh_get_error(s).decode())
    if lib.ssh_userauth_password(s, None, o.password.encode()) != 0:
        raise RuntimeError('libssh password login failed: %s' % lib.ssh_get_error(s).decode())
    outputs, statuses = [], []
    for command in o.command:
        ch = lib.ssh_channel_new(s)
        if lib.ssh_channel_open_session(ch) != 0 or lib.ssh_channel_request_exec(ch, command.encode()) != 0:
            raise RuntimeError('libssh exec failed: %s' % lib.ssh_get_error(s).decode())
        data = b''
        buf = ctypes.create_string_buffer(65536)
        while True:
            n = lib.ssh_channel_read(ch, buf, 65536, 0)
            if n <= 0: break
            data += buf.raw[:n]
        lib.ssh_channel_send_eof(ch)
        statuses.append(lib.ssh_channel_get_exit_status(ch))
        lib.ssh_channel_close(ch)
        lib.ssh_channel_free(ch)
        outputs.append(data.decode('latin1'))
    lib.ssh_disconnect(s)
    lib.ssh_free(s)
    return {'kex': [], 'outputs': outputs, 'exitStatuses': statuses, 'version': 'libssh 0.10'}


# ---------------------------------------------------------------- AsyncSSH

def hook_asyncssh(asyncssh):
    from asyncssh.connection import SSHConnection
    from asyncssh.encryption import get_encryption_params
    original = SSHConnection.send_newkeys

    def send_newkeys(self, k, h):
        own = self._server_kexinit if self.is_server() else self._client_kexinit
        client = name_lists(self._client_kexinit)
        server = name_lists(self._server_kexinit)
        text = lambda b: b.decode() if isinstance(b, bytes) else b
        # An AEAD cipher carries its own tag: AsyncSSH gives it no MAC key (RFC 5647 §5.1, OpenSSH PROTOCOL).
        aead = lambda enc, mac: get_encryption_params(enc, mac)[3] == 0
        log_secret(own[1:17], k, {
            'kex': text(self._kex.algorithm), 'hostKey': first_common(client[1], server[1]),
            'cipherClientToServer': text(self._enc_alg_cs), 'cipherServerToClient': text(self._enc_alg_sc),
            'macClientToServer': None if aead(self._enc_alg_cs, self._mac_alg_cs) else text(self._mac_alg_cs),
            'macServerToClient': None if aead(self._enc_alg_sc, self._mac_alg_sc) else text(self._mac_alg_sc),
            'compressionClientToServer': text(self._cmp_alg_cs), 'compressionServerToClient': text(self._cmp_alg_sc),
        })
        return original(self, k, h)
    SSHConnection.send_newkeys = send_newkeys


def asyncssh_options(o):
    options = {}
    if o.kex: options['kex_algs'] = o.kex
    if o.cipher: options['encryption_algs'] = o.cipher
    if o.mac: options['mac_algs'] = o.mac
    if o.compression: options['compression_algs'] = o.compression
    return options


async def asyncssh_client(o):
    import asyncssh
    hook_asyncssh(asyncssh)
    options = asyncssh_options(o)
    if o.host_key_alg: options['server_host_key_algs'] = o.host_key_alg
    if o.key:
        options['client_keys'] = [o.key]
        options['preferred_auth'] = 'publickey'
    else:
        options['client_keys'] = None
        options['password'] = o.password
        options['preferred_auth'] = 'password,keyboard-interactive'
    outputs, statuses = [], []
    async with asyncssh.connect(o.host, o.port, username=o.user, known_hosts=None, agent_path=None, **options) as conn:
        for i, command in enumerate(o.command):
            if o.rekey and i == 1:
                before = len(kexes)
                # AsyncSSH 2.10 has no public rekey call; this is what it does itself when rekey_bytes runs out.
                conn._send_kexinit()
                conn._kexinit_sent = True
                for _ in range(200):
                    if len(kexes) > before: break
                    await asyncio.sleep(0.02)
            r = await conn.run(command, check=False)
            outputs.append(r.stdout if isinstance(r.stdout, str) else r.stdout.decode('latin1'))
            statuses.append(r.exit_status)
    return {'kex': kexes, 'outputs': outputs, 'exitStatuses': statuses, 'version': asyncssh.__version__}


async def asyncssh_server(o):
    """Serves one connection: password and/or public-key login; exec runs `echo WORDS` and `exit N`, joined by `;`."""
    import asyncssh
    hook_asyncssh(asyncssh)
    done = asyncio.get_running_loop().create_future()
    commands = []

    class Server(asyncssh.SSHServer):
        def connection_lost(self, exc):
            if not done.done(): done.set_result(None)

        def begin_auth(self, username):
            return True

        def password_auth_supported(self):
            return o.password is not None

        def validate_password(self, username, password):
            return password == o.password

    async def handle(process):
        command = process.command or ''
        commands.append(command)
        for part in (p.strip() for p in command.split(';')):
            if part.startswith('echo '):
                process.stdout.write(part[5:] + '\n')
            elif part.startswith('exit '):
                process.exit(int(part[5:]))
                return
            else:
                process.stderr.write('unknown command\n')
                process.exit(127)
                return
        process.exit(0)

    options = asyncssh_options(o)
    if o.authorized_keys: options['authorized_client_keys'] = o.authorized_keys
    keys = [asyncssh.read_private_key(f) for f in o.host_keys] + [asyncssh.generate_private_key(t) for t in o.host_key_types]
    server = await asyncssh.create_server(Server, o.host, o.port, server_host_keys=keys, process_factory=handle,
                                          **options)
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({'listening': port, 'fingerprints': [k.get_fingerprint('sha256') for k in keys]}), flush=True)
    await asyncio.wait_for(done, 60)
    server.close()
    return {'kex': kexes, 'commands': commands, 'version': asyncssh.__version__}


def main():
    global keylog_path
    p = argparse.ArgumentParser()
    p.add_argument('--lib', choices=['paramiko', 'asyncssh', 'libssh', 'libssh2', 'conch'], required=True)
    p.add_argument('--role', choices=['client', 'server'], default='client')
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--user', default='root')
    p.add_argument('--password')
    p.add_argument('--key', help='client private key file (OpenSSH format)')
    p.add_argument('--host-key', dest='host_keys', action='append', default=[], help='server host key file')
    p.add_argument('--host-key-type', dest='host_key_types', action='append', default=[], help='server host key to generate, e.g. ssh-ed448')
    p.add_argument('--authorized-keys', dest='authorized_keys')
    p.add_argument('--kex', type=split)
    p.add_argument('--cipher', type=split)
    p.add_argument('--mac', type=split)
    p.add_argument('--host-key-alg', dest='host_key_alg', type=split)
    p.add_argument('--compression', type=split)
    p.add_argument('--command', action='append', default=[])
    p.add_argument('--rekey', action='store_true', help='a second key exchange before the second command')
    p.add_argument('--keylog', required=True)
    o = p.parse_args()
    keylog_path = o.keylog
    if o.lib == 'libssh':
        result = libssh_client(o)
    elif o.lib == 'libssh2':
        import others_libssh2
        result = others_libssh2.libssh2_client(o)
    elif o.lib == 'conch':
        import others_conch
        others_conch.hook_conch(log_secret)
        result = (others_conch.conch_client if o.role == 'client' else others_conch.conch_server)(o, kexes)
    elif o.lib == 'paramiko':
        if o.role != 'client': raise SystemExit('only the paramiko client is implemented')
        result = paramiko_client(o)
    elif o.role == 'client':
        result = asyncio.run(asyncssh_client(o))
    else:
        result = asyncio.run(asyncssh_server(o))
    print(json.dumps({'result': result}), flush=True)


if __name__ == '__main__':
    try:
        main()
    except Exception as error:
        print(json.dumps({'error': '%s: %s' % (type(error).__name__, error)}), flush=True)
        sys.exit(1)
