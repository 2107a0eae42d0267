/**
 * @module fuzz/length-fields
 * Where the length fields are in a capture or an SSH stream, found from the formats themselves, so mutations can set
 * them to the values that break parsers (0, 1, 2^31, 2^32-1...):
 * - classic pcap records: incl_len, orig_len (pcap file format, draft-ietf-opsawg-pcap §5);
 * - pcapng blocks: Block Total Length at both ends, EPB captured/original length, option lengths
 *   (draft-ietf-opsawg-pcapng §3.1, §4.3, §3.5);
 * - inside Ethernet frames: IPv4 IHL and Total Length (RFC 791 §3.1), IPv6 Payload Length (RFC 8200 §3),
 *   TCP Data Offset (RFC 9293 §3.1), and the first four payload bytes (an SSH packet_length where a packet starts);
 * - in an SSH stream in the clear: packet_length and padding_length of each packet (RFC 4253 §6).
 */

export interface LengthField {
  /** Byte offset of the field. */
  offset: number;
  size: 1 | 2 | 4 | 8;
  littleEndian: boolean;
  /** For a 4-bit field: the mask of its bits in the byte (IHL 0x0f, TCP data offset 0xf0). */
  nibble?: 0x0f | 0xf0;
  name: string;
}

const ETHERNET = 1;

/** Length fields of one link-layer frame starting at `at` (Ethernet with IPv4/IPv6 and TCP only). */
function frameFields(file: Uint8Array, at: number, length: number, linkType: number, out: LengthField[]): void {
  if (linkType !== ETHERNET || length < 14 + 20) return;
  const etherType = (file[at + 12] << 8) | file[at + 13];
  const ip = at + 14;
  let tcp: number;
  if (etherType === 0x0800) {
    out.push({ offset: ip, size: 1, littleEndian: false, nibble: 0x0f, name: 'IPv4 IHL' });
    out.push({ offset: ip + 2, size: 2, littleEndian: false, name: 'IPv4 total length' });
    if (file[ip + 9] !== 6) return;
    tcp = ip + (file[ip] & 0x0f) * 4;
  } else if (etherType === 0x86dd) {
    out.push({ offset: ip + 4, size: 2, littleEndian: false, name: 'IPv6 payload length' });
    if (file[ip + 6] !== 6) return;
    tcp = ip + 40;
  } else return;
  if (tcp + 20 > at + length) return;
  out.push({ offset: tcp + 12, size: 1, littleEndian: false, nibble: 0xf0, name: 'TCP data offset' });
  const payload = tcp + (file[tcp + 12] >> 4) * 4;
  if (payload + 4 <= at + length) out.push({ offset: payload, size: 4, littleEndian: false, name: 'TCP payload first uint32 (SSH packet_length)' });
}

/** Length fields of a classic pcap file (either byte order, micro- or nanosecond magic). */
export function pcapLengthFields(file: Uint8Array): LengthField[] {
  if (file.length < 24) return [];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const magic = view.getUint32(0, true);
  const littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!littleEndian && view.getUint32(0, false) !== 0xa1b2c3d4 && view.getUint32(0, false) !== 0xa1b23c4d) return [];
  const linkType = view.getUint32(20, littleEndian) & 0x0fffffff;
  const out: LengthField[] = [{ offset: 16, size: 4, littleEndian, name: 'pcap snaplen' }];
  for (let at = 24; at + 16 <= file.length;) {
    const caplen = view.getUint32(at + 8, littleEndian);
    out.push({ offset: at + 8, size: 4, littleEndian, name: 'pcap record incl_len' });
    out.push({ offset: at + 12, size: 4, littleEndian, name: 'pcap record orig_len' });
    if (at + 16 + caplen > file.length) break;
    frameFields(file, at + 16, caplen, linkType, out);
    at += 16 + caplen;
  }
  return out;
}

const SHB = 0x0a0d0d0a;
const IDB = 1;
const EPB = 6;

/** Length fields of a pcapng file: every block's lengths, EPB lengths and frames, option lengths. */
export function pcapngLengthFields(file: Uint8Array): LengthField[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: LengthField[] = [];
  let littleEndian = true;
  const linkTypes: number[] = [];
  for (let at = 0; at + 12 <= file.length;) {
    const type = view.getUint32(at, littleEndian);
    if (type === SHB || view.getUint32(at, !littleEndian) === SHB) {
      littleEndian = view.getUint32(at + 8, true) === 0x1a2b3c4d;
      linkTypes.length = 0;
      out.push({ offset: at + 16, size: 8, littleEndian, name: 'pcapng SHB section length' });
    }
    const total = view.getUint32(at + 4, littleEndian);
    out.push({ offset: at + 4, size: 4, littleEndian, name: 'pcapng block total length' });
    if (total < 12 || at + total > file.length) break;
    out.push({ offset: at + total - 4, size: 4, littleEndian, name: 'pcapng trailing block total length' });
    let options = -1;
    if (type === IDB) {
      linkTypes.push(view.getUint16(at + 8, littleEndian));
      out.push({ offset: at + 12, size: 4, littleEndian, name: 'pcapng IDB snaplen' });
      options = at + 16;
    } else if (type === EPB && total >= 32) {
      const caplen = view.getUint32(at + 20, littleEndian);
      out.push({ offset: at + 20, size: 4, littleEndian, name: 'pcapng EPB captured length' });
      out.push({ offset: at + 24, size: 4, littleEndian, name: 'pcapng EPB original length' });
      if (32 + caplen <= total) frameFields(file, at + 28, caplen, linkTypes[view.getUint32(at + 8, littleEndian)] ?? -1, out);
      options = at + 28 + Math.ceil(caplen / 4) * 4;
    } else if (type === 0x0a && total >= 20) {
      out.push({ offset: at + 12, size: 4, littleEndian, name: 'pcapng DSB secrets length' });
    }
    for (let o = options; o >= 0 && o + 4 <= at + total - 4;) {
      out.push({ offset: o + 2, size: 2, littleEndian, name: 'pcapng option length' });
      const code = view.getUint16(o, littleEndian);
      if (code === 0) break;
      o += 4 + Math.ceil(view.getUint16(o + 2, littleEndian) / 4) * 4;
    }
    at += total;
  }
  return out;
}

/**
 * packet_length and padding_length of the packets of an SSH stream sent in the clear (before the first NEWKEYS),
 * starting at `start` (after the identification line), while the lengths are plausible.
 */
export function sshLengthFields(stream: Uint8Array, start = 0): LengthField[] {
  const out: LengthField[] = [];
  for (let at = start; at + 5 <= stream.length;) {
    const length = ((stream[at] << 24) | (stream[at + 1] << 16) | (stream[at + 2] << 8) | stream[at + 3]) >>> 0;
    if (length < 5 || length > 35000) break;
    out.push({ offset: at, size: 4, littleEndian: false, name: 'SSH packet_length' });
    out.push({ offset: at + 4, size: 1, littleEndian: false, name: 'SSH padding_length' });
    const newKeys = stream[at + 5] === 21;
    at += 4 + length;
    if (newKeys) break; // what follows is encrypted
  }
  return out;
}
