/**
 * @module transport/packet-writer
 * One direction of the binary packet protocol, sending side (RFC 4253 §6): payload in, exact wire bytes out.
 * Compression before encryption (§6.2), the smallest padding the block rule allows (§6) filled from an injected
 * random source (so a seeded source gives identical bytes), the MAC over the plaintext (encrypt-and-MAC, §6.4) or
 * over length | ciphertext (EtM), AEAD sealing, and a 32-bit sequence number that wraps (§6.4) and - with strict
 * kex (draft-miller-sshm-strict-kex) - restarts at 0 after each NEWKEYS.
 */
import {
  DEFAULT_MAX_PACKET_LENGTH, KeyEpoch, describePacket, packetLayout, paddingLengthFor, writeUint32,
  type Direction, type DirectionKeys, type PacketLayout,
} from './binary-packet.ts';
import { TransportError } from './transport-errors.ts';

/** Fills `target` with random bytes (padding). Inject a seeded one for reproducible output. */
export type RandomFill = (target: Uint8Array) => void;

export interface WrittenPacket {
  sequence: number;
  epoch: number;
  /** The bytes to send. */
  wire: Uint8Array;
  /** packet_length | padding_length | payload | padding before encryption (payload compressed if compressing). */
  plaintext: Uint8Array;
  /** The payload as given, before compression. */
  payload: Uint8Array;
  /** True when the payload went out compressed. */
  compressed: boolean;
  layout: PacketLayout;
}

export interface PacketWriterOptions {
  /** The sender: 'client' for client->server. */
  direction: Direction;
  random: RandomFill;
  maxPacketLength?: number;
}

/** What writeWire returns: only what an endpoint needs. */
export interface WireOnlyPacket {
  sequence: number;
  wire: Uint8Array;
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export class PacketWriter {
  private epoch: KeyEpoch;
  private sequence = 0;
  private index = 0;
  private authenticated = false;
  private readonly maxPacketLength: number;

  constructor(private readonly options: PacketWriterOptions) {
    this.epoch = new KeyEpoch(0, undefined, 'encrypt');
    this.maxPacketLength = options.maxPacketLength ?? DEFAULT_MAX_PACKET_LENGTH;
  }

  /** The sequence number the next packet will carry. */
  get nextSequence(): number {
    return this.sequence;
  }

  /** The current key epoch (0 before the first NEWKEYS). */
  get keyEpoch(): number {
    return this.epoch.epoch;
  }

  /** Frames, compresses, pads, MACs and encrypts one payload (its first byte is the message number). */
  write(payload: Uint8Array): WrittenPacket {
    return this.frame(payload, undefined, false) as WrittenPacket;
  }

  /**
   * The same, for an endpoint: the payload may come in two parts, `payload | tail` (a CHANNEL_DATA header and the
   * data), copied once, straight into the packet, which is then encrypted in place - only the wire bytes remain.
   */
  writeWire(payload: Uint8Array, tail?: Uint8Array): WireOnlyPacket {
    return this.frame(payload, tail, true);
  }

  private frame(payload: Uint8Array, tail: Uint8Array | undefined, inPlace: boolean): WireOnlyPacket | WrittenPacket {
    const { direction } = this.options;
    const sequence = this.sequence;
    const epoch = this.epoch;
    if (tail && epoch.compressor) {
      payload = joined(payload, tail);
      tail = undefined;
    }
    const body = epoch.compressor ? epoch.compressor.compress(payload) : payload;
    const bodyLength = body.length + (tail?.length ?? 0);
    const paddingLength = paddingLengthFor(bodyLength, epoch.blockSize, epoch.lengthExcluded);
    const packetLength = 1 + bodyLength + paddingLength;
    if (packetLength > this.maxPacketLength) {
      throw new TransportError('payload-too-long',
        `${describePacket(direction, this.index, sequence)}: a ${payload.length + (tail?.length ?? 0)}-byte payload needs packet_length ${packetLength}, above the ${this.maxPacketLength}-byte limit`,
        direction, sequence);
    }
    const end = 4 + packetLength;
    const wire = new Uint8Array(end + epoch.trailerLength);
    const plaintext = inPlace ? wire.subarray(0, end) : new Uint8Array(end);
    writeUint32(plaintext, 0, packetLength);
    plaintext[4] = paddingLength;
    plaintext.set(body, 5);
    if (tail) {
      plaintext.set(tail, 5 + body.length);
      payload = plaintext.subarray(5, 5 + bodyLength);
    }
    this.options.random(plaintext.subarray(end - paddingLength));

    const { cipher, mac } = epoch;
    const trailer = wire.subarray(end);
    if (cipher.kind === 'aead') {
      cipher.seal(sequence, plaintext, wire.subarray(0, end), trailer);
    } else if (epoch.lengthExcluded) {
      // EtM (OpenSSH PROTOCOL §1.5): length in the clear, MAC over length | ciphertext.
      if (!inPlace) wire.set(plaintext.subarray(0, 4));
      cipher.update(plaintext.subarray(4), wire.subarray(4, end));
      mac!.compute(sequence, wire.subarray(0, end), trailer);
    } else {
      // Encrypt-and-MAC (RFC 4253 §6.4): MAC over the whole plaintext packet, then encrypt all of it.
      if (mac) mac.compute(sequence, plaintext, trailer);
      cipher.update(plaintext, wire.subarray(0, end));
    }

    this.sequence = (sequence + 1) >>> 0;
    this.index++;
    if (inPlace) return { sequence, wire }; // an endpoint's packet: nothing else is looked at
    return {
      sequence, epoch: epoch.epoch, wire, plaintext, payload, compressed: epoch.compressor !== undefined,
      layout: packetLayout(packetLength, paddingLength, epoch.trailerLength),
    };
  }

  /**
   * After sending NEWKEYS: the following packets use `keys` (RFC 4253 §7.3). The writer does not look at payloads:
   * the caller switches keys (so a test or a simulation may also send a NEWKEYS that is not followed by new keys). With strict kex the sequence number
   * restarts at 0; without it, it runs on. `zlib` compresses from here, `zlib@openssh.com` once authenticated.
   */
  newKeys(keys: DirectionKeys, strictKex: boolean): void {
    this.epoch = new KeyEpoch(this.epoch.epoch + 1, keys, 'encrypt');
    if (strictKex) this.sequence = 0;
    const starts = this.epoch.compression.starts;
    if (starts === 'at-newkeys' || (starts === 'after-userauth-success' && this.authenticated)) {
      this.epoch.startCompression('encrypt');
    }
  }

  /**
   * USERAUTH_SUCCESS has been sent (server) or received (client): `zlib@openssh.com` starts with the next packet and
   * in every later key epoch from its NEWKEYS (OpenSSH PROTOCOL §1.2).
   */
  activateDelayedCompression(): void {
    this.authenticated = true;
    if (this.epoch.compression.starts === 'after-userauth-success') this.epoch.startCompression('encrypt');
  }
}
