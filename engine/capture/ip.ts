/**
 * @module capture/ip
 * IPv4 (RFC 791 §3.1; options skipped by the header length) and IPv6 (RFC 8200 §3-§4; extension headers skipped)
 * down to the transport payload. Fragments are reported, not reassembled: SSH over TCP on a sane path does not
 * fragment, and a fragment's bytes are never guessed at.
 */
import { layout, readField } from './layout.ts';
import { readUint32 } from '../wire/hex.ts';

/** RFC 791 §3.1 */
export const IPV4_HEADER = layout([
  ['versionAndHeaderLength', 1],
  ['typeOfService', 1],
  ['totalLength', 2],
  ['identification', 2],
  ['flagsAndFragmentOffset', 2],
  ['timeToLive', 1],
  ['protocol', 1],
  ['headerChecksum', 2],
  ['source', 4],
  ['destination', 4],
]);

/** RFC 8200 §3 (the two 16-byte addresses follow). */
export const IPV6_HEADER = layout([['versionClassFlow', 4], ['payloadLength', 2], ['nextHeader', 1], ['hopLimit', 1]]);
export const IPV6_HEADER_SIZE = 40;

export const IP_PROTOCOL_TCP = 6;

/** RFC 8200 §4 extension headers whose length is `(byte 1 + 1) * 8`; AH (51) counts in 4-byte units (RFC 4302 §2.2). */
const IPV6_EXTENSIONS: ReadonlySet<number> = new Set([0 /* hop-by-hop */, 43 /* routing */, 60 /* destination */, 135 /* mobility */, 139 /* HIP */, 140 /* shim6 */]);
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;
const IPV6_NO_NEXT_HEADER = 59;

export interface IpPacket {
  ok: true;
  version: 4 | 6;
  source: string;
  destination: string;
  protocol: number;
  /** Where the transport header starts in the frame. */
  payloadOffset: number;
  /** The payload length the IP header declares. */
  payloadLength: number;
  /** How many of those bytes the frame holds (fewer when the snap length cut it). */
  capturedPayloadLength: number;
}
export type IpResult = IpPacket | { ok: false; reason: string; fragment?: boolean };

export function parseIp(version: 4 | 6, frame: Uint8Array, offset: number): IpResult {
  return version === 4 ? parseIpv4(frame, offset) : parseIpv6(frame, offset);
}

function parseIpv4(frame: Uint8Array, offset: number): IpResult {
  if (frame.length < offset + IPV4_HEADER.size) return { ok: false, reason: `IPv4 header cut short (${frame.length - offset} of 20 bytes)` };
  const f = IPV4_HEADER.field;
  const versionAndHeaderLength = readField(frame, offset, f.versionAndHeaderLength);
  if (versionAndHeaderLength >> 4 !== 4) return { ok: false, reason: `IP version ${versionAndHeaderLength >> 4} where IPv4 was expected` };
  const headerLength = (versionAndHeaderLength & 0x0f) * 4;
  if (headerLength < 20) return { ok: false, reason: `IPv4 header length ${headerLength} is below 20` };
  if (frame.length < offset + headerLength) return { ok: false, reason: `IPv4 options cut short` };
  const flagsAndFragmentOffset = readField(frame, offset, f.flagsAndFragmentOffset);
  const moreFragments = (flagsAndFragmentOffset & 0x2000) !== 0;
  const fragmentOffset = (flagsAndFragmentOffset & 0x1fff) * 8;
  const source = ipv4Text(frame, offset + f.source.offset);
  const destination = ipv4Text(frame, offset + f.destination.offset);
  if (moreFragments || fragmentOffset !== 0) {
    return { ok: false, fragment: true, reason: `IPv4 fragment ${source} -> ${destination} (id ${readField(frame, offset, f.identification)}, offset ${fragmentOffset}${moreFragments ? ', more follow' : ''}): fragments are not reassembled` };
  }
  // A total length of 0 appears with TCP segmentation offload: the frame length is then the only length there is.
  const available = frame.length - offset - headerLength;
  const totalLength = readField(frame, offset, f.totalLength);
  const payloadLength = totalLength === 0 ? available : Math.max(0, totalLength - headerLength);
  return {
    ok: true,
    version: 4,
    source,
    destination,
    protocol: readField(frame, offset, f.protocol),
    payloadOffset: offset + headerLength,
    payloadLength,
    capturedPayloadLength: Math.min(payloadLength, available),
  };
}

