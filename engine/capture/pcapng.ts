/**
 * @module capture/pcapng
 * pcapng files (draft-ietf-opsawg-pcapng): blocks of `type | total length | body | total length`. Every Section
 * Header Block (§4.1) starts a new section with its own byte order and its own interfaces (IDB §4.2, with `if_name`
 * and `if_tsresol`/`if_tsoffset`). Frames come from Enhanced (§4.3), Simple (§4.4) and the obsolete Packet Blocks
 * (Appendix A); Name Resolution Blocks (§4.5) give names; Decryption Secrets Blocks (§4.7) carry key logs. Any other
 * block type is skipped.
 */
import { ByteQueue } from './byte-queue.ts';
import { CaptureError, hex32 } from './errors.ts';
import { layout, readField, readLayout } from './layout.ts';
import { formatAddress } from './ip.ts';
import type { RecordSink } from './records.ts';
import { DEFAULT_TSRESOL, unitsToTimestamp } from './timestamps.ts';

export const BLOCK_TYPE = {
  sectionHeader: 0x0a0d0d0a,
  interfaceDescription: 0x00000001,
  packetObsolete: 0x00000002,
  simplePacket: 0x00000003,
  nameResolution: 0x00000004,
  interfaceStatistics: 0x00000005,
  enhancedPacket: 0x00000006,
  decryptionSecrets: 0x0000000a,
} as const;

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Decryption Secrets Block secrets type of an SSH key log ("SSHK"). */
export const SECRETS_TYPE_SSH = 0x5353484b;

const BLOCK_HEADER = layout([['type', 4], ['totalLength', 4]]);
/** §4.1 after the block header. */
export const SECTION_HEADER_BODY = layout([['byteOrderMagic', 4], ['versionMajor', 2], ['versionMinor', 2], ['sectionLengthHigh', 4], ['sectionLengthLow', 4]]);
/** §4.2 */
export const INTERFACE_BODY = layout([['linkType', 2], ['reserved', 2], ['snapLength', 4]]);
/** §4.3 */
export const ENHANCED_PACKET_BODY = layout([['interfaceId', 4], ['timestampHigh', 4], ['timestampLow', 4], ['capturedLength', 4], ['originalLength', 4]]);
/** Appendix A (obsolete Packet Block). */
const PACKET_OBSOLETE_BODY = layout([['interfaceId', 2], ['dropsCount', 2], ['timestampHigh', 4], ['timestampLow', 4], ['capturedLength', 4], ['originalLength', 4]]);
/** §4.4 */
const SIMPLE_PACKET_BODY = layout([['originalLength', 4]]);
/** §4.7 */
export const DECRYPTION_SECRETS_BODY = layout([['secretsType', 4], ['secretsLength', 4]]);
/** §3.5 option header. */
export const OPTION_HEADER = layout([['code', 2], ['length', 2]]);

export const OPTION = { endOfOptions: 0, ifName: 2, ifTsresol: 9, ifTsoffset: 14 } as const;

/** Larger blocks are taken as a corrupt length rather than buffered. */
export const MAX_BLOCK_LENGTH = 64 * 1024 * 1024;

interface Interface {
  linkType: number;
  snapLength: number;
  name?: string;
  tsresol: number;
  tsoffset: bigint;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const pad4 = (n: number) => (n + 3) & ~3;

export class PcapngParser {
  private littleEndian = true;
  private interfaces: Interface[] = [];
  private section = -1;
  private frames = 0;

  constructor(
    private readonly queue: ByteQueue,
    private readonly emit: RecordSink,
  ) {}

  step(): void {
    for (;;) {
      const fileOffset = this.queue.consumed;
      if (this.queue.available < 12) return;
      const head = this.queue.peek(12);
      const type = new DataView(head.buffer, head.byteOffset, 12).getUint32(0, this.littleEndian);
      if (type === BLOCK_TYPE.sectionHeader) this.littleEndian = this.sectionByteOrder(head, fileOffset);
      else if (this.section < 0) throw new CaptureError('bad-block', `not a pcapng file: it must start with a Section Header Block, found block type ${hex32(type)}`, fileOffset);
      const totalLength = readField(head, 0, BLOCK_HEADER.field.totalLength, this.littleEndian);
      if (totalLength < 12 || totalLength % 4 !== 0 || totalLength > MAX_BLOCK_LENGTH) {
        throw new CaptureError('bad-block', `pcapng block at file offset ${fileOffset} (type ${hex32(type)}) has an impossible length ${totalLength}: the file is corrupt here`, fileOffset);
      }
      if (this.queue.available < totalLength) return;
      const block = this.queue.peek(totalLength);
      this.queue.skip(totalLength);
      const trailer = new DataView(block.buffer, block.byteOffset + totalLength - 4, 4).getUint32(0, this.littleEndian);
      if (trailer !== totalLength) {
        this.emit({ kind: 'warning', fileOffset, message: `pcapng block at file offset ${fileOffset}: trailing length ${trailer} differs from leading length ${totalLength}` });
      }
      this.readBlock(type, block.subarray(8, totalLength - 4), fileOffset, false);
    }
  }

