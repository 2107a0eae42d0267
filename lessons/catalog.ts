/**
 * The 15 lessons, in order: slug (the hash route `#/lessons/<slug>`), title, the sample session (traces/) the page is
 * built on, the RFC sections it teaches, and its quiz. Pure data + functions over traces: the pages (pages.ts) import
 * it, and so do the node test and the site test, which answer every quiz from the decoded sample.
 */
import type { SessionRecord } from '../engine/trace/model.ts';
import { findField, packetSegments } from '../app/lib/layers.ts';
import { findKexMethod } from '../engine/kex/index.ts';
import { fieldValue, pickPacket, type PacketPick, type Question } from './quiz.ts';

export interface Lesson {
  number: number;
  slug: string;
  title: string;
  /** The bundled sample (traces/NAME.pcap + NAME.keylog) the page and its quiz read. */
  sample: string;
  rfcs: string[];
  quiz: Question[];
}

const slot = (session: SessionRecord, name: string, kex = 0) => {
  const found = session.kex[kex]?.negotiation.find((s) => s.slot === name);
  if (!found) throw new Error(`no ${name} slot in key exchange ${kex}`);
  return found;
};

const unique = (names: string[]) => [...new Set(names)];

/** The byte length of a decoded field (length prefix included) in a picked packet. */
const fieldLength = (session: SessionRecord, pick: PacketPick, path: string) => {
  const field = findField(session.packets[pickPacket(session, pick)].message!.fields, path);
  if (!field) throw new Error(`no field ${path} in ${pick.name}`);
  return field.span.end - field.span.start;
};

/** The first packet of a session whose message has this field value (e.g. request_type = exec). */
const withValue = (session: SessionRecord, path: string, value: unknown) => {
  const packet = session.packets.find((p) => fieldValue(p, path) === value);
  if (!packet) throw new Error(`no message with ${path} = ${String(value)}`);
  return packet;
};

const bytesEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/** The first packet a side sent under the keys of key exchange `epoch` (1 = after its first NEWKEYS). */
const firstInEpoch = (session: SessionRecord, direction: 'client' | 'server', epoch: number) =>
  session.packets.find((p) => p.direction === direction && p.epoch === epoch)!;

