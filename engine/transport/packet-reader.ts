/**
 * @module transport/packet-reader
 * One direction of the binary packet protocol, receiving side (RFC 4253 §6). Incremental: feed byte chunks of any
 * size; each packet comes out as soon as its last byte is in, with its sequence number, key epoch, stream offsets,
 * field spans, decrypted (and decompressed) payload and MAC status.
 *
 * packet_length is checked against a limit before anything is allocated for the packet. The MAC or AEAD tag is
 * checked before decryption wherever the construction allows (EtM, AEAD). Two modes:
 * - `endpoint`: any problem throws a TransportError (RFC 4253 §6.4: a bad MAC ends the connection).
 * - `decoder`: a damaged packet is still delivered, marked and explained, and framing goes on while lengths are
 *   trustworthy (in the clear with none/EtM/GCM, or decrypted with chacha20's own length key); when a decrypted
 *   length is garbage (wrong keys) the direction stops cleanly with everything before it kept.
 */
import {
  DEFAULT_MAX_PACKET_LENGTH, KeyEpoch, describePacket, flowOf, packetLayout, readUint32,
  type Direction, type DirectionKeys, type MacStatus, type PacketLayout, type Span, type TransportProblem,
} from './binary-packet.ts';
import { CompressionError } from '../crypto/compression.ts';
import { allocateOverwritten } from '../crypto/overwritten-buffers.ts';
import { SshlensError } from '../errors.ts';
import { TransportError, type TransportErrorCode } from './transport-errors.ts';

export interface ReadPacket {
  direction: Direction;
  /** Position among this direction's packets, from 0. */
  index: number;
  /** The sequence number the protocol used (after strict-kex resets). */
  sequence: number;
  /** 0 before the first NEWKEYS of this direction, then 1, 2... */
  epoch: number;
  /** Where the whole packet (MAC included) lies in the direction's stream. */
  stream: Span;
  /** The packet as it travelled (with decryptInPlace: its plaintext, MAC or tag after it). */
  wire: Uint8Array;
  /** packet_length | padding_length | payload | padding, decrypted. */
  plaintext: Uint8Array;
  packetLength: number;
  paddingLength: number;
  /** Field spans relative to the packet's first byte. */
  layout: PacketLayout;
  /** The payload as carried (compressed when compression is on). */
  payload: Uint8Array;
  /** The inflated payload, when compression was on and it inflated. */
  decompressed?: Uint8Array;
  /** The message bytes (decompressed ?? payload); undefined when a compressed payload did not inflate. */
  message?: Uint8Array;
  macStatus: MacStatus;
  /** Everything wrong with this packet that did not stop the stream. */
  problems: TransportProblem[];
}

export interface PacketReaderOptions {
  /** The sender: 'server' reads server->client. */
  direction: Direction;
  mode: 'endpoint' | 'decoder';
  /** Stream offset of the first byte fed (after the identification line). */
  startOffset?: number;
  maxPacketLength?: number;
  maxInflatedPayload?: number;
  /**
   * Decoder mode: find the start of zlib@openssh.com by itself - after the server's USERAUTH_SUCCESS, or at the
   * first payload that begins with a zlib header (no SSH message number is 0x78). Default: on in decoder mode.
   */
  detectDelayedCompression?: boolean;
  /** The sequence number of the first packet fed: not 0 when decoding starts in the middle of a connection. */
  initialSequence?: number;
  /**
   * Decoder streaming mode: the caller keeps no packet's `wire`, and keeps nothing of a CHANNEL_DATA or
   * CHANNEL_EXTENDED_DATA packet (RFC 4254 §5.2) once it asks for the next packet. Those bytes then live in two
   * buffers the reader reuses (allocating a fresh array per packet cost more than decrypting it); every other
   * message still gets arrays of its own, so what a caller keeps of it (a KEXINIT, a host key) stays valid.
   */
  transientData?: boolean;
  /**
   * The caller hands the fed arrays over: each packet is decrypted where its bytes lie, so `wire` ends up holding
   * the plaintext and no array is allocated per packet (an endpoint that keeps no transcript; a packet whose bytes
   * span two fed arrays is copied once first, as always).
   */
  decryptInPlace?: boolean;
}

const zeroFilled = (length: number) => new Uint8Array(length);
const NEWKEYS = 21;
const CHANNEL_DATA = 94;
const CHANNEL_EXTENDED_DATA = 95;
const USERAUTH_SUCCESS = 52;
/** RFC 1950 §2.2: CMF 0x78 (deflate, 32 KiB window) and (CMF*256 + FLG) % 31 === 0. */
const startsZlibStream = (p: Uint8Array) => p.length >= 2 && p[0] === 0x78 && ((p[0] << 8) | p[1]) % 31 === 0;