  finish(): void {
    const left = this.queue.available;
    if (left === 0) return;
    const fileOffset = this.queue.consumed;
    const bytes = this.queue.peek(left);
    this.queue.skip(left);
    let type = -1;
    if (left >= 8) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
      type = view.getUint32(0, this.littleEndian);
      const totalLength = view.getUint32(4, this.littleEndian);
      const isPacket = type === BLOCK_TYPE.enhancedPacket || type === BLOCK_TYPE.packetObsolete || type === BLOCK_TYPE.simplePacket;
      const frameText = isPacket ? `frame ${this.frames + 1}, ` : '';
      this.emit({ kind: 'warning', fileOffset, frameIndex: isPacket ? this.frames + 1 : undefined, message: `the file is truncated: ${frameText}pcapng block type ${hex32(type)} at file offset ${fileOffset} has ${left} of its ${totalLength} bytes` });
      if (isPacket && this.section >= 0) this.readBlock(type, bytes.subarray(8), fileOffset, true);
    } else {
      this.emit({ kind: 'warning', fileOffset, message: `the file is truncated: it ends inside a pcapng block header at file offset ${fileOffset} (${left} bytes)` });
    }
  }

  /** §4.1: the byte-order magic tells how to read this section, including the SHB's own length. */
  private sectionByteOrder(head: Uint8Array, fileOffset: number): boolean {
    const view = new DataView(head.buffer, head.byteOffset, 12);
    if (view.getUint32(8, true) === BYTE_ORDER_MAGIC) return true;
    if (view.getUint32(8, false) === BYTE_ORDER_MAGIC) return false;
    throw new CaptureError('bad-block', `pcapng Section Header Block at file offset ${fileOffset} has no byte-order magic (found ${hex32(view.getUint32(8, false))})`, fileOffset);
  }

