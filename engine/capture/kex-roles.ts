/**
 * @module capture/kex-roles
 * Telling the client from the server by the first key exchange, for a connection whose TCP handshake was not
 * captured. After its identification line each side sends SSH_MSG_KEXINIT (20) in the clear (RFC 4253 §7.1). The
 * message after it is specific to the kex method, but its number tells the sender's role: SSH_MSG_KEXDH_INIT and
 * SSH_MSG_KEX_ECDH_INIT (30, RFC 4253 §8, RFC 5656 §4; the hybrid and post-quantum methods reuse it),
 * SSH_MSG_KEX_DH_GEX_REQUEST (34) and SSH_MSG_KEX_DH_GEX_INIT (32, RFC 4419 §3) come from the client;
 * SSH_MSG_KEXDH_REPLY / SSH_MSG_KEX_DH_GEX_GROUP (31) and SSH_MSG_KEX_DH_GEX_REPLY (33) from the server. RSA key
 * exchange (RFC 4432 §4) numbers its messages the other way round, so the method is negotiated each way round first.
 */
import { readUint32 } from '../wire/hex.ts';
import { WireReader } from '../wire/reader.ts';

/** Most bytes of a stream's start kept to look for the first KEXINIT and the message after it. */
export const KEX_OPENING_LIMIT = 64 * 1024;

const KEXINIT = 20;
const FROM_CLIENT = new Set([30, 32, 34]);
const FROM_SERVER = new Set([31, 33]);
const RSA_KEX = new Set(['rsa1024-sha1', 'rsa2048-sha256']);
/** RFC 4432 §4: the server sends SSH_MSG_KEXRSA_PUBKEY (30) first, the client answers with KEXRSA_SECRET (31). */
const RSA_FROM_CLIENT = new Set([31]);
const RSA_FROM_SERVER = new Set([30, 32]);
/** RFC 4253 §6.1 asks for 35000; a KEXINIT with long post-quantum lists stays far below this. */
const MAX_OPENING_PACKET = 256 * 1024;

/**
 * The start of one side's binary packet stream: its KEXINIT's kex algorithms and the number of the next message.
 * `need` is how long the stream must be before reading it again can tell more.
 */
export type KexOpening =
  | { status: 'incomplete'; need: number }
  | { status: 'not-kexinit' }
  | { status: 'read'; kexAlgorithms: string[]; next?: number; need?: number };

/** Reads the first two binary packets (RFC 4253 §6) of a stream from `start`, the byte after its identification line. */
export function readKexOpening(stream: Uint8Array, start: number): KexOpening {
  const first = packetAt(stream, start);
  if (first === 'invalid') return { status: 'not-kexinit' };
  if (first === 'incomplete' || first.end > stream.length) return { status: 'incomplete', need: first === 'incomplete' ? start + 6 : first.end };
  if (first.message !== KEXINIT) return { status: 'not-kexinit' };
  let kexAlgorithms: string[];
  try {
    // SSH_MSG_KEXINIT: byte 20, byte[16] cookie, name-list kex_algorithms, ... (RFC 4253 §7.1)
    const reader = new WireReader(stream.subarray(first.payload, first.payloadEnd));
    reader.fixedBytes('message and cookie', 17);
    kexAlgorithms = reader.nameList('kex_algorithms');
  } catch {
    return { status: 'not-kexinit' };
  }
  const second = packetAt(stream, first.end);
  return typeof second === 'string' ? { status: 'read', kexAlgorithms, need: first.end + 6 } : { status: 'read', kexAlgorithms, next: second.message };
}

/**
 * Which side (0 or 1) is the client by the message each sent after KEXINIT; undefined when that does not tell. Each
 * way round, the kex method is negotiated as RFC 4253 §7.1 says (the client's first method the server also offers)
 * and the messages seen must be the ones that method's client and server send; exactly one way round must fit.
 */
export function clientByKexMessages(side0: KexOpening, side1: KexOpening): 0 | 1 | undefined {
  if (side0.status !== 'read' || side1.status !== 'read' || (side0.next === undefined && side1.next === undefined)) return undefined;
  const fits = (client: typeof side0, server: typeof side0) => {
    const method = client.kexAlgorithms.find((a) => server.kexAlgorithms.includes(a));
    if (method === undefined) return false;
    const rsa = RSA_KEX.has(method);
    const [fromClient, fromServer] = rsa ? [RSA_FROM_CLIENT, RSA_FROM_SERVER] : [FROM_CLIENT, FROM_SERVER];
    return (client.next === undefined || fromClient.has(client.next)) && (server.next === undefined || fromServer.has(server.next));
  };
  const [zero, one] = [fits(side0, side1), fits(side1, side0)];
  return zero === one ? undefined : zero ? 0 : 1;
}

/** The binary packet at `at` (RFC 4253 §6): where its payload lies, where it ends and its message number. */
function packetAt(stream: Uint8Array, at: number): { payload: number; payloadEnd: number; end: number; message: number } | 'incomplete' | 'invalid' {
  if (stream.length < at + 6) return 'incomplete';
  const packetLength = readUint32(stream, at);
  const padding = stream[at + 4];
  if (packetLength > MAX_OPENING_PACKET || padding < 4 || padding + 1 >= packetLength) return 'invalid';
  const end = at + 4 + packetLength;
  return { payload: at + 5, payloadEnd: end - padding, end, message: stream[at + 5] };
}
