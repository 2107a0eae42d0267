/**
 * @module keys/keyfile
 * Derived session keys as JSON, for captures that begin after the key exchange (no KEXINIT, so no key log can
 * help; Wireshark has no answer for these). Keys are those of RFC 4253 §7.2, in the state they have at a given
 * packet, so that decryption can start in the middle of a connection.
 *
 * ```jsonc
 * {
 *   "format": "sshlens-session-keys",
 *   "version": 1,
 *   "sessions": [{
 *     // How a session is matched to a TCP connection: both endpoints ("address:port", IPv6 as "[addr]:port"),
 *     // or the session identifier (H of the first key exchange, hex), or both.
 *     "client": "192.0.2.10:50522",
 *     "server": "192.0.2.1:22",
 *     "sessionId": "9f86d081...",                 // optional
 *     "strictKex": false,                          // optional (default false): sequence numbers reset at NEWKEYS
 *     "clientToServer": {                          // the keys of packets the client sends
 *       "cipher": "aes128-ctr",                    // SSH algorithm names as negotiated (RFC 4253 §6.3-§6.4)
 *       "mac": "hmac-sha2-256-etm@openssh.com",    // omitted (or "none") for AEAD ciphers, whose MAC slot is ignored
 *       "compression": "none",                     // optional (default "none"); a deflate stream's history cannot be
 *                                                  // restored, so compressed sessions decode only from a NEWKEYS on
 *       "encryptionKey": "hex",                    // key C (client to server) / D (server to client)
 *       "iv": "hex",                               // as of the packet below: AES-CTR the counter block for its first
 *                                                  // byte; CBC the previous ciphertext block; AES-GCM fixed(4) |
 *                                                  // invocation counter(8) for that packet; omitted for chacha20-poly1305
 *       "macKey": "hex",                           // key E / F; omitted for AEAD ciphers
 *       "sequenceNumber": 7,                       // uint32 sequence number of that packet (RFC 4253 §6.4)
 *       "streamOffset": 1234                       // optional: where that packet starts in this direction's captured
 *                                                  // stream (0 = first captured byte, or the byte after the SYN);
 *       "tcpSeq": 305419896                        // or instead: the TCP sequence number of its first byte. Without
 *                                                  // either, the decoder searches for the first packet boundary.
 *     },
 *     "serverToClient": { ... }
 *   }]
 * }
 * ```
 * Hex is either case. Unknown fields are errors (a misspelt key must not pass silently). Every error names the JSON
 * path, e.g. `sessions[0].clientToServer.iv`. Key lengths are checked by the decoder against its cipher registry.
 */
import { formatAddress } from '../capture/ip.ts';
import { fromHex, toHex } from '../wire/hex.ts';
import { KeysError } from './errors.ts';

export const KEY_FILE_FORMAT = 'sshlens-session-keys';
export const KEY_FILE_VERSION = 1;

export interface HostPort {
  /** Canonical text: dotted IPv4, RFC 5952 IPv6 (as the capture reader reports addresses). */
  address: string;
  port: number;
}

export interface DirectionKeys {
  cipher: string;
  /** Absent for AEAD ciphers. */
  mac?: string;
  compression: string;
  encryptionKey: Uint8Array;
  iv?: Uint8Array;
  macKey?: Uint8Array;
  sequenceNumber: number;
  streamOffset?: number;
  tcpSeq?: number;
}

export interface SessionKeys {
  client?: HostPort;
  server?: HostPort;
  sessionId?: Uint8Array;
  strictKex: boolean;
  clientToServer: DirectionKeys;
  serverToClient: DirectionKeys;
}

export interface KeyFile {
  sessions: SessionKeys[];
}

type Json = unknown;

class Reader {
  constructor(private readonly file: string) {}

  fail(path: string, what: string): never {
    throw new KeysError('bad-key-file', `${this.file}: ${path || '(top level)'}: ${what}`, path);
  }