  /** `body` excludes the 8-byte block header and the trailing length; `cut` marks a block truncated by the file end. */
  private readBlock(type: number, body: Uint8Array, fileOffset: number, cut: boolean): void {
    const short = (need: number) => {
      if (body.length >= need) return false;
      this.emit({ kind: 'warning', fileOffset, message: `pcapng block type ${hex32(type)} at file offset ${fileOffset} is too short (${body.length} body bytes, needs ${need}); skipped` });
      return true;
    };
    switch (type) {
      case BLOCK_TYPE.sectionHeader: {
        if (short(SECTION_HEADER_BODY.size)) return;
        const header = readLayout(body, 0, SECTION_HEADER_BODY, this.littleEndian);
        if (header.versionMajor !== 1) {
          this.emit({ kind: 'warning', fileOffset, message: `pcapng section at file offset ${fileOffset} has version ${header.versionMajor}.${header.versionMinor}; read as 1.0` });
        }
        this.section++;
        this.interfaces = [];
        return;
      }
      case BLOCK_TYPE.interfaceDescription: {
        if (short(INTERFACE_BODY.size)) return;
        const header = readLayout(body, 0, INTERFACE_BODY, this.littleEndian);
        const iface: Interface = { linkType: header.linkType, snapLength: header.snapLength, tsresol: DEFAULT_TSRESOL, tsoffset: 0n };
        this.readOptions(body.subarray(INTERFACE_BODY.size), (code, value) => {
          if (code === OPTION.ifName) iface.name = utf8.decode(value);
          else if (code === OPTION.ifTsresol && value.length >= 1) iface.tsresol = value[0];
          else if (code === OPTION.ifTsoffset && value.length >= 8) {
            iface.tsoffset = new DataView(value.buffer, value.byteOffset, 8).getBigInt64(0, this.littleEndian);
          }
        });
        this.interfaces.push(iface);
        return;
      }
      case BLOCK_TYPE.enhancedPacket:
      case BLOCK_TYPE.packetObsolete: {
        const shape = type === BLOCK_TYPE.enhancedPacket ? ENHANCED_PACKET_BODY : PACKET_OBSOLETE_BODY;
        if (short(shape.size)) return;
        const f = shape.field;
        const le = this.littleEndian;
        const capturedLength = readField(body, 0, f.capturedLength, le);
        const available = body.length - shape.size;
        if (capturedLength > available && !cut) {
          this.emit({ kind: 'warning', fileOffset, frameIndex: this.frames + 1, message: `pcapng packet block at file offset ${fileOffset} claims ${capturedLength} captured bytes but holds ${available}; cut to fit` });
        }
        const data = body.subarray(shape.size, shape.size + Math.min(capturedLength, available));
        this.frame(readField(body, 0, f.interfaceId, le), readField(body, 0, f.timestampHigh, le), readField(body, 0, f.timestampLow, le), data, readField(body, 0, f.originalLength, le), fileOffset);
        return;
      }
      case BLOCK_TYPE.simplePacket: {
        if (short(SIMPLE_PACKET_BODY.size)) return;
        const { originalLength } = readLayout(body, 0, SIMPLE_PACKET_BODY, this.littleEndian);
        const snap = this.interfaces[0]?.snapLength || Infinity;
        const length = Math.min(originalLength, snap, body.length - SIMPLE_PACKET_BODY.size);
        // §4.4: a Simple Packet Block has no timestamp; it is shown at time 0.
        this.frame(0, 0, 0, body.subarray(SIMPLE_PACKET_BODY.size, SIMPLE_PACKET_BODY.size + length), originalLength, fileOffset);
        return;
      }
      case BLOCK_TYPE.nameResolution:
        this.readNames(body);
        return;
      case BLOCK_TYPE.decryptionSecrets: {
        if (short(DECRYPTION_SECRETS_BODY.size)) return;
        const header = readLayout(body, 0, DECRYPTION_SECRETS_BODY, this.littleEndian);
        const length = Math.min(header.secretsLength, body.length - DECRYPTION_SECRETS_BODY.size);
        this.emit({ kind: 'secrets', secretsType: header.secretsType, data: body.subarray(DECRYPTION_SECRETS_BODY.size, DECRYPTION_SECRETS_BODY.size + length), fileOffset });
        return;
      }
      default:
        return; // Interface Statistics, custom and unknown blocks: nothing sshlens needs.
    }
  }

  private frame(interfaceId: number, high: number, low: number, data: Uint8Array, originalLength: number, fileOffset: number): void {
    this.frames++;
    const iface = this.interfaces[interfaceId];
    if (!iface) {
      this.emit({ kind: 'warning', fileOffset, frameIndex: this.frames, message: `frame ${this.frames} at file offset ${fileOffset} names interface ${interfaceId}, but section ${this.section} describes ${this.interfaces.length}; frame skipped` });
      return;
    }
    this.emit({
      kind: 'frame',
      index: this.frames,
      fileOffset,
      linkType: iface.linkType,
      interfaceId,
      section: this.section,
      interfaceName: iface.name,
      time: unitsToTimestamp(high, low, iface.tsresol, iface.tsoffset),
      data,
      originalLength: Math.max(originalLength, data.length),
    });
  }

  /** §3.5: options run to opt_endofopt or the end of the block. */
  private readOptions(bytes: Uint8Array, each: (code: number, value: Uint8Array) => void): void {
    let at = 0;
    while (at + OPTION_HEADER.size <= bytes.length) {
      const { code, length } = readLayout(bytes, at, OPTION_HEADER, this.littleEndian);
      if (code === OPTION.endOfOptions) return;
      const start = at + OPTION_HEADER.size;
      if (start + length > bytes.length) return;
      each(code, bytes.subarray(start, start + length));
      at = start + pad4(length);
    }
  }

  /** §4.5: records of `type | length | value`; type 1 IPv4 and 2 IPv6, each an address then zero-terminated names. */
  private readNames(bytes: Uint8Array): void {
    let at = 0;
    while (at + OPTION_HEADER.size <= bytes.length) {
      const { code: recordType, length } = readLayout(bytes, at, OPTION_HEADER, this.littleEndian);
      if (recordType === 0) return;
      const value = bytes.subarray(at + 4, Math.min(bytes.length, at + 4 + length));
      at += 4 + pad4(length);
      const addressLength = recordType === 1 ? 4 : recordType === 2 ? 16 : 0;
      if (addressLength === 0 || value.length <= addressLength) continue;
      const address = formatAddress(value.subarray(0, addressLength));
      const names = utf8.decode(value.subarray(addressLength)).split('\0').filter((name) => name.length > 0);
      this.emit({ kind: 'name', address, names });
    }
  }
}
