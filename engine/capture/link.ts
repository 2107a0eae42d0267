/**
 * @module capture/link
 * Link layers down to the IP header (https://www.tcpdump.org/linktypes.html): Ethernet II with 802.1Q / 802.1ad
 * (QinQ) VLAN tags, Linux cooked capture v1 (SLL) and v2 (SLL2), BSD loopback (NULL, host byte order; LOOP, network
 * byte order) and raw IP under its several link-type numbers.
 */
import { layout, readField } from './layout.ts';

export const LINKTYPE = {
  null: 0,
  ethernet: 1,
  rawDltOpenBsd: 12, // DLT_RAW as some systems numbered it; libpcap maps both 12 and 14 to raw IP
  rawDlt14: 14,
  raw: 101,
  loop: 108,
  linuxSll: 113,
  ipv4: 228,
  ipv6: 229,
  linuxSll2: 276,
} as const;

export const ETHERTYPE = { ipv4: 0x0800, ipv6: 0x86dd, vlan: 0x8100, qinq: 0x88a8, qinqOld: 0x9100 } as const;
const VLAN_ETHERTYPES: readonly number[] = [ETHERTYPE.vlan, ETHERTYPE.qinq, ETHERTYPE.qinqOld];

/** IEEE 802.3 Ethernet II header. */
export const ETHERNET_HEADER = layout([['destinationHigh', 4], ['destinationLow', 2], ['sourceHigh', 4], ['sourceLow', 2], ['etherType', 2]]);
/** IEEE 802.1Q tag, after the 0x8100 / 0x88a8 type: TCI then the inner type. */
export const VLAN_TAG = layout([['tci', 2], ['etherType', 2]]);
/** https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html */
export const SLL_HEADER = layout([['packetType', 2], ['arphrdType', 2], ['addressLength', 2], ['addressHigh', 4], ['addressLow', 4], ['protocol', 2]]);
/** https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html */
export const SLL2_HEADER = layout([['protocol', 2], ['reserved', 2], ['interfaceIndex', 4], ['arphrdType', 2], ['packetType', 1], ['addressLength', 1], ['addressHigh', 4], ['addressLow', 4]]);

/**
 * BSD loopback address families: AF_INET is 2 everywhere, AF_INET6 differs per system (Linux 10, NetBSD/OpenBSD/
 * BSD/OS 24, FreeBSD/DragonFly 28, macOS 30).
 */
export const LOOPBACK_FAMILY_IPV4 = 2;
export const LOOPBACK_FAMILIES_IPV6: readonly number[] = [10, 24, 28, 30];

export type LinkResult =
  | { ok: true; ipVersion: 4 | 6; offset: number; vlans: number[] }
  | { ok: false; reason: string };

const etherTypeResult = (etherType: number, offset: number, vlans: number[], what: string): LinkResult =>
  etherType === ETHERTYPE.ipv4
    ? { ok: true, ipVersion: 4, offset, vlans }
    : etherType === ETHERTYPE.ipv6
      ? { ok: true, ipVersion: 6, offset, vlans }
      : { ok: false, reason: `${what} carries EtherType 0x${etherType.toString(16).padStart(4, '0')}, not IP` };

function tooShort(frame: Uint8Array, what: string, need: number): LinkResult {
  return { ok: false, reason: `${what} header needs ${need} bytes, the frame has ${frame.length}` };
}

/** Finds the IP header in a frame of the given link type. */
export function decapsulate(linkType: number, frame: Uint8Array): LinkResult {
  switch (linkType) {
    case LINKTYPE.ethernet: {
      if (frame.length < ETHERNET_HEADER.size) return tooShort(frame, 'Ethernet', ETHERNET_HEADER.size);
      let etherType = readField(frame, 0, ETHERNET_HEADER.field.etherType);
      let offset = ETHERNET_HEADER.size;
      const vlans: number[] = [];
      while (VLAN_ETHERTYPES.includes(etherType)) {
        if (frame.length < offset + VLAN_TAG.size) return tooShort(frame, '802.1Q VLAN tag', offset + VLAN_TAG.size);
        vlans.push(readField(frame, offset, VLAN_TAG.field.tci) & 0x0fff);
        etherType = readField(frame, offset, VLAN_TAG.field.etherType);
        offset += VLAN_TAG.size;
      }
      if (etherType < 0x0600) return { ok: false, reason: 'IEEE 802.3 frame with a length field (LLC), not IP' };
      return etherTypeResult(etherType, offset, vlans, 'Ethernet frame');
    }
    case LINKTYPE.linuxSll: {
      if (frame.length < SLL_HEADER.size) return tooShort(frame, 'Linux cooked (SLL)', SLL_HEADER.size);
      return etherTypeResult(readField(frame, 0, SLL_HEADER.field.protocol), SLL_HEADER.size, [], 'Linux cooked (SLL) frame');
    }
    case LINKTYPE.linuxSll2: {
      if (frame.length < SLL2_HEADER.size) return tooShort(frame, 'Linux cooked (SLL2)', SLL2_HEADER.size);
      return etherTypeResult(readField(frame, 0, SLL2_HEADER.field.protocol), SLL2_HEADER.size, [], 'Linux cooked (SLL2) frame');
    }
    case LINKTYPE.null:
    case LINKTYPE.loop: {
      if (frame.length < 4) return tooShort(frame, 'loopback', 4);
      const view = new DataView(frame.buffer, frame.byteOffset, 4);
      // NULL is in the byte order of the capturing host, which the file does not say: a family is a small number,
      // so whichever reading is below 0x10000 is the right one.
      let family = view.getUint32(0, false);
      if (linkType === LINKTYPE.null && family > 0xffff) family = view.getUint32(0, true);
      if (family === LOOPBACK_FAMILY_IPV4) return { ok: true, ipVersion: 4, offset: 4, vlans: [] };
      if (LOOPBACK_FAMILIES_IPV6.includes(family)) return { ok: true, ipVersion: 6, offset: 4, vlans: [] };
      return { ok: false, reason: `loopback frame of address family ${family}, not IP` };
    }
    case LINKTYPE.raw:
    case LINKTYPE.rawDltOpenBsd:
    case LINKTYPE.rawDlt14:
    case LINKTYPE.ipv4:
    case LINKTYPE.ipv6: {
      if (frame.length < 1) return tooShort(frame, 'raw IP', 1);
      const version = frame[0] >> 4;
      if (version === 4 || version === 6) return { ok: true, ipVersion: version, offset: 0, vlans: [] };
      return { ok: false, reason: `raw IP frame with IP version ${version}` };
    }
    default:
      return { ok: false, reason: `link type ${linkType} is not supported (Ethernet, Linux cooked SLL/SLL2, BSD loopback and raw IP are)` };
  }
}
