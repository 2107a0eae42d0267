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

/** The first packet a side sent under the keys of key exchange `epoch` (1 = after its first NEWKEYS). */
const firstInEpoch = (session: SessionRecord, direction: 'client' | 'server', epoch: number) =>
  session.packets.find((p) => p.direction === direction && p.epoch === epoch)!;

export const LESSONS: Lesson[] = [
  {
    number: 1, slug: 'layers', title: 'The layers of SSH', sample: 'publickey-exec',
    rfcs: ['RFC 4251 §1', 'RFC 4251 §5', 'RFC 4253 §6'],
    quiz: [
      {
        kind: 'byte', id: 'exec-number', packet: { name: 'SSH_MSG_CHANNEL_REQUEST', direction: 'client', nth: 1 }, field: 'message:message_number',
        prompt: 'This packet carries the command the client ran. Click the byte where the message itself begins: its message number.',
      },
      {
        kind: 'number', id: 'kexinit-segments', prompt: 'How many TCP segments carried the client\'s first SSH packet (its KEXINIT)?',
        answer: (s) => packetSegments(s.packets[pickPacket(s, { name: 'SSH_MSG_KEXINIT', direction: 'client' })], s.segments.client).length,
      },
      {
        kind: 'choice', id: 'exec-message', prompt: 'Which message carried the command line the client asked the server to run?',
        options: (s) => unique(s.packets.filter((p) => p.direction === 'client' && p.message).map((p) => p.message!.name)),
        answer: (s) => s.packets.find((p) => fieldValue(p, 'request_type') === 'exec')!.message!.name,
      },
    ],
  },
  {
    number: 2, slug: 'identification', title: 'Identification strings', sample: 'password-exec', rfcs: ['RFC 4253 §4.2', 'RFC 4253 §5', 'RFC 4253 §8'],
    quiz: [
      {
        kind: 'choice', id: 'server-software', prompt: 'Which software version does the server announce?',
        options: (s) => unique([s.identification.client!.softwareVersion, s.identification.server!.softwareVersion, s.identification.server!.protoVersion]),
        answer: (s) => s.identification.server!.softwareVersion,
      },
      {
        kind: 'number', id: 'client-line-bytes', prompt: 'How many bytes does the client\'s identification line take on the wire, CR LF included?',
        answer: (s) => s.identification.client!.stream.end - s.identification.client!.stream.start,
      },
      {
        kind: 'number', id: 'first-sequence', prompt: 'The identification line is not a binary packet. What is the sequence number of the client\'s first binary packet?',
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
        kind: 'number', id: 'server-padding', prompt: 'How many bytes of random padding does the server\'s KEXINIT carry?',
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
        kind: 'number', id: 'packet-length', prompt: 'What is the packet_length of the client\'s SERVICE_REQUEST (decrypted, as a number)?',
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
        kind: 'choice', id: 'kex-chosen', prompt: 'The client offers these key exchange methods. Which one was chosen?',
        options: (s) => slot(s, 'kex').client, answer: (s) => slot(s, 'kex').chosen!,
      },
      {
        kind: 'choice', id: 'cipher-chosen', prompt: 'Which cipher protects the data the server sends to the client?',
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
        kind: 'number', id: 'q-c-length', prompt: 'How many bytes does Q_C take in the client\'s KEX_ECDH_INIT, its 4-byte length included?',
        answer: (s) => fieldLength(s, { name: 'SSH_MSG_KEX_ECDH_INIT', direction: 'client' }, 'Q_C'),
      },
      {
        kind: 'choice', id: 'h-hash', prompt: 'Which hash function computes the exchange hash H in this session?',
        options: () => ['sha1', 'sha256', 'sha384', 'sha512'], answer: (s) => findKexMethod(s.kex[0].algorithms!.kex)!.hash,
      },
      {
        kind: 'number', id: 'h-inputs', prompt: 'How many values are hashed, one after the other, to make H?',
        answer: (s) => s.kex[0].exchangeHashInputs!.length,
      },
    ],
  },
  {
    number: 6, slug: 'newkeys', title: 'Key derivation and NEWKEYS', sample: 'publickey-exec', rfcs: ['RFC 4253 §7.2', 'RFC 4253 §7.3'],
    quiz: [
      {
        kind: 'number', id: 'key-c-length', prompt: 'How many bytes long is key C, the client-to-server encryption key, in this session?',
        answer: (s) => s.kex[0].keys!.keyClientToServer.length,
      },
      {
        kind: 'byte', id: 'newkeys-payload', packet: { name: 'SSH_MSG_NEWKEYS', direction: 'client' }, field: 'message:message_number',
        prompt: 'NEWKEYS has no fields at all. Click the only byte of its payload in the client\'s NEWKEYS.',
      },
      {
        kind: 'choice', id: 'first-encrypted', prompt: 'Which is the first message the server sent with its new keys?',
        options: (s) => unique(s.packets.filter((p) => p.direction === 'server').map((p) => p.message!.name)),
        answer: (s) => firstInEpoch(s, 'server', 1).message!.name,
      },
      {
        kind: 'number', id: 'first-encrypted-sequence', prompt: 'What sequence number did that message carry (into its nonce)?',
        answer: (s) => firstInEpoch(s, 'server', 1).sequence,
      },
    ],
  },
  {
    number: 7, slug: 'ciphers', title: 'Ciphers and MACs', sample: 'rekey', rfcs: ['RFC 4253 §6.3', 'RFC 4253 §6.4', 'RFC 5647 §7', 'RFC 4344 §4'],
    quiz: [
      {
        kind: 'byte', id: 'etm-mac', packet: { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' }, field: 'packet:MAC / tag',
        prompt: 'In the aes256-ctr + hmac-sha2-256-etm session: click a byte of the MAC of the client\'s SERVICE_REQUEST.',
      },
      {
        kind: 'number', id: 'etm-mac-length', prompt: 'How many bytes long is that MAC?',
        answer: (s) => { const mac = s.packets[pickPacket(s, { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' })].layout!.mac!; return mac.end - mac.start; },
      },
      {
        kind: 'byte', id: 'gcm-length', sample: 'pty-shell-resize', packet: { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' }, field: 'packet:packet_length',
        prompt: 'In the aes128-gcm session, packet_length travels in the clear and is authenticated as AAD. Click it in the client\'s SERVICE_REQUEST.',
      },
      {
        kind: 'choice', id: 'gcm-mac', sample: 'pty-shell-resize', prompt: 'Which MAC algorithm was negotiated for the client\'s packets in the aes128-gcm session?',
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
        kind: 'number', id: 'signature-length', prompt: 'How many bytes is the raw ed25519 signature over H, without its 4-byte length?',
        answer: (s) => fieldLength(s, { name: 'SSH_MSG_KEX_ECDH_REPLY', direction: 'server' }, 'signature.signature') - 4,
      },
      {
        kind: 'choice', id: 'ecdsa-host-key', sample: 'pty-shell-resize', prompt: 'In the pty-shell-resize session, which host key algorithm did the server prove itself with?',
        options: (s) => slot(s, 'hostKey').client, answer: (s) => slot(s, 'hostKey').chosen!,
      },
    ],
  },
  { number: 9, slug: 'userauth', title: 'User authentication methods', sample: 'password-exec', rfcs: ['RFC 4252 §5', 'RFC 4252 §7', 'RFC 4252 §8'], quiz: [] },
  { number: 10, slug: 'channels', title: 'Channels, windows and flow control', sample: 'publickey-exec', rfcs: ['RFC 4254 §5'], quiz: [] },
  { number: 11, slug: 'sessions', title: 'Sessions: pty, shell, exec, env, signals, exit status', sample: 'pty-shell-resize', rfcs: ['RFC 4254 §6'], quiz: [] },
  { number: 12, slug: 'forwarding', title: 'Port forwarding and global requests', sample: 'port-forwarding', rfcs: ['RFC 4254 §4', 'RFC 4254 §7'], quiz: [] },
  { number: 13, slug: 'rekey-terrapin', title: 'Rekeying, strict kex and the Terrapin attack', sample: 'rekey', rfcs: ['RFC 4253 §9', 'draft-miller-sshm-strict-kex'], quiz: [] },
  { number: 14, slug: 'post-quantum', title: 'Post-quantum hybrid key exchange', sample: 'mlkem768', rfcs: ['draft-ietf-sshm-mlkem-hybrid-kex', 'RFC 9941'], quiz: [] },
  { number: 15, slug: 'debugging', title: 'Debugging a captured session', sample: 'failed-login', rfcs: ['RFC 4253 §11.1'], quiz: [] },
];

export function lessonBySlug(slug: string): Lesson | undefined {
  return LESSONS.find((lesson) => lesson.slug === slug);
}
