/**
 * @module crypto/compression
 * The compression registry (RFC 4253 §6.2; `zlib@openssh.com` in OpenSSH PROTOCOL §1.2). SSH compresses each
 * payload into one zlib (RFC 1950) stream per direction and key epoch, flushed at the end of every packet so the
 * peer can inflate it at once: OpenSSH uses Z_PARTIAL_FLUSH; any flush that ends on a complete block works for an
 * inflater. `zlib` starts with the packet after NEWKEYS, `zlib@openssh.com` after USERAUTH_SUCCESS; at a rekey
 * OpenSSH, paramiko and AsyncSSH all start a fresh stream.
 *
 * Output uses pako (a port of zlib's deflate with its flush modes). Input uses fflate's streaming Inflate: one
 * context per direction, fed packet by packet, never one per packet; the 2-byte RFC 1950 header is checked here
 * (fflate's Unzlib holds back output until 6 bytes have arrived, which a first packet of 1 byte does not give). (fflate's streaming deflater was not used:
 * 0.8.3 writes misaligned sync-flush blocks, fflate issue #267, and out-of-window matches, issue #260.)
 */
import { Inflate } from 'fflate';
import { Deflate, constants } from 'pako';
import { SshlensError } from '../errors.ts';
import { unknownAlgorithm } from './algorithm-errors.ts';

/** A payload that does not inflate: the stream is broken from there on for the rest of the key epoch. */
export class CompressionError extends SshlensError {}

/** Compresses the payloads of one direction and key epoch into one zlib stream. */
export interface PayloadCompressor {
  /** The compressed form of `payload`, flushed so the peer can inflate it completely. */
  compress(payload: Uint8Array): Uint8Array;
}

/** Inflates the payloads of one direction and key epoch from one zlib stream. */
export interface PayloadDecompressor {
  /** The inflated payload; throws CompressionError when the stream is damaged (and on every later call). */
  decompress(compressed: Uint8Array): Uint8Array;
}

export interface CompressionAlgorithm {
  readonly name: string;
  /** When a new key epoch starts compressing: never, at NEWKEYS, or only once USERAUTH_SUCCESS has passed. */
  readonly starts: 'never' | 'at-newkeys' | 'after-userauth-success';
  readonly spec: string;
  /** A fresh stream, or undefined for `none`. */
  createCompressor(): PayloadCompressor | undefined;
  /** A fresh stream, or undefined for `none`; a payload inflating past `maxOutput` bytes is refused. */
  createDecompressor(maxOutput?: number): PayloadDecompressor | undefined;
}

/** Default bound on one inflated payload (a compressed 256 KiB packet cannot sensibly need more). */
export const DEFAULT_MAX_INFLATED_PAYLOAD = 4 * 1024 * 1024;

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** zlib deflate at level 6 (OpenSSH's choice), Z_PARTIAL_FLUSH after every payload as OpenSSH does. */
class ZlibCompressor implements PayloadCompressor {
  private readonly deflate = new Deflate({ level: 6 });
  private chunks: Uint8Array[] = [];
  private total = 0;
  constructor() {
    this.deflate.onData = (chunk) => { this.chunks.push(chunk as Uint8Array); this.total += (chunk as Uint8Array).length; };
  }
  compress(payload: Uint8Array): Uint8Array {
    this.chunks = [];
    this.total = 0;
    this.deflate.push(payload, constants.Z_PARTIAL_FLUSH);
    if (this.deflate.err) throw new CompressionError('deflate-failed', `zlib could not compress: ${this.deflate.msg}`);
    return concat(this.chunks, this.total);
  }
}

/** RFC 1950 §2.2: CM 8 (deflate), window at most 32 KiB, FCHECK, and no preset dictionary. */
function checkZlibHeader(cmf: number, flg: number): void {
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) {
    throw new CompressionError('inflate-failed',
      `zlib data does not inflate (bad RFC 1950 header ${cmf.toString(16).padStart(2, '0')} ${flg.toString(16).padStart(2, '0')})`);
  }
}

/** One streaming inflater per direction and key epoch. */
class ZlibDecompressor implements PayloadDecompressor {
  private readonly inflate = new Inflate();
  private header: number[] = [];
  private chunks: Uint8Array[] = [];
  private total = 0;
  private failure: CompressionError | undefined;
  constructor(private readonly maxOutput: number) {
    this.inflate.ondata = (chunk) => {
      this.total += chunk.length;
      if (this.total > this.maxOutput) {
        throw new CompressionError('inflate-too-large',
          `a compressed payload inflates past the ${this.maxOutput}-byte limit`);
      }
      this.chunks.push(chunk);
    };
  }
  decompress(compressed: Uint8Array): Uint8Array {
    if (this.failure) {
      throw new CompressionError('inflate-broken', `the compressed stream was already broken: ${this.failure.message}`);
    }
    this.chunks = [];
    this.total = 0;
    try {
      let data = compressed;
      if (this.header.length < 2) {
        const take = Math.min(2 - this.header.length, data.length);
        this.header.push(...data.subarray(0, take));
        data = data.subarray(take);
        if (this.header.length === 2) checkZlibHeader(this.header[0], this.header[1]);
      }
      if (data.length) this.inflate.push(data, false);
    } catch (error) {
      this.failure = error instanceof CompressionError ? error
        : new CompressionError('inflate-failed', `zlib data does not inflate (${(error as Error).message})`);
      throw this.failure;
    }
    return concat(this.chunks, this.total);
  }
}

export const COMPRESSION_ALGORITHMS: readonly CompressionAlgorithm[] = [
  { name: 'none', starts: 'never', spec: 'RFC 4253 §6.2',
    createCompressor: () => undefined, createDecompressor: () => undefined },
  { name: 'zlib@openssh.com', starts: 'after-userauth-success', spec: 'OpenSSH PROTOCOL §1.2',
    createCompressor: () => new ZlibCompressor(),
    createDecompressor: (max = DEFAULT_MAX_INFLATED_PAYLOAD) => new ZlibDecompressor(max) },
  { name: 'zlib', starts: 'at-newkeys', spec: 'RFC 4253 §6.2',
    createCompressor: () => new ZlibCompressor(),
    createDecompressor: (max = DEFAULT_MAX_INFLATED_PAYLOAD) => new ZlibDecompressor(max) },
];

const byName = new Map(COMPRESSION_ALGORITHMS.map((c) => [c.name, c]));

/** The registry entry for `name`, or an AlgorithmError naming the supported methods. */
export function getCompressionAlgorithm(name: string): CompressionAlgorithm {
  const found = byName.get(name);
  if (!found) throw unknownAlgorithm('compression', name, COMPRESSION_ALGORITHMS.map((c) => c.name));
  return found;
}
