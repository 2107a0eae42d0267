/**
 * @module crypto/ciphers
 * The cipher registry (RFC 4253 §6.3, RFC 4344 for aesN-ctr, RFC 5647 and OpenSSH PROTOCOL for
 * aesN-gcm@openssh.com, OpenSSH PROTOCOL.chacha20poly1305). An entry is data - sizes, block size, AEAD or not -
 * plus a factory for the stateful cipher of one direction and key epoch. The transport layer drives the packet
 * construction; this module keeps each cipher's own rules:
 *
 * - block ciphers (ctr, cbc, 3des-cbc, none): `update` transforms whole blocks and the mode's state runs on across
 *   packets (CTR counter, CBC chain), as RFC 4253 §6.3 and RFC 4344 §4 require.
 * - arcfour, arcfour128, arcfour256 (RFC 4253 §6.3, RFC 4345): RC4, a stream cipher whose state runs on; padded
 *   to 8-byte blocks. blowfish-cbc (RFC 4253 §6.3) and blowfish-ctr (RFC 4344): 8-byte blocks. rijndael-cbc@lysator.liu.se is the old name of aes256-cbc (RFC 4253 §6.3).
 * - AEAD ciphers: `seal`/`open` take the whole packet including its 4 length bytes; the tag is checked before
 *   anything is decrypted. GCM's IV is `fixed(4) | invocation counter(8)`, the counter counting packets and never
 *   the sequence number (RFC 5647 §7.1). chacha20-poly1305 takes its nonce from the sequence number.
 */
import { badKeyLength, unknownAlgorithm } from './algorithm-errors.ts';
import { getAesProvider, type AesGcm, type AesProvider } from './aes-provider.ts';
import { Arcfour } from './arcfour.ts';
import { BlowfishCbc, BlowfishCtr } from './blowfish.ts';
import { chachaFirstWord, chachaKeyWords, getChaCha20Provider, type ChaCha20Provider, type ChaCha20Stream } from './chacha20.ts';
import { Ctr64 } from './ctr64.ts';
import { TripleDes, TripleDesCbc } from './des.ts';
import { poly1305Into } from './poly1305.ts';
import { readUint32, writeUint32 } from '../wire/hex.ts';

/** A block cipher (or `none`) for one direction: state runs on across calls. */
export interface BlockPacketCipher {
  readonly kind: 'block';
  readonly blockSize: number;
  /** Transforms whole blocks of `input` into `output` (same length, may be the same array). */
  update(input: Uint8Array, output: Uint8Array): void;
}

/** An AEAD cipher for one direction; one `seal` or `open` per packet, in order. */
export interface AeadPacketCipher {
  readonly kind: 'aead';
  readonly blockSize: number;
  readonly tagLength: number;
  /** True for chacha20-poly1305 (length encrypted with its own key), false for GCM (length in the clear). */
  readonly lengthEncrypted: boolean;
  /** Reads packet_length from the first 4 wire bytes of packet `sequenceNumber`. */
  packetLength(sequenceNumber: number, wireLength: Uint8Array): number;
  /**
   * Encrypts `packet` (uint32 packet_length | padding_length | payload | padding, all plaintext) into `wire`
   * (same length: the length field as it travels, then the ciphertext) and writes the tag into `tag`.
   */
  seal(sequenceNumber: number, packet: Uint8Array, wire: Uint8Array, tag: Uint8Array): void;
  /**
   * Checks `tag` over `wire`, then decrypts `wire` into `out` (the cleartext length field, then the plaintext) -
   * also when the tag is wrong unless `decryptWhenBad` is false: a decoder shows a damaged packet, an endpoint must
   * not touch it. Returns whether the tag matched.
   */
  open(sequenceNumber: number, wire: Uint8Array, tag: Uint8Array, out: Uint8Array, decryptWhenBad?: boolean): boolean;
}

export type PacketCipher = BlockPacketCipher | AeadPacketCipher;

