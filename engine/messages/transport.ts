/**
 * @module messages/transport
 * Transport-layer messages: RFC 4253 §§7, 10, 11 (DISCONNECT, IGNORE, UNIMPLEMENTED, DEBUG, SERVICE_REQUEST/ACCEPT,
 * KEXINIT, NEWKEYS), the reason codes of RFC 4250 §4.2.2, EXT_INFO and NEWCOMPRESS of RFC 8308, and OpenSSH's
 * PING/PONG (PROTOCOL, ping@openssh.com).
 */
import type { MessageEntry } from './entry.ts';
import { blob, field, repeat, switchOn, type Layout } from './layout.ts';

/** RFC 4250 §4.2.2: SSH_MSG_DISCONNECT reason codes. */
export const DISCONNECT_REASONS: Readonly<Record<number, string>> = {
  1: 'SSH_DISCONNECT_HOST_NOT_ALLOWED_TO_CONNECT',
  2: 'SSH_DISCONNECT_PROTOCOL_ERROR',
  3: 'SSH_DISCONNECT_KEY_EXCHANGE_FAILED',
  4: 'SSH_DISCONNECT_RESERVED',
  5: 'SSH_DISCONNECT_MAC_ERROR',
  6: 'SSH_DISCONNECT_COMPRESSION_ERROR',
  7: 'SSH_DISCONNECT_SERVICE_NOT_AVAILABLE',
  8: 'SSH_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED',
  9: 'SSH_DISCONNECT_HOST_KEY_NOT_VERIFIABLE',
  10: 'SSH_DISCONNECT_CONNECTION_LOST',
  11: 'SSH_DISCONNECT_BY_APPLICATION',
  12: 'SSH_DISCONNECT_TOO_MANY_CONNECTIONS',
  13: 'SSH_DISCONNECT_AUTH_CANCELLED_BY_USER',
  14: 'SSH_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE',
  15: 'SSH_DISCONNECT_ILLEGAL_USER_NAME',
};

const language = (rfc: string) => field('language', 'text', 'A language tag (RFC 3066) for the text, usually empty.', { rfc });

/** RFC 4253 §7.1 KEXINIT: the ten algorithm lists. */
const KEXINIT_LISTS: [string, string][] = [
  ['kex_algorithms', 'Key exchange methods, most preferred first (may include markers such as ext-info-c and kex-strict-*).'],
  ['server_host_key_algorithms', 'Host key (signature) algorithms the sender accepts or has keys for.'],
  ['encryption_algorithms_client_to_server', 'Ciphers for data from client to server, most preferred first.'],
  ['encryption_algorithms_server_to_client', 'Ciphers for data from server to client, most preferred first.'],
  ['mac_algorithms_client_to_server', 'MAC algorithms from client to server (ignored when an AEAD cipher is chosen).'],
  ['mac_algorithms_server_to_client', 'MAC algorithms from server to client (ignored when an AEAD cipher is chosen).'],
  ['compression_algorithms_client_to_server', 'Compression methods from client to server ("none", "zlib@openssh.com").'],
  ['compression_algorithms_server_to_client', 'Compression methods from server to client.'],
  ['languages_client_to_server', 'Language tags from client to server, normally empty.'],
  ['languages_server_to_client', 'Language tags from server to client, normally empty.'],
];

const EXT = 'RFC 8308 §3';
const version = (what: string) => `The version of ${what} the sender supports, "0" so far.`;

/**
 * RFC 8308 §3.1-3.4, OpenSSH PROTOCOL (hostbound, ping, ext-info-in-auth) and global-requests-ok: each extension's
 * value, a layout inside the value string.
 */
const extensionValues: Record<string, Layout> = {
  // RFC 8308 §3.1: the value string *is* the name-list (one length prefix), unlike delay-compression's two lists.
  'server-sig-algs': [field('value', 'name-list', 'Public key signature algorithms the server accepts for user authentication.', { rfc: 'RFC 8308 §3.1' })],
  'delay-compression': [field('value', blob([
    field('compression_client_to_server', 'name-list', 'Compression methods the sender accepts from client to server, to start after authentication.', { rfc: 'RFC 8308 §3.2' }),
    field('compression_server_to_client', 'name-list', 'Compression methods the sender accepts from server to client.', { rfc: 'RFC 8308 §3.2' }),
  ]), 'The extension value: two name-lists.', { rfc: 'RFC 8308 §3.2' })],
  'no-flow-control': [field('value', 'text', '"p" (preferred) or "s" (supported): channels may then ignore window sizes.', { rfc: 'RFC 8308 §3.3' })],
  'elevation': [field('value', 'text', '"y", "n" or "d": whether the server should elevate a Windows administrator session.', { rfc: 'RFC 8308 §3.4' })],
  'publickey-hostbound@openssh.com': [field('value', 'text', version('publickey-hostbound-v00 user authentication'), { rfc: 'OpenSSH PROTOCOL, publickey-hostbound' })],
  'ping@openssh.com': [field('value', 'text', version('the PING/PONG messages'), { rfc: 'OpenSSH PROTOCOL, ping@openssh.com' })],
  'ext-info-in-auth@openssh.com': [field('value', 'text', version('a second EXT_INFO after authentication'), { rfc: 'OpenSSH PROTOCOL, ext-info-in-auth' })],
  // draft-ssh-global-requests-ok (D. Bider; in IANA's extension-name registry); Bitvise and AsyncSSH send it.
  'global-requests-ok': [field('value', 'text', 'Empty: the sender answers every global request with REQUEST_SUCCESS or REQUEST_FAILURE, as RFC 4254 §4 says, so the peer may send them whenever it likes.', { rfc: 'draft-ssh-global-requests-ok' })],
};