  object(value: Json, path: string, fields: { required: string[]; optional: string[] }): Record<string, Json> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, `expected an object, found ${describe(value)}`);
    const record = value as Record<string, Json>;
    const allowed = [...fields.required, ...fields.optional];
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) this.fail(join(path, key), `unknown field (expected ${allowed.map((a) => `"${a}"`).join(', ')})`);
    }
    for (const key of fields.required) if (!(key in record)) this.fail(join(path, key), 'missing');
    return record;
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(path, `expected a non-empty string, found ${describe(value)}`);
    return value;
  }

  hex(value: Json, path: string): Uint8Array {
    const bytes = fromHex(this.string(value, path));
    if (!bytes) this.fail(path, 'expected hex digits, an even number of them');
    return bytes;
  }

  integer(value: Json, path: string, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      this.fail(path, `expected a whole number from 0 to ${max}, found ${describe(value)}`);
    }
    return value;
  }

  hostPort(value: Json, path: string): HostPort {
    const text = this.string(value, path);
    const parsed = parseHostPort(text);
    if (!parsed) this.fail(path, `expected "address:port" (IPv6 as "[address]:port"), found "${text}"`);
    return parsed;
  }
}

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);
const describe = (value: Json) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'string' ? `"${value.slice(0, 40)}"` : `${typeof value} ${JSON.stringify(value)}`);

/** Parses and checks a key file; throws KeysError naming the JSON path of the first problem. */
export function parseKeyFile(text: string, file = 'key file'): KeyFile {
  const reader: Reader = new Reader(file);
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KeysError('bad-key-file', `${file}: not JSON: ${(error as Error).message}`);
  }
  const top = reader.object(json, '', { required: ['format', 'version', 'sessions'], optional: [] });
  if (top.format !== KEY_FILE_FORMAT) reader.fail('format', `expected "${KEY_FILE_FORMAT}", found ${describe(top.format)}`);
  if (top.version !== KEY_FILE_VERSION) reader.fail('version', `expected ${KEY_FILE_VERSION}, found ${describe(top.version)}`);
  const list = top.sessions;
  if (!Array.isArray(list)) reader.fail('sessions', `expected an array, found ${describe(list)}`);
  const sessions = list.map((value: Json, index: number) => readSession(reader, value, join('sessions', index)));
  return { sessions };
}

function readSession(reader: Reader, value: Json, path: string): SessionKeys {
  const record = reader.object(value, path, { required: ['clientToServer', 'serverToClient'], optional: ['client', 'server', 'sessionId', 'strictKex'] });
  const session: SessionKeys = {
    strictKex: false,
    clientToServer: readDirection(reader, record.clientToServer, join(path, 'clientToServer')),
    serverToClient: readDirection(reader, record.serverToClient, join(path, 'serverToClient')),
  };
  if ('client' in record) session.client = reader.hostPort(record.client, join(path, 'client'));
  if ('server' in record) session.server = reader.hostPort(record.server, join(path, 'server'));
  if ('sessionId' in record) session.sessionId = reader.hex(record.sessionId, join(path, 'sessionId'));
  if ('strictKex' in record) {
    if (typeof record.strictKex !== 'boolean') reader.fail(join(path, 'strictKex'), `expected true or false, found ${describe(record.strictKex)}`);
    session.strictKex = record.strictKex;
  }
  if ((session.client === undefined) !== (session.server === undefined)) {
    reader.fail(join(path, session.client ? 'server' : 'client'), 'missing: "client" and "server" match a connection together');
  }
  if (!session.client && !session.sessionId) reader.fail(path, 'nothing to match a connection by: give "client" and "server", or "sessionId"');
  return session;
}