export interface CipherAlgorithm {
  readonly name: string;
  /** Bytes of key from key derivation letter C/D (RFC 4253 §7.2). */
  readonly keyLength: number;
  /** Bytes of IV from letter A/B (0 for chacha20-poly1305 and none). */
  readonly ivLength: number;
  /** The block size the padding rule uses (RFC 4253 §6: at least 8). */
  readonly blockSize: number;
  readonly aead: boolean;
  /** Bytes of AEAD tag after the packet (0 for block ciphers; they use the MAC slot). */
  readonly tagLength: number;
  /** Where it is specified. */
  readonly spec: string;
  /** A fresh cipher state for one direction and key epoch. */
  create(key: Uint8Array, iv: Uint8Array, mode: 'encrypt' | 'decrypt', provider?: AesProvider): PacketCipher;
}

const copyInto = (input: Uint8Array, output: Uint8Array) => { if (input !== output) output.set(input); };

/** RFC 4253 §6.3 "none": no encryption; the padding still uses 8-byte blocks. */
const noneCipher: BlockPacketCipher = { kind: 'block', blockSize: 8, update: copyInto };

/** RFC 5647 §7.1: IV = fixed field (4 bytes) | invocation counter (8 bytes, big-endian, +1 per packet). */
class GcmPacketCipher implements AeadPacketCipher {
  readonly kind = 'aead';
  readonly blockSize = 16;
  readonly tagLength = 16;
  readonly lengthEncrypted = false;
  private readonly iv = new Uint8Array(12);
  private readonly gcm: AesGcm;
  constructor(key: Uint8Array, iv: Uint8Array, provider: AesProvider) {
    this.gcm = provider.gcm(key);
    this.iv.set(iv);
  }
  packetLength(_sequenceNumber: number, wireLength: Uint8Array): number {
    return ((wireLength[0] << 24) | (wireLength[1] << 16) | (wireLength[2] << 8) | wireLength[3]) >>> 0;
  }
  private nextInvocation(): void {
    for (let i = 11; i >= 4; i--) {
      this.iv[i] = (this.iv[i] + 1) & 0xff;
      if (this.iv[i] !== 0) break;
    }
  }
  seal(_sequenceNumber: number, packet: Uint8Array, wire: Uint8Array, tag: Uint8Array): void {
    const aad = packet.subarray(0, 4);
    copyInto(aad, wire.subarray(0, 4));
    this.gcm.seal(this.iv, aad, packet.subarray(4), wire.subarray(4), tag);
    this.nextInvocation();
  }
  open(_sequenceNumber: number, wire: Uint8Array, tag: Uint8Array, out: Uint8Array, decryptWhenBad = true): boolean {
    const aad = wire.subarray(0, 4);
    copyInto(aad, out.subarray(0, 4));
    const ok = this.gcm.open(this.iv, aad, wire.subarray(4), tag, out.subarray(4), decryptWhenBad);
    this.nextInvocation();
    return ok;
  }
}

/**
 * OpenSSH PROTOCOL.chacha20poly1305: K_main = key[0..32), K_len = key[32..64); nonce = uint64 sequence number;
 * length = ChaCha20(K_len, counter 0); Poly1305 key = ChaCha20(K_main, counter 0)[0..32);
 * body = ChaCha20(K_main, counter 1); tag = Poly1305(encrypted length | ciphertext). One keystream run of K_main
 * per packet gives the Poly1305 key (block 0) and then the body (blocks 1...).
 */