function parseIpv6(frame: Uint8Array, offset: number): IpResult {
  if (frame.length < offset + IPV6_HEADER_SIZE) return { ok: false, reason: `IPv6 header cut short (${frame.length - offset} of 40 bytes)` };
  const f = IPV6_HEADER.field;
  const version = readField(frame, offset, f.versionClassFlow) >>> 28;
  if (version !== 6) return { ok: false, reason: `IP version ${version} where IPv6 was expected` };
  const source = formatAddress(frame.subarray(offset + 8, offset + 24));
  const destination = formatAddress(frame.subarray(offset + 24, offset + 40));
  const payloadStart = offset + IPV6_HEADER_SIZE;
  // Payload length 0 is a jumbogram (RFC 2675) or offload; take the frame's length.
  const declaredLength = readField(frame, offset, f.payloadLength);
  const declaredEnd = declaredLength === 0 ? frame.length : payloadStart + declaredLength;
  let next = readField(frame, offset, f.nextHeader);
  let at = payloadStart;
  for (;;) {
    if (IPV6_EXTENSIONS.has(next) || next === IPV6_AH || next === IPV6_FRAGMENT) {
      if (frame.length < at + 8) return { ok: false, reason: `IPv6 extension header ${next} cut short` };
      if (next === IPV6_FRAGMENT) {
        const offsetAndFlags = (frame[at + 2] << 8) | frame[at + 3];
        if ((offsetAndFlags & 0xfff8) !== 0 || (offsetAndFlags & 1) !== 0) {
          return { ok: false, fragment: true, reason: `IPv6 fragment ${source} -> ${destination}: fragments are not reassembled` };
        }
      }
      const length = next === IPV6_FRAGMENT ? 8 : next === IPV6_AH ? (frame[at + 1] + 2) * 4 : (frame[at + 1] + 1) * 8;
      next = frame[at];
      at += length;
      continue;
    }
    if (next === IPV6_NO_NEXT_HEADER) return { ok: false, reason: 'IPv6 packet with no next header' };
    break;
  }
  if (at > declaredEnd) return { ok: false, reason: 'IPv6 extension headers run past the payload length' };
  const payloadLength = declaredEnd - at;
  return {
    ok: true,
    version: 6,
    source,
    destination,
    protocol: next,
    payloadOffset: at,
    payloadLength,
    capturedPayloadLength: Math.max(0, Math.min(payloadLength, frame.length - at)),
  };
}

/** Dotted IPv4, or RFC 5952 IPv6 text (lower case, the longest run of two or more zero groups as `::`). */
/** IPv4 addresses as text, remembered: a capture repeats a few addresses in every frame (bounded, then forgotten). */
const ipv4Texts = new Map<number, string>();

/** The last address looked up: a connection's frames repeat the same two (loopback captures, one). */
let lastIpv4 = -1;
let lastIpv4Text = '';

function ipv4Text(frame: Uint8Array, at: number): string {
  const n = readUint32(frame, at);
  if (n === lastIpv4) return lastIpv4Text;
  let text = ipv4Texts.get(n);
  if (text === undefined) {
    if (ipv4Texts.size >= 4096) ipv4Texts.clear();
    text = formatAddress(frame.subarray(at, at + 4));
    ipv4Texts.set(n, text);
  }
  lastIpv4 = n;
  lastIpv4Text = text;
  return text;
}

export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  // RFC 5952 §5: an IPv4-mapped address keeps its IPv4 part dotted.
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${Array.from(bytes.subarray(12)).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i] << 8) | bytes[i + 1]);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const text = groups.map((g) => g.toString(16));
  if (bestStart < 0) return text.join(':');
  return text.slice(0, bestStart).join(':') + '::' + text.slice(bestStart + bestLength).join(':');
}