export const LESSONS: Lesson[] = [
  {
    number: 1, slug: 'layers', title: 'The layers of SSH', sample: 'publickey-exec',
    rfcs: ['RFC 4251 §1', 'RFC 4251 §7', 'RFC 4253 §6'],
    quiz: [
      {
        kind: 'byte', id: 'exec-number', packet: { name: 'SSH_MSG_CHANNEL_REQUEST', direction: 'client', nth: 1 }, field: 'message:message_number',
        prompt: 'This packet carries the command the client ran. Click the byte where the message itself begins: its message number.',
      },
      {
        kind: 'number', id: 'kexinit-segments', why: "Select the client's KEXINIT and read its TCP layer: every segment that carried some of its bytes is drawn there. One SSH packet may take one segment or several, and one segment may carry several packets.", prompt: 'How many TCP segments carried the client\'s first SSH packet (its KEXINIT)?',
        answer: (s) => packetSegments(s.packets[pickPacket(s, { name: 'SSH_MSG_KEXINIT', direction: 'client' })], s.segments.client).length,
      },
      {
        kind: 'choice', id: 'exec-message', why: 'A command is a request on a session channel: look for the client message whose request_type is exec (RFC 4254 §6.5).', prompt: 'Which message carried the command line the client asked the server to run?',
        options: (s) => unique(s.packets.filter((p) => p.direction === 'client' && p.message).map((p) => p.message!.name)),
        answer: (s) => s.packets.find((p) => fieldValue(p, 'request_type') === 'exec')!.message!.name,
      },
    ],
  },
  {
    number: 2, slug: 'identification', title: 'Identification strings', sample: 'password-exec', rfcs: ['RFC 4253 §4.2', 'RFC 4253 §5', 'RFC 4253 §8'],
    quiz: [
      {
        kind: 'choice', id: 'server-software', why: "softwareversion is the part of the server's line after SSH-2.0-, up to the first space; 2.0 is the protocol version (RFC 4253 §4.2).", prompt: 'Which software version does the server announce?',
        options: (s) => unique([s.identification.client!.softwareVersion, s.identification.server!.softwareVersion, s.identification.server!.protoVersion]),
        answer: (s) => s.identification.server!.softwareVersion,
      },
      {
        kind: 'number', id: 'client-line-bytes', why: "Count every character of the client's line from SSH-2.0- to its end, then add 2 for CR LF (0d 0a); the identification table shows where the line sits in the stream.", prompt: 'How many bytes does the client\'s identification line take on the wire, CR LF included?',
        answer: (s) => s.identification.client!.stream.end - s.identification.client!.stream.start,
      },
      {
        kind: 'number', id: 'first-sequence', why: 'Sequence numbers count binary packets only, from 0 for the first one (RFC 4253 §6.4); the identification line is not a packet.', prompt: 'The identification line is not a binary packet. What is the sequence number of the client\'s first binary packet?',
        answer: (s) => s.packets.find((p) => p.direction === 'client')!.sequence,
      },
    ],
  },
  {
    number: 3, slug: 'binary-packet', title: 'The binary packet protocol', sample: 'publickey-exec',
    rfcs: ['RFC 4253 §6', 'RFC 4253 §6.4', 'RFC 4253 §6.3'],
    quiz: [
      {
        kind: 'byte', id: 'padding-length', packet: { name: 'SSH_MSG_KEXINIT', direction: 'client' }, field: 'packet:padding_length',
        prompt: 'Click the padding_length byte of the client\'s KEXINIT.',
      },
      {
        kind: 'number', id: 'server-padding', why: 'padding_length, the byte right after the 4 bytes of packet_length, says how many random padding bytes end the packet (RFC 4253 §6).', prompt: 'How many bytes of random padding does the server\'s KEXINIT carry?',
        answer: (s) => {
          const layout = s.packets[pickPacket(s, { name: 'SSH_MSG_KEXINIT', direction: 'server' })].layout!;
          return layout.padding.end - layout.padding.start;
        },
      },
      {
        kind: 'byte', id: 'tag', packet: { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' }, field: 'packet:MAC / tag',
        prompt: 'The client\'s SERVICE_REQUEST is encrypted with chacha20-poly1305. Click a byte of its authentication tag.',
      },
      {
        kind: 'number', id: 'packet-length', why: 'Read the first 4 bytes of the decrypted packet as one big-endian uint32 (RFC 4251 §5); it counts padding_length, payload and padding, not itself and not the tag.', prompt: 'What is the packet_length of the client\'s SERVICE_REQUEST (decrypted, as a number)?',
        answer: (s) => {
          const packet = s.packets[pickPacket(s, { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' })];
          const b = packet.plaintext!;
          return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
        },
      },
    ],
  },
  {
    number: 4, slug: 'kexinit', title: 'KEXINIT and algorithm negotiation', sample: 'publickey-exec',
    rfcs: ['RFC 4253 §7.1', 'RFC 4251 §5 (name-list)', 'RFC 8308 §2.1'],
    quiz: [
      {
        kind: 'byte', id: 'cookie', packet: { name: 'SSH_MSG_KEXINIT', direction: 'server' }, field: 'message:cookie',
        prompt: 'Click a byte of the random cookie in the server\'s KEXINIT.',
      },
      {
        kind: 'choice', id: 'kex-chosen', why: "The winner is the first name in the client's list that the server's list also has; the server's order does not matter (RFC 4253 §7.1).", prompt: 'The client offers these key exchange methods. Which one was chosen?',
        options: (s) => slot(s, 'kex').client, answer: (s) => slot(s, 'kex').chosen!,
      },
      {
        kind: 'choice', id: 'cipher-chosen', why: "Read the encryption_algorithms_server_to_client slot: the first of the client's ciphers that the server also offers.", prompt: 'Which cipher protects the data the server sends to the client?',
        options: (s) => slot(s, 'cipherServerToClient').client, answer: (s) => slot(s, 'cipherServerToClient').chosen!,
      },
      {
        kind: 'byte', id: 'kex-list', packet: { name: 'SSH_MSG_KEXINIT', direction: 'client' }, field: 'message:kex_algorithms',
        prompt: 'Click a byte of the client\'s list of key exchange methods (its name-list, length included).',
      },
    ],
  },
  {
    number: 5, slug: 'diffie-hellman', title: 'Diffie-Hellman, curve25519 and the exchange hash', sample: 'publickey-exec',
    rfcs: ['RFC 4253 §8', 'RFC 8731 §3', 'RFC 5656 §4', 'RFC 7748 §6.1'],
    quiz: [
      {
        kind: 'byte', id: 'q-s', packet: { name: 'SSH_MSG_KEX_ECDH_REPLY', direction: 'server' }, field: 'message:Q_S',
        prompt: 'Click a byte of the server\'s ephemeral X25519 public key Q_S in its KEX_ECDH_REPLY.',
      },
      {
        kind: 'number', id: 'q-c-length', why: 'Q_C is an SSH string: a 4-byte length, then the bytes - and an X25519 public key is 32 bytes (RFC 8731 §3).', prompt: 'How many bytes does Q_C take in the client\'s KEX_ECDH_INIT, its 4-byte length included?',
        answer: (s) => fieldLength(s, { name: 'SSH_MSG_KEX_ECDH_INIT', direction: 'client' }, 'Q_C'),
      },
      {
        kind: 'choice', id: 'h-hash', why: 'The hash is named in the negotiated key exchange method: the part after the last hyphen.', prompt: 'Which hash function computes the exchange hash H in this session?',
        options: () => ['sha1', 'sha256', 'sha384', 'sha512'], answer: (s) => findKexMethod(s.kex[0].algorithms!.kex)!.hash,
      },
      {
        kind: 'number', id: 'h-inputs', why: 'Count the inputs listed in the key exchange card: V_C, V_S, I_C, I_S, K_S, Q_C, Q_S and K (RFC 5656 §4).', prompt: 'How many values are hashed, one after the other, to make H?',
        answer: (s) => s.kex[0].exchangeHashInputs!.length,
      },
    ],
  },
  {
    number: 6, slug: 'newkeys', title: 'Key derivation and NEWKEYS', sample: 'publickey-exec', rfcs: ['RFC 4253 §7.2', 'RFC 4253 §7.3'],
    quiz: [
      {
        kind: 'number', id: 'key-c-length', why: 'A key is as long as its cipher needs: chacha20-poly1305@openssh.com takes two 256-bit ChaCha20 keys, one for the length and one for the rest.', prompt: 'How many bytes long is key C, the client-to-server encryption key, in this session?',
        answer: (s) => s.kex[0].keys!.keyClientToServer.length,
      },
      {
        kind: 'byte', id: 'newkeys-payload', packet: { name: 'SSH_MSG_NEWKEYS', direction: 'client' }, field: 'message:message_number',
        prompt: 'NEWKEYS has no fields at all. Click the only byte of its payload in the client\'s NEWKEYS.',
      },
      {
        kind: 'choice', id: 'first-encrypted', why: "Find the server's NEWKEYS in the ladder: the next message the server sends is the first one under its new keys (marked keys 1).", prompt: 'Which is the first message the server sent with its new keys?',
        options: (s) => unique(s.packets.filter((p) => p.direction === 'server').map((p) => p.message!.name)),
        answer: (s) => firstInEpoch(s, 'server', 1).message!.name,
      },
      {
        kind: 'number', id: 'first-encrypted-sequence', why: "With strict kex each side's sequence number restarts at 0 right after it sends NEWKEYS; without it, it would keep counting.", prompt: 'What sequence number did that message carry (into its nonce)?',
        answer: (s) => firstInEpoch(s, 'server', 1).sequence,
      },
    ],
  },
  {
    number: 7, slug: 'ciphers', title: 'Ciphers and MACs', sample: 'rekey', rfcs: ['RFC 4253 §6.3', 'RFC 4253 §6.4', 'RFC 5647 §7', 'RFC 4344 §4', 'OpenSSH PROTOCOL §1.5'],
    quiz: [
      {
        kind: 'byte', id: 'etm-mac', packet: { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' }, field: 'packet:MAC / tag',
        prompt: 'In the aes256-ctr + hmac-sha2-256-etm session: click a byte of the MAC of the client\'s SERVICE_REQUEST.',
      },
      {
        kind: 'number', id: 'etm-mac-length', why: 'hmac-sha2-256 outputs a whole SHA-256 digest, and the -etm variant sends all of it (RFC 6668 §2).', prompt: 'How many bytes long is that MAC?',
        answer: (s) => { const mac = s.packets[pickPacket(s, { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' })].layout!.mac!; return mac.end - mac.start; },
      },
      {
        kind: 'byte', id: 'gcm-length', sample: 'pty-shell-resize', packet: { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' }, field: 'packet:packet_length',
        prompt: 'In the aes128-gcm session, packet_length travels in the clear and is authenticated as AAD. Click it in the client\'s SERVICE_REQUEST.',
      },
      {
        kind: 'choice', id: 'gcm-mac', why: 'With an AEAD cipher the MAC slot is ignored: the GCM tag authenticates the packet (OpenSSH PROTOCOL §1.6).', sample: 'pty-shell-resize', prompt: 'Which MAC algorithm was negotiated for the client\'s packets in the aes128-gcm session?',
        options: (s) => ['none: the cipher authenticates', ...slot(s, 'macClientToServer').client.slice(0, 3)],
        answer: (s) => slot(s, 'macClientToServer').chosen ?? 'none: the cipher authenticates',
      },
    ],
  },
  {
    number: 8, slug: 'host-keys', title: 'Host keys, signatures and known_hosts', sample: 'publickey-exec', rfcs: ['RFC 4251 §4.1', 'RFC 4253 §6.6', 'RFC 8709 §4', 'RFC 5656 §3.1'],
    quiz: [
      {
        kind: 'byte', id: 'host-key', packet: { name: 'SSH_MSG_KEX_ECDH_REPLY', direction: 'server' }, field: 'message:host_key.key',
        prompt: 'Click a byte of the server\'s ed25519 public key inside the host key blob K_S.',
      },
      {
        kind: 'number', id: 'signature-length', why: 'An Ed25519 signature is two 32-byte halves, R and S (RFC 8709 §6, RFC 8032 §5.1.6).', prompt: 'How many bytes is the raw ed25519 signature over H, without its 4-byte length?',
        answer: (s) => fieldLength(s, { name: 'SSH_MSG_KEX_ECDH_REPLY', direction: 'server' }, 'signature.signature') - 4,
      },
      {
        kind: 'choice', id: 'ecdsa-host-key', why: "Read the server_host_key_algorithms slot of the negotiation: the first of the client's names the server has a key for.", sample: 'pty-shell-resize', prompt: 'In the pty-shell-resize session, which host key algorithm did the server prove itself with?',
        options: (s) => slot(s, 'hostKey').client, answer: (s) => slot(s, 'hostKey').chosen!,
      },
    ],
  },
  {
    number: 9, slug: 'userauth', title: 'User authentication methods', sample: 'password-exec', rfcs: ['RFC 4252 §5', 'RFC 4252 §7', 'RFC 4252 §8', 'RFC 4252 §5.1'],
    quiz: [
      {
        kind: 'choice', id: 'first-method', why: "Read the method name of the client's first USERAUTH_REQUEST: a method that is not expected to succeed, asked only to learn which methods the server accepts (RFC 4252 §5.2).", prompt: 'Which method did OpenSSH\'s client try first, before any real one?',
        options: (s) => unique([...String(fieldValue(withValue(s, 'partial_success', false), 'methods')).split(','), 'none', 'password']),
        answer: (s) => String(fieldValue(s.packets[pickPacket(s, { name: 'SSH_MSG_USERAUTH_REQUEST', direction: 'client' })], 'method')),
      },
      {
        kind: 'byte', id: 'password', packet: { name: 'SSH_MSG_USERAUTH_REQUEST', direction: 'client', nth: 1 }, field: 'message:password',
        prompt: 'Click a byte of the password in the client\'s second USERAUTH_REQUEST.',
      },
      {
        kind: 'choice', id: 'wrong-password', why: 'The server answers each USERAUTH_REQUEST with SUCCESS or FAILURE (RFC 4252 §5.1): look at its next message after the password request.', sample: 'failed-login', prompt: 'In the failed-login session, what did the server answer to the wrong password?',
        options: (s) => unique(s.packets.filter((p) => p.direction === 'server').map((p) => p.message!.name)),
        answer: (s) => s.packets.slice(withValue(s, 'method', 'password').index).find((p) => p.direction === 'server')!.message!.name,
      },
      {
        kind: 'byte', id: 'has-signature', sample: 'publickey-exec', packet: { name: 'SSH_MSG_USERAUTH_REQUEST', direction: 'client', nth: 2 }, field: 'message:has_signature',
        prompt: 'In the publickey-exec session, click the boolean that says the client\'s third USERAUTH_REQUEST carries a signature.',
      },
    ],
  },
  {
    number: 10, slug: 'channels', title: 'Channels, windows and flow control', sample: 'publickey-exec', rfcs: ['RFC 4254 §5.1', 'RFC 4254 §5.2', 'RFC 4254 §5.3'],
    quiz: [
      {
        kind: 'number', id: 'initial-window', why: "initial_window_size in the client's CHANNEL_OPEN is how much the other side may send to the client (RFC 4254 §5.1).", prompt: 'How many bytes may the server send on the channel before the client must grant more (the client\'s initial window)?',
        answer: (s) => Number(fieldValue(s.packets[pickPacket(s, { name: 'SSH_MSG_CHANNEL_OPEN', direction: 'client' })], 'initial_window_size')),
      },
      {
        kind: 'number', id: 'window-adjust', why: "bytes_to_add in the server's CHANNEL_WINDOW_ADJUST is added to the window the client may send into (RFC 4254 §5.2).", prompt: 'How many bytes did the server\'s WINDOW_ADJUST add to the client\'s window?',
        answer: (s) => Number(fieldValue(s.packets[pickPacket(s, { name: 'SSH_MSG_CHANNEL_WINDOW_ADJUST', direction: 'server' })], 'bytes_to_add')),
      },
      {
        kind: 'byte', id: 'recipient', packet: { name: 'SSH_MSG_CHANNEL_DATA', direction: 'server' }, field: 'message:recipient_channel',
        prompt: 'Click the channel number in the server\'s first CHANNEL_DATA.',
      },
    ],
  },
  {
    number: 11, slug: 'sessions', title: 'Sessions: pty, shell, exec, env, signals, exit status', sample: 'pty-shell-resize', rfcs: ['RFC 4254 §6.2', 'RFC 4254 §6.5', 'RFC 4254 §6.7', 'RFC 4254 §6.10'],
    quiz: [
      {
        kind: 'choice', id: 'term', why: 'The term field of the pty-req request: the value of the TERM environment variable (RFC 4254 §6.2).', prompt: 'Which terminal type (TERM) did the client ask for?',
        options: (s) => unique(['vt100', String(fieldValue(withValue(s, 'request_type', 'pty-req'), 'term')), 'xterm', 'dumb']),
        answer: (s) => String(fieldValue(withValue(s, 'request_type', 'pty-req'), 'term')),
      },
      {
        kind: 'byte', id: 'rows', packet: { name: 'SSH_MSG_CHANNEL_REQUEST', direction: 'client' }, field: 'message:height_rows',
        prompt: 'Click the number of rows in the client\'s pty-req.',
      },
      {
        kind: 'number', id: 'columns', why: 'width_chars of the window-change request, sent after the resize - not the one in the pty-req (RFC 4254 §6.7).', prompt: 'How many columns wide was the terminal after the window was resized?',
        answer: (s) => Number(fieldValue(withValue(s, 'request_type', 'window-change'), 'width_chars')),
      },
      {
        kind: 'number', id: 'exit-status', why: "The server's exit-status channel request carries the program's exit code; 0 means success (RFC 4254 §6.10).", prompt: 'What exit status did the shell end with?',
        answer: (s) => Number(fieldValue(withValue(s, 'request_type', 'exit-status'), 'exit_status')),
      },
    ],
  },
  {
    number: 12, slug: 'forwarding', title: 'Port forwarding and global requests', sample: 'port-forwarding', rfcs: ['RFC 4254 §4', 'RFC 4254 §7.1', 'RFC 4254 §7.2'],
    quiz: [
      {
        kind: 'number', id: 'target-port', why: "The port field of the direct-tcpip CHANNEL_OPEN is where the server connects; originator_port is the local program's own port (RFC 4254 §7.2).", prompt: 'To which port on the server\'s side does the client\'s direct-tcpip channel connect?',
        answer: (s) => Number(fieldValue(withValue(s, 'channel_type', 'direct-tcpip'), 'port')),
      },
      {
        kind: 'choice', id: 'global-request', why: 'Remote forwarding asks the server to listen with tcpip-forward; cancel-tcpip-forward stops it (RFC 4254 §7.1).', prompt: 'Which global request asks the server to listen on a port for the client?',
        options: (s) => unique([...s.packets.filter((p) => p.message?.name === 'SSH_MSG_GLOBAL_REQUEST').map((p) => String(fieldValue(p, 'request_name'))), 'cancel-tcpip-forward']),
        answer: (s) => String(fieldValue(s.packets[pickPacket(s, { name: 'SSH_MSG_GLOBAL_REQUEST', direction: 'client' })], 'request_name')),
      },
      {
        kind: 'number', id: 'bound-port', why: "When the client asks for port 0, the server's REQUEST_SUCCESS carries the port it bound as a uint32 (RFC 4254 §7.1).", prompt: 'The client asked for port 0 ("any port"). Which port did the server open?',
        answer: (s) => Number(fieldValue(s.packets[pickPacket(s, { name: 'SSH_MSG_REQUEST_SUCCESS', direction: 'server' })], 'bound_port')),
      },
      {
        kind: 'byte', id: 'originator-port', packet: { name: 'SSH_MSG_CHANNEL_OPEN', direction: 'client' }, field: 'message:originator_port',
        prompt: 'Click the originator port in the client\'s CHANNEL_OPEN: the port of the local program whose connection is forwarded.',
      },
    ],
  },
  {
    number: 13, slug: 'rekey-terrapin', title: 'Rekeying, strict kex and the Terrapin attack', sample: 'rekey',
    rfcs: ['RFC 4253 §9', 'RFC 4253 §7.2', 'RFC 4253 §11.2', 'draft-ietf-sshm-strict-kex'],
    quiz: [
      {
        kind: 'number', id: 'kex-count', why: 'Count the pairs of KEXINITs in the ladder: the first key exchange, then one for each rekey.', prompt: 'How many key exchanges does this session hold?',
        answer: (s) => s.kex.length,
      },
      {
        kind: 'byte', id: 'second-kexinit', packet: { name: 'SSH_MSG_KEXINIT', direction: 'client', nth: 1 }, field: 'message:cookie',
        prompt: 'The client\'s second KEXINIT travels encrypted, under the first keys. Click a byte of its new cookie (decrypted).',
      },
      {
        kind: 'number', id: 'reset-sequence', why: "With strict kex every NEWKEYS resets its sender's sequence number to 0, at a rekey too.", prompt: 'Strict kex is on. What sequence number does the client\'s first packet under the second keys carry?',
        answer: (s) => firstInEpoch(s, 'client', 2).sequence,
      },
      {
        kind: 'choice', id: 'session-id', why: 'session_id is the H of the first key exchange and never changes, even when the keys do (RFC 4253 §7.2).', prompt: 'After the rekey, the session_id is...',
        options: () => ['the H of the first key exchange', 'the H of the second key exchange'],
        answer: (s) => (bytesEqual(s.kex[1].sessionId!, s.kex[0].exchangeHash!) ? 'the H of the first key exchange' : 'the H of the second key exchange'),
      },
    ],
  },
  {
    number: 14, slug: 'post-quantum', title: 'Post-quantum hybrid key exchange', sample: 'mlkem768', rfcs: ['draft-ietf-sshm-mlkem-hybrid-kex', 'RFC 9941', 'FIPS 203'],
    quiz: [
      {
        kind: 'choice', id: 'pq-kex', why: "Read the kex slot of the negotiation: the first of the client's methods that the server also offers.", prompt: 'Which key exchange method did this session negotiate?',
        options: (s) => unique([...slot(s, 'kex').client, ...slot(s, 'kex').server]), answer: (s) => slot(s, 'kex').chosen!,
      },
      {
        kind: 'number', id: 'mlkem-key', why: 'An ML-KEM-768 encapsulation key is always 1184 bytes (FIPS 203 §8: 384·k + 32 with k = 3); the field holds only that key.', prompt: 'How many bytes is the ML-KEM-768 public key in the client\'s HYBRID_INIT?',
        answer: (s) => fieldLength(s, { name: 'SSH_MSG_KEX_HYBRID_INIT', direction: 'client' }, 'C_INIT.pq_public_key'),
      },
      {
        kind: 'byte', id: 'x25519-part', packet: { name: 'SSH_MSG_KEX_HYBRID_REPLY', direction: 'server' }, field: 'message:S_REPLY.x25519',
        prompt: 'Click a byte of the classical half of the server\'s reply: its X25519 public key.',
      },
      {
        kind: 'number', id: 'k-length', why: 'For the hybrids, K is a hash output (SHA-256 here, 32 bytes) encoded as a string: a 4-byte length, then the hash.', prompt: 'K is hashed as a string. How many bytes is it, its 4-byte length included?',
        answer: (s) => s.kex[0].sharedSecret!.length,
      },
    ],
  },
  {
    number: 15, slug: 'debugging', title: 'Debugging a captured session', sample: 'failed-login', rfcs: ['RFC 4253 §11.1', 'RFC 4252 §5.1'],
    quiz: [
      {
        kind: 'choice', id: 'cookie-side', why: 'The overview says which key log line gave the secret and whose KEXINIT cookie it matched.', prompt: 'The failed-login key log line starts with a KEXINIT cookie. Whose?',
        options: () => ['the client\'s cookie', 'the server\'s cookie'],
        answer: (s) => (/server cookie/.test(s.kex[0].secretSource ?? '') ? 'the server\'s cookie' : 'the client\'s cookie'),
      },
      {
        kind: 'byte', id: 'reason-code', packet: { name: 'SSH_MSG_DISCONNECT', direction: 'client' }, field: 'message:reason_code',
        prompt: 'Click the reason code of the client\'s DISCONNECT.',
      },
      {
        kind: 'number', id: 'reason-value', why: 'reason_code is a uint32 right after the message number; RFC 4253 §11.1 lists the codes by name.', prompt: 'Which reason code is it, as a number?',
        answer: (s) => Number(fieldValue(s.packets[pickPacket(s, { name: 'SSH_MSG_DISCONNECT', direction: 'client' })], 'reason_code')),
      },
      {
        kind: 'number', id: 'attempts', why: "Count the client's USERAUTH_REQUESTs in the ladder: the none request counts too.", prompt: 'How many USERAUTH_REQUESTs did the client send before it gave up?',
        answer: (s) => s.packets.filter((p) => p.message?.name === 'SSH_MSG_USERAUTH_REQUEST').length,
      },
    ],
  },
];

export function lessonBySlug(slug: string): Lesson | undefined {
  return LESSONS.find((lesson) => lesson.slug === slug);
}