class ChaChaPolyPacketCipher implements AeadPacketCipher {
  readonly kind = 'aead';
  readonly blockSize = 8;
  readonly tagLength = 16;
  readonly lengthEncrypted = true;
  private readonly mainKey: Uint8Array;
  private readonly lengthKey: Uint32Array;
  private readonly nonce = new Uint8Array(8);
  /** Block 0 of K_main's keystream: its first 32 bytes are the packet's Poly1305 key. */
  private readonly polyKey = new Uint8Array(64);
  private readonly computed = new Uint8Array(16);
  private readonly chacha: ChaCha20Provider = getChaCha20Provider();
  constructor(key: Uint8Array) {
    this.mainKey = key.slice(0, 32);
    this.lengthKey = chachaKeyWords(key.subarray(32, 64));
  }
  /** The 4 bytes of K_len's keystream for this packet, as a big-endian number to XOR with the length field. */
  private lengthMask(sequenceNumber: number): number {
    const w = chachaFirstWord(this.lengthKey, sequenceNumber); // keystream bytes 0..3, little-endian
    return ((w << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
  }
  /** Starts K_main's keystream for this packet and takes block 0 as the Poly1305 key; returns the stream. */
  private start(sequenceNumber: number): ChaCha20Stream {
    const n = this.nonce;
    n[4] = sequenceNumber >>> 24; n[5] = sequenceNumber >>> 16; n[6] = sequenceNumber >>> 8; n[7] = sequenceNumber;
    const stream = this.chacha.stream(this.mainKey, n, 0);
    this.polyKey.fill(0);
    stream.update(this.polyKey, this.polyKey);
    return stream;
  }
  packetLength(sequenceNumber: number, wireLength: Uint8Array): number {
    return (readUint32(wireLength, 0) ^ this.lengthMask(sequenceNumber)) >>> 0;
  }
  seal(sequenceNumber: number, packet: Uint8Array, wire: Uint8Array, tag: Uint8Array): void {
    const stream = this.start(sequenceNumber);
    stream.update(packet.subarray(4), wire.subarray(4));
    writeUint32(wire, 0, (readUint32(packet, 0) ^ this.lengthMask(sequenceNumber)) >>> 0);
    poly1305Into(this.polyKey, wire, tag);
  }
  open(sequenceNumber: number, wire: Uint8Array, tag: Uint8Array, out: Uint8Array, decryptWhenBad = true): boolean {
    const stream = this.start(sequenceNumber);
    poly1305Into(this.polyKey, wire, this.computed);
    let difference = 0;
    for (let i = 0; i < 16; i++) difference |= this.computed[i] ^ tag[i];
    if (difference !== 0 && !decryptWhenBad) return false;
    writeUint32(out, 0, (readUint32(wire, 0) ^ this.lengthMask(sequenceNumber)) >>> 0);
    stream.update(wire.subarray(4), out.subarray(4));
    return difference === 0;
  }
}


type Factory = (key: Uint8Array, iv: Uint8Array, mode: 'encrypt' | 'decrypt', provider: AesProvider) => PacketCipher;

function entry(
  name: string, keyLength: number, ivLength: number, blockSize: number, tagLength: number, spec: string,
  factory: Factory,
): CipherAlgorithm {
  return {
    name, keyLength, ivLength, blockSize, aead: tagLength > 0, tagLength, spec,
    create(key, iv, mode, provider = getAesProvider()) {
      if (key.length !== keyLength) throw badKeyLength('cipher', name, 'key', keyLength, key.length);
      if (iv.length !== ivLength) throw badKeyLength('cipher', name, 'IV', ivLength, iv.length);
      return factory(key, iv, mode, provider);
    },
  };
}

const block = (blockSize: number, update: (input: Uint8Array, output: Uint8Array) => void): BlockPacketCipher =>
  ({ kind: 'block', blockSize, update });

const ctr = (bits: number) => entry(`aes${bits}-ctr`, bits / 8, 16, 16, 0, 'RFC 4344 §4',
  (key, iv, _mode, provider) => { const s = provider.ctr(key, iv); return block(16, (i, o) => s.update(i, o)); });
const cbc = (bits: number) => entry(`aes${bits}-cbc`, bits / 8, 16, 16, 0, 'RFC 4253 §6.3',
  (key, iv, mode, provider) => {
    const s = mode === 'encrypt' ? provider.cbcEncrypt(key, iv) : provider.cbcDecrypt(key, iv);
    return block(16, (i, o) => s.update(i, o));
  });
/** RFC 5647 §6 names the same construction AEAD_AES_128_GCM / AEAD_AES_256_GCM, negotiated in the MAC slot too. */
const gcm = (bits: number, name = `aes${bits}-gcm@openssh.com`) => entry(name, bits / 8, 12, 16, 16, 'RFC 5647 §7, OpenSSH PROTOCOL',
  (key, iv, _mode, provider) => new GcmPacketCipher(key, iv, provider));

/** RC4 with `discard` keystream bytes dropped first; no IV. */
function arcfour(name: string, keyLength: number, discard: number, spec: string): CipherAlgorithm {
  return entry(name, keyLength, 0, 8, 0, spec, (key) => {
    const rc4 = new Arcfour(key, discard);
    return block(8, (i, o) => rc4.update(i, o));
  });
}

/** Every cipher sshlens can run, OpenSSH's preference order first. */
export const CIPHER_ALGORITHMS: readonly CipherAlgorithm[] = [
  entry('chacha20-poly1305@openssh.com', 64, 0, 8, 16, 'OpenSSH PROTOCOL.chacha20poly1305',
    (key) => new ChaChaPolyPacketCipher(key)),
  gcm(128), gcm(256),
  ctr(128), ctr(192), ctr(256),
  cbc(128), cbc(192), cbc(256),
  entry('3des-cbc', 24, 8, 8, 0, 'RFC 4253 §6.3', (key, iv, mode) => {
    const s = new TripleDesCbc(key, iv, mode === 'decrypt');
    return block(8, (i, o) => s.update(i, o));
  }),
  // RFC 4253 §6.3: "rijndael-cbc@lysator.liu.se" is an alias of aes256-cbc.
  entry('rijndael-cbc@lysator.liu.se', 32, 16, 16, 0, 'RFC 4253 §6.3', (key, iv, mode, provider) => {
    const s = mode === 'encrypt' ? provider.cbcEncrypt(key, iv) : provider.cbcDecrypt(key, iv);
    return block(16, (i, o) => s.update(i, o));
  }),
  entry('3des-ctr', 24, 8, 8, 0, 'RFC 4344 §4', (key, iv) => {
    const des = new TripleDes(key);
    const s = new Ctr64((b) => des.encryptBlock(b), iv);
    return block(8, (i, o) => s.update(i, o));
  }),
  entry('blowfish-ctr', 32, 8, 8, 0, 'RFC 4344 §4', (key, iv) => {
    const s = new BlowfishCtr(key, iv);
    return block(8, (i, o) => s.update(i, o));
  }),
  entry('blowfish-cbc', 16, 8, 8, 0, 'RFC 4253 §6.3', (key, iv, mode) => {
    const s = new BlowfishCbc(key, iv, mode === 'decrypt');
    return block(8, (i, o) => s.update(i, o));
  }),
  arcfour('arcfour256', 32, 1536, 'RFC 4345 §4'),
  arcfour('arcfour128', 16, 1536, 'RFC 4345 §4'),
  arcfour('arcfour', 16, 0, 'RFC 4253 §6.3'),
  gcm(128, 'AEAD_AES_128_GCM'), gcm(256, 'AEAD_AES_256_GCM'),
  entry('none', 0, 0, 8, 0, 'RFC 4253 §6.3', () => noneCipher),
];

const byName = new Map(CIPHER_ALGORITHMS.map((c) => [c.name, c]));

/** The registry entry for `name`, or an AlgorithmError naming the supported ciphers. */
export function getCipherAlgorithm(name: string): CipherAlgorithm {
  const found = byName.get(name);
  if (!found) throw unknownAlgorithm('cipher', name, CIPHER_ALGORITHMS.map((c) => c.name));
  return found;
}