function readDirection(reader: Reader, value: Json, path: string): DirectionKeys {
  const record = reader.object(value, path, {
    required: ['cipher', 'encryptionKey', 'sequenceNumber'],
    optional: ['mac', 'compression', 'iv', 'macKey', 'streamOffset', 'tcpSeq'],
  });
  const keys: DirectionKeys = {
    cipher: reader.string(record.cipher, join(path, 'cipher')),
    compression: 'compression' in record ? reader.string(record.compression, join(path, 'compression')) : 'none',
    encryptionKey: reader.hex(record.encryptionKey, join(path, 'encryptionKey')),
    sequenceNumber: reader.integer(record.sequenceNumber, join(path, 'sequenceNumber'), 0xffffffff),
  };
  if ('mac' in record && record.mac !== 'none') keys.mac = reader.string(record.mac, join(path, 'mac'));
  if ('iv' in record) keys.iv = reader.hex(record.iv, join(path, 'iv'));
  if ('macKey' in record) keys.macKey = reader.hex(record.macKey, join(path, 'macKey'));
  if (keys.mac !== undefined && keys.macKey === undefined) reader.fail(join(path, 'macKey'), `missing: the MAC "${keys.mac}" needs a key`);
  if ('streamOffset' in record && 'tcpSeq' in record) reader.fail(join(path, 'tcpSeq'), 'give "streamOffset" or "tcpSeq", not both');
  if ('streamOffset' in record) keys.streamOffset = reader.integer(record.streamOffset, join(path, 'streamOffset'), Number.MAX_SAFE_INTEGER);
  if ('tcpSeq' in record) keys.tcpSeq = reader.integer(record.tcpSeq, join(path, 'tcpSeq'), 0xffffffff);
  return keys;
}

/** The JSON text of a key file (2-space indented, fields in schema order, hex in lower case). */
export function writeKeyFile(file: KeyFile): string {
  const hostPort = (h: HostPort) => (h.address.includes(':') ? `[${h.address}]:${h.port}` : `${h.address}:${h.port}`);
  const direction = (d: DirectionKeys) => ({
    cipher: d.cipher,
    ...(d.mac === undefined ? {} : { mac: d.mac }),
    compression: d.compression,
    encryptionKey: toHex(d.encryptionKey),
    ...(d.iv === undefined ? {} : { iv: toHex(d.iv) }),
    ...(d.macKey === undefined ? {} : { macKey: toHex(d.macKey) }),
    sequenceNumber: d.sequenceNumber,
    ...(d.streamOffset === undefined ? {} : { streamOffset: d.streamOffset }),
    ...(d.tcpSeq === undefined ? {} : { tcpSeq: d.tcpSeq }),
  });
  const json = {
    format: KEY_FILE_FORMAT,
    version: KEY_FILE_VERSION,
    sessions: file.sessions.map((s) => ({
      ...(s.client === undefined ? {} : { client: hostPort(s.client) }),
      ...(s.server === undefined ? {} : { server: hostPort(s.server) }),
      ...(s.sessionId === undefined ? {} : { sessionId: toHex(s.sessionId) }),
      strictKex: s.strictKex,
      clientToServer: direction(s.clientToServer),
      serverToClient: direction(s.serverToClient),
    })),
  };
  return JSON.stringify(json, null, 2) + '\n';
}

/** The session whose endpoints are these (addresses compared in canonical form). */
export function findSessionKeys(file: KeyFile, client: HostPort, server: HostPort): SessionKeys | undefined {
  const same = (a: HostPort | undefined, b: HostPort) => a !== undefined && a.port === b.port && a.address === (parseAddress(b.address) ?? b.address);
  return file.sessions.find((s) => same(s.client, client) && same(s.server, server));
}

/** `1.2.3.4:22`, `[2001:db8::1]:22` -> canonical address and port; null when malformed. */
export function parseHostPort(text: string): HostPort | null {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) return null;
  const port = Number(match[3]);
  const address = parseAddress(match[1] ?? match[2]);
  if (address === null || port > 65535) return null;
  return { address, port };
}

/** Canonical text of an IPv4 or IPv6 address (RFC 5952), or null. */
export function parseAddress(text: string): string | null {
  const v4 = parseIpv4(text);
  if (v4) return formatAddress(v4);
  const v6 = parseIpv6(text);
  return v6 ? formatAddress(v6) : null;
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return Uint8Array.from(parts.map(Number));
}

/** RFC 4291 §2.2 text forms: eight groups, one `::`, an IPv4 tail. */
function parseIpv6(text: string): Uint8Array | null {
  const halves = text.toLowerCase().split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const all = [...head, ...new Array(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}
