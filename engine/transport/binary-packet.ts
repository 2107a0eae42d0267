/**
 * @module transport/binary-packet
 * The binary packet protocol's layout and per-epoch state, RFC 4253 §6, shared by the packet writer and reader:
 *
 *   uint32 packet_length | byte padding_length | byte[n1] payload | byte[n2] padding | byte[m] mac (or AEAD tag)
 *
 * `packet_length + 4` is a multiple of max(8, block size), except that the 4 length bytes are left out of that sum
 * with EtM MACs and AEAD ciphers (OpenSSH PROTOCOL §1.5, PROTOCOL.chacha20poly1305, RFC 5647 §7.2); padding is at
 * least 4 bytes. A key epoch is one direction's cipher, MAC and compression state between two NEWKEYS.
 */
import { getCipherAlgorithm, type CipherAlgorithm, type PacketCipher } from '../crypto/ciphers.ts';
import {
  getCompressionAlgorithm, type CompressionAlgorithm, type PayloadCompressor, type PayloadDecompressor,
} from '../crypto/compression.ts';
import { getMacAlgorithm, type MacAlgorithm, type SshMac } from '../crypto/macs.ts';
import type { Direction, PacketLayout } from '../trace/model.ts';

export type { Direction, MacStatus, PacketLayout, Span } from '../trace/model.ts';

/** The fixed fields, declared once: name, offset from the packet start, size in bytes. */
export const PACKET_HEADER = [
  { field: 'packet_length', offset: 0, size: 4 },
  { field: 'padding_length', offset: 4, size: 1 },
] as const;

/** RFC 4253 §6: at least four bytes of random padding. */
export const MIN_PADDING = 4;
/** The limit OpenSSH applies to packet_length (PACKET_MAX_SIZE, 256 KiB); RFC 4253 §6.1 asks for 35000 at least. */
export const DEFAULT_MAX_PACKET_LENGTH = 256 * 1024;

/** What one direction uses after its NEWKEYS, from negotiation (RFC 4253 §7.1) and key derivation (§7.2). */
export interface DirectionKeys {
  cipher: string;
  /** The negotiated MAC; ignored (and may be null) with an AEAD cipher. */
  mac: string | null;
  compression: string;
  /** Encryption key (letter C or D). */
  key: Uint8Array;
  /** IV (letter A or B); empty for chacha20-poly1305 and none. */
  iv: Uint8Array;
  /** Integrity key (letter E or F); empty with an AEAD cipher. */
  macKey: Uint8Array;
}

/** A finding about one packet that does not stop the stream. */
export interface TransportProblem {
  /** e.g. `bad-mac`, `short-padding`, `misaligned-length`, `bad-padding-length`, `bad-compression`. */
  code: string;
  message: string;
}

/** `server->client packet #12 (seq 12)`: how messages name a packet. */
export function describePacket(direction: Direction, index: number, sequence: number): string {
  const flow = direction === 'client' ? 'client->server' : 'server->client';
  return `${flow} packet #${index} (seq ${sequence})`;
}

/** `client->server` or `server->client`. */
export function flowOf(direction: Direction): string {
  return direction === 'client' ? 'client->server' : 'server->client';
}

/**
 * RFC 4253 §6: the padding that makes the covered bytes a multiple of max(8, block size) with at least 4 bytes of
 * padding, the smallest such (as OpenSSH sends). `lengthExcluded`: EtM or AEAD, the 4 length bytes are not covered.
 */
export function paddingLengthFor(payloadLength: number, blockSize: number, lengthExcluded: boolean): number {
  const unit = Math.max(8, blockSize);
  const covered = (lengthExcluded ? 0 : 4) + 1 + payloadLength;
  let padding = unit - (covered % unit);
  if (padding < MIN_PADDING) padding += unit;
  return padding;
}

/** Spans of the fields relative to the packet's first byte; `trailer` is the MAC or tag length. */
export function packetLayout(packetLength: number, paddingLength: number, trailer: number): PacketLayout {
  const end = 4 + packetLength;
  const paddingStart = Math.max(5, end - paddingLength);
  return {
    packetLength: { start: 0, end: 4 },
    paddingLength: { start: 4, end: Math.min(5, end) },
    payload: { start: Math.min(5, end), end: paddingStart < end ? paddingStart : end },
    padding: { start: Math.min(paddingStart, end), end },
    mac: trailer > 0 ? { start: end, end: end + trailer } : null,
  };
}

export { readUint32, writeUint32 } from '../wire/hex.ts';

/** The algorithms and keyed state of one direction for one key epoch. */
export class KeyEpoch {
  readonly cipherAlgorithm: CipherAlgorithm;
  readonly cipher: PacketCipher;
  /** Undefined with `none` before the first NEWKEYS and with AEAD ciphers. */
  readonly macAlgorithm: MacAlgorithm | undefined;
  readonly mac: SshMac | undefined;
  readonly compression: CompressionAlgorithm;
  /** The block size the padding rule and length alignment use. */
  readonly blockSize: number;
  /** Bytes after the packet: MAC or AEAD tag. */
  readonly trailerLength: number;
  /** The 4 length bytes are outside the encrypted, aligned part (EtM or AEAD). */
  readonly lengthExcluded: boolean;
  /** packet_length must be decrypted before it can be read (encrypt-and-MAC with a real block cipher, chacha20). */
  readonly lengthEncrypted: boolean;
  compressor: PayloadCompressor | undefined;
  decompressor: PayloadDecompressor | undefined;

  /** Epoch 0 (no keys) when `keys` is undefined. */
  constructor(readonly epoch: number, keys: DirectionKeys | undefined, mode: 'encrypt' | 'decrypt') {
    this.cipherAlgorithm = getCipherAlgorithm(keys?.cipher ?? 'none');
    this.cipher = this.cipherAlgorithm.create(keys?.key ?? new Uint8Array(0), keys?.iv ?? new Uint8Array(0), mode);
    if (keys && !this.cipherAlgorithm.aead && keys.mac !== null && keys.mac !== 'none') {
      this.macAlgorithm = getMacAlgorithm(keys.mac);
      this.mac = this.macAlgorithm.create(keys.macKey);
    }
    this.compression = getCompressionAlgorithm(keys?.compression ?? 'none');
    this.blockSize = Math.max(8, this.cipherAlgorithm.blockSize);
    this.trailerLength = this.cipherAlgorithm.aead ? this.cipherAlgorithm.tagLength : this.mac?.length ?? 0;
    this.lengthExcluded = this.cipherAlgorithm.aead || (this.macAlgorithm?.encryptThenMac ?? false);
    this.lengthEncrypted = this.cipher.kind === 'aead'
      ? this.cipher.lengthEncrypted
      : !this.lengthExcluded && this.cipherAlgorithm.name !== 'none';
  }

  /** Starts this epoch's compression stream (at NEWKEYS, or after USERAUTH_SUCCESS for the delayed method). */
  startCompression(mode: 'encrypt' | 'decrypt', maxInflated?: number): void {
    if (mode === 'encrypt') this.compressor ??= this.compression.createCompressor();
    else this.decompressor ??= this.compression.createDecompressor(maxInflated);
  }

  /** Whether compression is on for the packets that follow. */
  get compressing(): boolean {
    return this.compressor !== undefined || this.decompressor !== undefined;
  }
}
