/**
 * @module capture/pcapng-writer
 * A small pcapng writer (draft-ietf-opsawg-pcapng) for recordings: a Section Header Block, one interface with
 * nanosecond timestamps, Enhanced Packet Blocks, and Decryption Secrets Blocks carrying an SSH key log (§4.7,
 * secrets type 0x5353484b) - what `editcap --inject-secrets ssh,keys.log` makes. Each method returns
 * the bytes of one block, so a caller can stream them to a file as they come.
 */
import { layout, writeLayout } from './layout.ts';
import { BLOCK_TYPE, BYTE_ORDER_MAGIC, DECRYPTION_SECRETS_BODY, ENHANCED_PACKET_BODY, INTERFACE_BODY, OPTION, SECRETS_TYPE_SSH, SECTION_HEADER_BODY } from './pcapng.ts';
import type { Timestamp } from './records.ts';
import { timestampToNanosecondUnits } from './timestamps.ts';

const BLOCK_HEADER = layout([['type', 4], ['totalLength', 4]]);
const OPTION_HEADER = layout([['code', 2], ['length', 2]]);
const SHB_OPTION_USER_APPLICATION = 4;
const NANOSECOND_TSRESOL = 9;

const pad4 = (n: number) => (n + 3) & ~3;
const utf8 = new TextEncoder();

/** One block: header, body parts (each padded to 4 bytes), trailing length. */
export function block(type: number, parts: Uint8Array[], littleEndian = true): Uint8Array {
  const bodyLength = parts.reduce((sum, part) => sum + pad4(part.length), 0);
  const totalLength = 12 + bodyLength;
  const out = new Uint8Array(totalLength);
  out.set(writeLayout(BLOCK_HEADER, { type, totalLength }, littleEndian), 0);
  let at = 8;
  for (const part of parts) {
    out.set(part, at);
    at += pad4(part.length);
  }
  new DataView(out.buffer).setUint32(at, totalLength, littleEndian);
  return out;
}

/** Options (§3.5), ended by opt_endofopt. */
export function options(entries: [number, Uint8Array][], littleEndian = true): Uint8Array {
  if (entries.length === 0) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  for (const [code, value] of entries) {
    const padded = new Uint8Array(pad4(value.length));
    padded.set(value);
    parts.push(writeLayout(OPTION_HEADER, { code, length: value.length }, littleEndian), padded);
  }
  parts.push(new Uint8Array(4)); // opt_endofopt
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export class PcapngWriter {
  /** Little-endian unless asked otherwise (readers take either; big-endian is for testing them). */
  constructor(private readonly littleEndian = true) {}

  /** §4.1: section length unknown (-1), written as 0xffffffff ffffffff. */
  sectionHeader(application = 'sshlens'): Uint8Array {
    const le = this.littleEndian;
    const body = writeLayout(SECTION_HEADER_BODY, { byteOrderMagic: BYTE_ORDER_MAGIC, versionMajor: 1, versionMinor: 0, sectionLengthHigh: 0xffffffff, sectionLengthLow: 0xffffffff }, le);
    return block(BLOCK_TYPE.sectionHeader, [body, options([[SHB_OPTION_USER_APPLICATION, utf8.encode(application)]], le)], le);
  }

  /** §4.2: interface 0 of the section, nanosecond timestamps. */
  interface(linkType: number, name?: string, snapLength = 0): Uint8Array {
    const body = writeLayout(INTERFACE_BODY, { linkType, reserved: 0, snapLength }, this.littleEndian);
    const entries: [number, Uint8Array][] = [[OPTION.ifTsresol, Uint8Array.of(NANOSECOND_TSRESOL)]];
    if (name !== undefined) entries.unshift([OPTION.ifName, utf8.encode(name)]);
    return block(BLOCK_TYPE.interfaceDescription, [body, options(entries, this.littleEndian)], this.littleEndian);
  }

  /** §4.3: one frame on interface `interfaceId`. */
  packet(time: Timestamp, data: Uint8Array, originalLength = data.length, interfaceId = 0): Uint8Array {
    const { high, low } = timestampToNanosecondUnits(time);
    const body = writeLayout(ENHANCED_PACKET_BODY, { interfaceId, timestampHigh: high, timestampLow: low, capturedLength: data.length, originalLength }, this.littleEndian);
    return block(BLOCK_TYPE.enhancedPacket, [body, data], this.littleEndian);
  }

  /** §4.7: a key log (text) as a Decryption Secrets Block. */
  secrets(text: string, secretsType = SECRETS_TYPE_SSH): Uint8Array {
    const data = utf8.encode(text);
    const header = writeLayout(DECRYPTION_SECRETS_BODY, { secretsType, secretsLength: data.length }, this.littleEndian);
    return block(BLOCK_TYPE.decryptionSecrets, [header, data], this.littleEndian);
  }
}