export const transportMessages: MessageEntry[] = [
  {
    number: 1, name: 'SSH_MSG_DISCONNECT', rfc: 'RFC 4253 §11.1', summary: 'Closes the connection at once, with a reason code and a message.',
    layout: [
      field('reason_code', 'uint32', 'Why the sender is disconnecting (RFC 4250 §4.2.2 codes).', { rfc: 'RFC 4253 §11.1', values: DISCONNECT_REASONS }),
      field('description', 'text', 'A human-readable explanation.', { rfc: 'RFC 4253 §11.1' }),
      language('RFC 4253 §11.1'),
    ],
  },
  {
    number: 2, name: 'SSH_MSG_IGNORE', rfc: 'RFC 4253 §11.2', summary: 'Carries data the receiver must ignore (used to hide traffic patterns).',
    layout: [field('data', 'string', 'Arbitrary bytes, to be ignored.', { rfc: 'RFC 4253 §11.2' })],
  },
  {
    number: 3, name: 'SSH_MSG_UNIMPLEMENTED', rfc: 'RFC 4253 §11.4', summary: 'Says the sender did not understand a packet, by its sequence number.',
    layout: [field('sequence_number', 'uint32', 'The sequence number of the packet that was not understood.', { rfc: 'RFC 4253 §11.4' })],
  },
  {
    number: 4, name: 'SSH_MSG_DEBUG', rfc: 'RFC 4253 §11.3', summary: 'A debugging message the receiver may show.',
    layout: [
      field('always_display', 'boolean', 'If true, the message should be shown to the user even without debugging on.', { rfc: 'RFC 4253 §11.3' }),
      field('message', 'text', 'The debugging text.', { rfc: 'RFC 4253 §11.3' }),
      language('RFC 4253 §11.3'),
    ],
  },
  {
    number: 5, name: 'SSH_MSG_SERVICE_REQUEST', rfc: 'RFC 4253 §10', summary: 'The client asks for a service after key exchange, normally "ssh-userauth".',
    layout: [field('service_name', 'text', 'The service wanted: "ssh-userauth" (then "ssh-connection" inside it).', { rfc: 'RFC 4253 §10' })],
  },
  {
    number: 6, name: 'SSH_MSG_SERVICE_ACCEPT', rfc: 'RFC 4253 §10', summary: 'The server accepts the requested service.',
    layout: [field('service_name', 'text', 'The service accepted.', { rfc: 'RFC 4253 §10' })],
  },
  {
    number: 7, name: 'SSH_MSG_EXT_INFO', rfc: 'RFC 8308 §2.3', summary: 'Announces protocol extensions, right after the sender\'s first NEWKEYS.',
    layout: [
      field('extension_count', 'uint32', 'How many extensions follow.', { rfc: 'RFC 8308 §2.3' }),
      field('extensions', repeat([
        field('name', 'text', 'The extension name.', { rfc: 'RFC 8308 §2.3' }),
        switchOn('name', extensionValues, { default: [field('value', 'string', 'The value of an extension sshlens does not know.', { rfc: EXT, unknown: true })] }),
      ], 'extension_count', 'One extension: a name and a value.'), 'The extensions, each a name and a value.', { rfc: 'RFC 8308 §2.3' }),
    ],
  },
  {
    number: 8, name: 'SSH_MSG_NEWCOMPRESS', rfc: 'RFC 8308 §3.2', summary: 'With delay-compression: compression starts after this message.',
    layout: [],
  },
  {
    number: 20, name: 'SSH_MSG_KEXINIT', rfc: 'RFC 4253 §7.1', summary: 'Starts a key exchange: each side lists the algorithms it supports, in order of preference.',
    layout: [
      field('cookie', { bytes: 16 }, '16 random bytes, so neither side can force the exchange hash to a chosen value.', { rfc: 'RFC 4253 §7.1' }),
      ...KEXINIT_LISTS.map(([name, doc]) => field(name, 'name-list', doc, { rfc: 'RFC 4253 §7.1' })),
      field('first_kex_packet_follows', 'boolean', 'True if the sender guessed the kex method and already sent its first kex packet.', { rfc: 'RFC 4253 §7.1' }),
      field('reserved', 'uint32', 'Reserved for future extension, 0.', { rfc: 'RFC 4253 §7.1' }),
    ],
  },
  {
    number: 21, name: 'SSH_MSG_NEWKEYS', rfc: 'RFC 4253 §7.3', summary: 'Ends a key exchange: every packet after it in this direction uses the new keys.',
    layout: [],
  },
  {
    number: 192, name: 'SSH2_MSG_PING', rfc: 'OpenSSH PROTOCOL, ping@openssh.com', summary: 'OpenSSH transport-level ping; the peer answers with PONG.',
    layout: [field('data', 'string', 'Data to be echoed back in the PONG.', { rfc: 'OpenSSH PROTOCOL, ping@openssh.com' })],
  },
  {
    number: 193, name: 'SSH2_MSG_PONG', rfc: 'OpenSSH PROTOCOL, ping@openssh.com', summary: 'OpenSSH transport-level answer to a PING.',
    layout: [field('data', 'string', 'The data of the PING it answers.', { rfc: 'OpenSSH PROTOCOL, ping@openssh.com' })],
  },
];
