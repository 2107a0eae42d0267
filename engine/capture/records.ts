/**
 * @module capture/records
 * What the file-format layer (pcap.ts, pcapng.ts) hands upward: captured frames with their link type and exact
 * time, key log text from pcapng Decryption Secrets Blocks, name resolution records, and warnings.
 */

/** A capture time, exact: whole seconds since 1970 plus nanoseconds (0..999 999 999). */
export interface Timestamp {
  seconds: number;
  nanoseconds: number;
}

/** One captured frame, numbered from 1 in file order as Wireshark numbers them. */
export interface FrameRecord {
  kind: 'frame';
  index: number;
  /** File offset of the record or block (of the decompressed stream for gzip files). */
  fileOffset: number;
  /** LINKTYPE_* value (https://www.tcpdump.org/linktypes.html). */
  linkType: number;
  /** pcapng interface number within its section (0 for classic pcap); sections are counted from 0. */
  interfaceId: number;
  section: number;
  /** pcapng `if_name`, when the interface has one. */
  interfaceName?: string;
  time: Timestamp;
  /** The captured bytes; fewer than originalLength when the snap length (or the end of the file) cut the frame. */
  data: Uint8Array;
  originalLength: number;
}

export interface SecretsRecord {
  kind: 'secrets';
  /** pcapng Decryption Secrets Block type, e.g. 0x5353484b for SSH key logs. */
  secretsType: number;
  data: Uint8Array;
  fileOffset: number;
}

/** pcapng Name Resolution Block entry: an IPv4/IPv6 address and the names recorded for it. */
export interface NameRecord {
  kind: 'name';
  address: string;
  names: string[];
}

export interface FileWarning {
  kind: 'warning';
  message: string;
  fileOffset: number;
  /** The frame the warning is about, when it is about one. */
  frameIndex?: number;
}

export type FileRecord = FrameRecord | SecretsRecord | NameRecord | FileWarning;

/** Receives records as a file parser finds them. */
export type RecordSink = (record: FileRecord) => void;
