"""
libssh2's client (Debian's libssh2-1, 1.10) through ctypes, for cli/dev/others_peer.py --lib libssh2: password
login, one exec per command. It writes no key log: the server it talks to (the engine's) does.

The calls and constants are libssh2.h's: libssh2_session_method_pref's method types LIBSSH2_METHOD_KEX = 0 to
LIBSSH2_METHOD_COMP_SC = 7, and LIBSSH2_CHANNEL_WINDOW_DEFAULT / LIBSSH2_CHANNEL_PACKET_DEFAULT for a session channel.
"""
import ctypes
import socket

METHOD = {'kex': 0, 'hostkey': 1, 'crypt_cs': 2, 'crypt_sc': 3, 'mac_cs': 4, 'mac_sc': 5, 'comp_cs': 6, 'comp_sc': 7}
WINDOW_DEFAULT = 2 * 1024 * 1024
PACKET_DEFAULT = 32768


def libssh2_client(o):
    lib = ctypes.CDLL('libssh2.so.1')
    vp, cp, ci, cu = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_uint
    lib.libssh2_session_init_ex.restype = vp
    lib.libssh2_session_init_ex.argtypes = [vp, vp, vp, vp]
    lib.libssh2_session_method_pref.argtypes = [vp, ci, cp]
    lib.libssh2_session_handshake.argtypes = [vp, ci]
    lib.libssh2_session_last_error.argtypes = [vp, ctypes.POINTER(cp), ctypes.POINTER(ci), ci]
    lib.libssh2_userauth_password_ex.argtypes = [vp, cp, cu, cp, cu, vp]
    lib.libssh2_channel_open_ex.restype = vp
    lib.libssh2_channel_open_ex.argtypes = [vp, cp, cu, cu, cu, cp, cu]
    lib.libssh2_channel_process_startup.argtypes = [vp, cp, cu, cp, cu]
    lib.libssh2_channel_read_ex.argtypes = [vp, ci, ctypes.c_char_p, ctypes.c_size_t]
    lib.libssh2_channel_read_ex.restype = ctypes.c_ssize_t
    for name in ('libssh2_channel_send_eof', 'libssh2_channel_close', 'libssh2_channel_wait_closed',
                 'libssh2_channel_get_exit_status', 'libssh2_channel_free', 'libssh2_session_free'):
        getattr(lib, name).argtypes = [vp]
    lib.libssh2_session_disconnect_ex.argtypes = [vp, ci, cp, cp]
    lib.libssh2_version.restype = cp
    lib.libssh2_version.argtypes = [ci]

    def error(what):
        message = cp()
        lib.libssh2_session_last_error(session, ctypes.byref(message), None, 0)
        return RuntimeError('libssh2 %s: %s' % (what, (message.value or b'?').decode()))

    def prefer(kind, names):
        if names and lib.libssh2_session_method_pref(session, METHOD[kind], ','.join(names).encode()) != 0:
            raise error('refused %s=%s' % (kind, ','.join(names)))

    lib.libssh2_init(0)
    sock = socket.create_connection((o.host, o.port))
    session = lib.libssh2_session_init_ex(None, None, None, None)
    prefer('kex', o.kex)
    prefer('hostkey', o.host_key_alg)
    for direction in ('cs', 'sc'):
        prefer('crypt_' + direction, o.cipher)
        prefer('mac_' + direction, o.mac)
        prefer('comp_' + direction, o.compression)
    if lib.libssh2_session_handshake(session, sock.fileno()) != 0:
        raise error('handshake')
    user, password = o.user.encode(), o.password.encode()
    if lib.libssh2_userauth_password_ex(session, user, len(user), password, len(password), None) != 0:
        raise error('password login')
    outputs, statuses = [], []
    buf = ctypes.create_string_buffer(65536)
    for command in o.command:
        channel = lib.libssh2_channel_open_ex(session, b'session', 7, WINDOW_DEFAULT, PACKET_DEFAULT, None, 0)
        if not channel:
            raise error('channel open')
        if lib.libssh2_channel_process_startup(channel, b'exec', 4, command.encode(), len(command.encode())) != 0:
            raise error('exec')
        data = b''
        while True:
            n = lib.libssh2_channel_read_ex(channel, 0, buf, 65536)
            if n <= 0: break
            data += buf.raw[:n]
        lib.libssh2_channel_send_eof(channel)
        lib.libssh2_channel_close(channel)
        lib.libssh2_channel_wait_closed(channel)
        statuses.append(lib.libssh2_channel_get_exit_status(channel))
        lib.libssh2_channel_free(channel)
        outputs.append(data.decode('latin1'))
    lib.libssh2_session_disconnect_ex(session, 11, b'done', b'')
    lib.libssh2_session_free(session)
    sock.close()
    return {'kex': [], 'outputs': outputs, 'exitStatuses': statuses, 'version': 'libssh2 ' + lib.libssh2_version(0).decode()}
