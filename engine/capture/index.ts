/**
 * @module capture
 * Capture files to per-direction TCP byte streams of SSH connections. Push the file's bytes into a CaptureReader
 * (or hand a whole array to readCapture) and receive CaptureEvents in file order; see events.ts for what each means.
 */
export { CaptureReader, readCapture, readCaptureChunks, type CaptureReaderOptions } from './reader.ts';
export type { CaptureEvent, CaptureEventSink, Direction, Endpoint, FrameInfo, RoleEvidence, Timestamp } from './events.ts';
export { CaptureError, type CaptureErrorCode } from './errors.ts';
export { PcapngWriter } from './pcapng-writer.ts';
export { SECRETS_TYPE_SSH } from './pcapng.ts';
export { LINKTYPE } from './link.ts';
export { DEFAULT_REASSEMBLY_LIMITS, type ReassemblyLimits } from './reassembly.ts';