/** `buffer` when it holds `length` bytes, else a larger one (reused buffers grow, never shrink). */
function reusable(buffer: Uint8Array, length: number): Uint8Array {
  if (buffer.length >= length) return buffer;
  const grown = allocateOverwritten(Math.max(length, buffer.length * 2, 4096));
  // A plain Uint8Array even when the platform allocator gives a node Buffer: views of a Buffer are Buffers, which
  // cost more to make, and several are made per packet.
  return new Uint8Array(grown.buffer, grown.byteOffset, grown.length);
}

/** Chunks fed but not yet consumed; hands out contiguous views, copying only when a range spans chunks. */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private first = 0; // index of the first live chunk
  private head = 0; // offset into it
  length = 0;
  push(bytes: Uint8Array): void {
    if (!bytes.length) return;
    if (this.first > 64 && this.first * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  /** The next `n` bytes: a view when they lie in one chunk, else copied into `scratch` (when given) or a new array. */
  peek(n: number, scratch?: Uint8Array): Uint8Array {
    const chunk = this.chunks[this.first];
    if (chunk.length - this.head >= n) return chunk.subarray(this.head, this.head + n);
    const out = scratch ? scratch.subarray(0, n) : allocateOverwritten(n); // every byte is copied in below
    let at = 0;
    for (let i = this.first, from = this.head; at < n; i++, from = 0) {
      const piece = this.chunks[i].subarray(from, from + (n - at));
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
  drop(n: number): void {
    this.length -= n;
    while (n > 0) {
      const left = this.chunks[this.first].length - this.head;
      if (n < left) { this.head += n; return; }
      n -= left;
      this.first++;
      this.head = 0;
    }
    if (this.length === 0) { this.chunks = []; this.first = 0; }
  }
}

interface Header {
  packetLength: number;
  /** The first block, decrypted, for encrypt-and-MAC with a block cipher. */
  firstBlock?: Uint8Array;
  problems: TransportProblem[];
}

export class PacketReader {
  private readonly queue = new ByteQueue();
  private epoch = new KeyEpoch(0, undefined, 'decrypt');
  private sequence = 0;
  private index = 0;
  private consumed = 0;
  private header: Header | undefined;
  private waitingForKeys = false;
  private authenticated = false;
  private lastMacFailed = false;
  private inflaterFed = false;
  private macScratch = new Uint8Array(64);
  private firstBlockScratch = new Uint8Array(16);
  /** transientData: the reused buffers for wire bytes that span fed chunks, and for plaintexts. */
  private wireScratch: Uint8Array = new Uint8Array(0);
  private plaintextScratch: Uint8Array = new Uint8Array(0);
  /** Set while the packet being opened decrypts into plaintextScratch. */
  private transientPacket = false;
  /**
   * Packet layouts of this key epoch by packet_length and padding_length: a bulk transfer repeats a few sizes, and
   * packets of one size share one (read-only) layout instead of six new objects each.
   */
  private layouts = new Map<number, PacketLayout>();
  private stoppedBy: TransportError | undefined;
  private readonly maxPacketLength: number;
  private readonly detect: boolean;

  constructor(private readonly options: PacketReaderOptions) {
    this.maxPacketLength = options.maxPacketLength ?? DEFAULT_MAX_PACKET_LENGTH;
    this.detect = options.mode === 'decoder' && (options.detectDelayedCompression ?? true);
    this.sequence = (options.initialSequence ?? 0) >>> 0;
  }

  /** Appends the next bytes of the stream (kept by reference: do not modify them afterwards). */
  feed(bytes: Uint8Array): void {
    if (!this.stoppedBy) this.queue.push(bytes);
  }

  /** Bytes fed but not yet part of a returned packet. */
  get buffered(): number {
    return this.queue.length;
  }

  /** Stream offset of the first buffered byte. */
  get offset(): number {
    return (this.options.startOffset ?? 0) + this.consumed;
  }

  /** `awaiting-keys` after a NEWKEYS packet until newKeys(); `stopped` once framing cannot go on. */
  get state(): 'reading' | 'awaiting-keys' | 'stopped' {
    return this.stoppedBy ? 'stopped' : this.waitingForKeys ? 'awaiting-keys' : 'reading';
  }

  /** Why framing stopped, if it did. */
  get failure(): TransportError | undefined {
    return this.stoppedBy;
  }

  /** The sequence number the next packet will carry. */
  get nextSequence(): number {
    return this.sequence;
  }

  /**
   * The stream has ended: an error when bytes of an unfinished packet remain (a truncated capture, or a damaged
   * length that claims more bytes than ever came), undefined when the stream ended between packets.
   */
  end(): TransportError | undefined {
    if (this.stoppedBy || this.queue.length === 0) return this.stoppedBy;
    const total = this.header ? 4 + this.header.packetLength + this.epoch.trailerLength : undefined;
    const what = total === undefined ? 'before its packet_length could be read' : `after ${this.queue.length} of its ${total} bytes`;
    return new TransportError('truncated', `${this.where()} at stream offset ${this.offset}: the stream ends ${what}`,
      this.options.direction, this.sequence, this.offset);
  }

  /**
   * After this direction's NEWKEYS: the packets that follow use `keys` (RFC 4253 §7.3); null when they are not
   * known, which stops this direction. Strict kex restarts the sequence number at 0.
   */
  newKeys(keys: DirectionKeys | null, strictKex: boolean): void {
    if (this.stoppedBy) return;
    const flow = flowOf(this.options.direction);
    if (!keys) {
      this.stop('no-keys', `${flow}: the keys after packet #${this.index - 1}'s NEWKEYS are not known; the ${this.queue.length} byte(s) after it cannot be decrypted`);
      return;
    }
    try {
      this.epoch = new KeyEpoch(this.epoch.epoch + 1, keys, 'decrypt');
    } catch (error) {
      if (!(error instanceof SshlensError) || this.options.mode === 'endpoint') throw error;
      this.stop('no-keys', `${flow}: the keys after packet #${this.index - 1}'s NEWKEYS cannot be used: ${error.message}`);
      return;
    }
    if (strictKex) this.sequence = 0;
    this.layouts = new Map();
    this.waitingForKeys = false;
    this.lastMacFailed = false;
    this.inflaterFed = false;
    const starts = this.epoch.compression.starts;
    if (starts === 'at-newkeys' || (starts === 'after-userauth-success' && this.authenticated)) this.startInflater();
  }

  /** USERAUTH_SUCCESS has passed: zlib@openssh.com starts with the next packet (OpenSSH PROTOCOL §1.2). */
  activateDelayedCompression(): void {
    this.authenticated = true;
    if (this.epoch.compression.starts === 'after-userauth-success') this.startInflater();
  }

  /** The next complete packet, or undefined when more bytes (or newKeys) are needed or framing stopped. */
  next(): ReadPacket | undefined {
    if (this.stoppedBy || this.waitingForKeys) return undefined;
    const header = this.header ?? this.readHeader();
    if (!header) return undefined;
    const epoch = this.epoch;
    const total = 4 + header.packetLength + epoch.trailerLength;
    if (this.queue.length < total) return undefined;
    // With `none` the plaintext is the wire itself, which a caller may keep (KEXINIT): never reused then.
    this.transientPacket = (this.options.transientData ?? false) && epoch.cipherAlgorithm.name !== 'none';
    const wire = this.queue.peek(total, this.transientPacket ? (this.wireScratch = reusable(this.wireScratch, total)) : undefined);
    const start = this.offset;
    this.queue.drop(total);
    this.consumed += total;
    this.header = undefined;
    const packet = this.openPacket(header, wire, { start, end: start + total });
    this.sequence = (this.sequence + 1) >>> 0;
    this.index++;
    return packet;
  }

  private where(): string {
    return describePacket(this.options.direction, this.index, this.sequence);
  }

  /** Why a decrypted packet_length is wrong, most likely (the words are built only for a packet that needs them). */
  private suspicion(): string {
    return this.epoch.lengthEncrypted
      ? ` - the length was decrypted, so the keys are probably wrong or the stream is out of step${this.lastMacFailed ? ' (the previous packet failed its MAC check too)' : ''}`
      : '';
  }

  private stop(code: TransportErrorCode, message: string): undefined {
    const error = new TransportError(code, message, this.options.direction, this.sequence, this.offset);
    this.stoppedBy = error;
    if (this.options.mode === 'endpoint') throw error;
    return undefined;
  }

  private report(problems: TransportProblem[], code: TransportErrorCode, message: string): void {
    if (this.options.mode === 'endpoint') {
      this.stoppedBy = new TransportError(code, message, this.options.direction, this.sequence, this.offset);
      throw this.stoppedBy;
    }
    problems.push({ code, message });
  }

  /** Reads and checks packet_length, decrypting the first block where the length is encrypted with the body. */
  private readHeader(): Header | undefined {
    const epoch = this.epoch;
    const { cipher } = epoch;
    const blockDecrypt = cipher.kind === 'block' && epoch.lengthEncrypted;
    const need = blockDecrypt ? epoch.blockSize : 4;
    if (this.queue.length < need) return undefined;
    const head = this.queue.peek(need);
    let firstBlock: Uint8Array | undefined;
    let packetLength: number;
    if (cipher.kind === 'aead') {
      packetLength = cipher.packetLength(this.sequence, head);
    } else if (blockDecrypt) {
      if (this.firstBlockScratch.length !== need) this.firstBlockScratch = new Uint8Array(need);
      firstBlock = this.firstBlockScratch; // one pending header at a time: reused, copied into the plaintext
      cipher.update(head, firstBlock);
      packetLength = readUint32(firstBlock, 0);
    } else {
      packetLength = readUint32(head, 0);
    }
    if (packetLength > this.maxPacketLength) {
      const limit = this.maxPacketLength % 1024 === 0 ? `${this.maxPacketLength / 1024} KiB` : `${this.maxPacketLength}-byte`;
      return this.stop('packet-too-long', `${this.where()} at stream offset ${this.offset}: packet_length ${packetLength} exceeds the ${limit} limit${this.suspicion()}`);
    }
    const problems: TransportProblem[] = [];
    const covered = epoch.lengthExcluded ? packetLength : 4 + packetLength;
    if (covered % epoch.blockSize !== 0) {
      const message = `${this.where()} at stream offset ${this.offset}: packet_length ${packetLength} does not make ${epoch.lengthExcluded ? 'the packet after the length field' : 'the packet'} a multiple of the ${epoch.blockSize}-byte block size (RFC 4253 §6)`;
      if (blockDecrypt) return this.stop('garbage-length', message + this.suspicion());
      if (cipher.kind === 'block' && epoch.cipherAlgorithm.name !== 'none') {
        return this.stop('misaligned-length', `${message}; a ${epoch.cipherAlgorithm.name} body of that size cannot be decrypted`);
      }
      this.report(problems, 'misaligned-length', message);
    }
    this.header = { packetLength, firstBlock, problems };
    return this.header;
  }

  /** Verifies and decrypts one whole packet, then parses padding_length and inflates the payload. */
  private openPacket(header: Header, wire: Uint8Array, stream: Span): ReadPacket {
    const epoch = this.epoch;
    const { cipher, mac } = epoch;
    const { packetLength, problems } = header;
    const end = 4 + packetLength;
    const body = wire.subarray(0, end);
    const trailer = wire.subarray(end);
    let plaintext: Uint8Array;
    let macOk: boolean | undefined;
    // Decoder mode decrypts every byte of a packet whatever its tag says, so the plaintext needs no zero-filling.
    const allocate = this.options.decryptInPlace ? () => body
      : this.transientPacket ? this.transientPlaintext : this.options.mode === 'decoder' ? allocateOverwritten : zeroFilled;
    if (cipher.kind === 'aead') {
      plaintext = allocate(end);
      // The tag is checked first; an endpoint gets no plaintext from a packet that fails it.
      macOk = cipher.open(this.sequence, body, trailer, plaintext, this.options.mode === 'decoder');
    } else if (epoch.cipherAlgorithm.name === 'none') {
      plaintext = body;
      if (mac) macOk = this.checkMac(body, trailer);
    } else if (epoch.lengthExcluded) {
      macOk = this.checkMac(body, trailer); // EtM: checked before decrypting
      if (!macOk) this.macFailure(problems);
      plaintext = allocate(end);
      plaintext.set(body.subarray(0, 4));
      cipher.update(body.subarray(4), plaintext.subarray(4));
    } else {
      plaintext = allocate(end);
      const first = header.firstBlock!;
      plaintext.set(first);
      cipher.update(body.subarray(first.length), plaintext.subarray(first.length));
      if (mac) macOk = this.checkMac(plaintext, trailer);
    }
    if (macOk === false && !(cipher.kind === 'block' && epoch.lengthExcluded && epoch.cipherAlgorithm.name !== 'none')) {
      this.macFailure(problems);
    }
    this.lastMacFailed = macOk === false;

    const paddingLength = packetLength >= 1 ? plaintext[4] : 0;
    let payload: Uint8Array;
    if (packetLength < 1 || paddingLength > packetLength - 1) {
      this.report(problems, 'bad-padding-length',
        `${this.where()}: padding_length ${paddingLength} does not fit in packet_length ${packetLength}`);
      payload = plaintext.subarray(Math.min(5, end), Math.min(5, end));
    } else {
      if (paddingLength < 4) {
        this.report(problems, 'short-padding', `${this.where()}: only ${paddingLength} byte(s) of padding; RFC 4253 §6 requires at least 4`);
      }
      payload = plaintext.subarray(5, end - paddingLength);
    }

    const packet: ReadPacket = {
      direction: this.options.direction, index: this.index, sequence: this.sequence, epoch: epoch.epoch, stream,
      wire, plaintext, packetLength, paddingLength,
      layout: this.layoutOf(packetLength, paddingLength),
      payload, macStatus: macOk === undefined ? 'none' : macOk ? 'ok' : 'bad', problems,
    };
    this.inflate(packet);
    if (this.transientPacket && plaintext.buffer === this.plaintextScratch.buffer) this.keepUnlessData(packet);
    const message = packet.message;
    if (message?.[0] === NEWKEYS) this.waitingForKeys = true;
    if (this.detect && message?.[0] === USERAUTH_SUCCESS && this.options.direction === 'server') {
      this.activateDelayedCompression();
    }
    return packet;
  }

  private layoutOf(packetLength: number, paddingLength: number): PacketLayout {
    const key = packetLength * 256 + paddingLength; // one per pair; a small integer for real packet lengths
    let layout = this.layouts.get(key);
    if (!layout) {
      if (this.layouts.size >= 256) this.layouts.clear();
      layout = packetLayout(packetLength, paddingLength, this.epoch.trailerLength);
      this.layouts.set(key, layout);
    }
    return layout;
  }

  /** transientData: the plaintext of the next packet, in the reused buffer. */
  private readonly transientPlaintext = (length: number): Uint8Array => {
    this.plaintextScratch = reusable(this.plaintextScratch, length);
    return this.plaintextScratch.subarray(0, length);
  };

  /**
   * transientData: a packet decrypted into the reused buffer keeps it only when its message is channel data (which
   * the caller promised not to keep); any other message is moved to an array of its own.
   */
  private keepUnlessData(packet: ReadPacket): void {
    const message = packet.message;
    const inflated = packet.decompressed !== undefined; // the message is in the inflater's own array
    if (inflated || (message && (message[0] === CHANNEL_DATA || message[0] === CHANNEL_EXTENDED_DATA))) return;
    const shared = packet.plaintext;
    const own = allocateOverwritten(shared.length); // not slice(): on a node Buffer that is a view
    own.set(shared);
    const start = packet.payload.byteOffset - shared.byteOffset;
    packet.plaintext = own;
    packet.payload = own.subarray(start, start + packet.payload.length);
    if (message) packet.message = packet.payload;
  }

  private checkMac(data: Uint8Array, received: Uint8Array): boolean {
    const mac = this.epoch.mac!;
    if (this.macScratch.length < mac.length) this.macScratch = new Uint8Array(mac.length);
    mac.compute(this.sequence, data, this.macScratch);
    let difference = 0;
    for (let i = 0; i < mac.length; i++) difference |= this.macScratch[i] ^ received[i];
    return difference === 0;
  }

  private macFailure(problems: TransportProblem[]): void {
    const what = this.epoch.cipher.kind === 'aead' ? 'authentication tag mismatch' : 'MAC mismatch';
    this.report(problems, 'bad-mac', `${what} on ${this.where()}`);
  }

  private startInflater(): void {
    this.epoch.startCompression('decrypt', this.options.maxInflatedPayload);
  }

  /** Inflates the payload when compression is on; finds the start of zlib@openssh.com in decoder mode. */
  private inflate(packet: ReadPacket): void {
    const epoch = this.epoch;
    const delayed = epoch.compression.starts === 'after-userauth-success';
    if (this.detect && delayed && !epoch.decompressor && startsZlibStream(packet.payload)) this.activateDelayedCompression();
    const inflater = epoch.decompressor;
    // Decoder: a delayed stream switched on early (from the other direction's timing) starts at its zlib header.
    if (!inflater || (this.detect && delayed && !this.inflaterFed && !startsZlibStream(packet.payload))) {
      packet.message = packet.payload;
      return;
    }
    this.inflaterFed = true;
    try {
      packet.decompressed = inflater.decompress(packet.payload);
      packet.message = packet.decompressed;
    } catch (error) {
      if (!(error instanceof CompressionError)) throw error;
      this.report(packet.problems, 'bad-compression', `${this.where()}: ${error.message}`);
    }
  }
}
