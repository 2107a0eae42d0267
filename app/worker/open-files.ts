/**
 * What the decode worker does with the files a user opened (or a test loaded): tell captures, key logs and trace
 * JSON apart by their first bytes, then decode the capture with its key logs, or read the trace. Pure: runs in the
 * worker, in node tests and nowhere else; nothing here touches the network.
 */
import { traceFromJson } from '../../engine/trace/json.ts';
import type { Trace } from '../../engine/trace/model.ts';
import { SshlensError } from '../../engine/errors.ts';
import { notACapture } from '../../engine/capture/capture-file.ts';

export interface InputFile {
  name: string;
  /** The file's bytes; when `blob` is given, only its first bytes (enough to tell what kind of file it is). */
  bytes: Uint8Array;
  /** The whole file, read in chunks where it is decoded (the page never reads a large capture itself). */
  blob?: Blob;
}

/** How many bytes of a blob-backed file `bytes` holds. */
export const HEAD_BYTES = 64 * 1024;

/** Files as the page hands them to the worker: a head to sniff, the blob to read from (no copy of a large file). */
export async function describeFiles(files: File[]): Promise<InputFile[]> {
  return Promise.all(files.map(async (file) => ({
    name: file.name, bytes: new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()), ...(file.size > HEAD_BYTES ? { blob: file } : {}),
  })));
}

/** The whole of a file whose kind needs all of it (a key log, a trace JSON). */
export async function wholeFile(file: InputFile): Promise<InputFile> {
  return file.blob ? { name: file.name, bytes: new Uint8Array(await file.blob.arrayBuffer()) } : file;
}

export type FileKind = 'capture' | 'trace' | 'keylog';

/** File names that say "capture". */
const CAPTURE_NAME = /\.(pcap|pcapng|cap|dmp)(\.gz)?$/i;

const MAGICS: number[][] = [
  [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d], // pcap (us/ns, both byte orders)
  [0x0a, 0x0d, 0x0d, 0x0a], // pcapng section header block
  [0x1f, 0x8b], // gzip (a compressed capture)
];

export function fileKind(file: InputFile): FileKind {
  const b = file.bytes;
  if (MAGICS.some((magic) => magic.every((byte, i) => b[i] === byte))) return 'capture';
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09 || b[i] === 0xef || b[i] === 0xbb || b[i] === 0xbf)) i++;
  return b[i] === 0x7b ? 'trace' : 'keylog';
}

export type Progress = (fraction: number, note: string) => void;

/** A capture decoder: the engine's, once it is plugged in (see decode.worker.ts). */
export type CaptureDecoder = (capture: InputFile, keyLogs: InputFile[], progress: Progress) => Promise<Trace> | Trace;

/** Opens the files: one trace JSON, or one capture with any number of key logs. Throws errors that say what to do. */
export async function openFiles(files: InputFile[], decodeCapture: CaptureDecoder | null, progress: Progress): Promise<Trace> {
  const kinds = files.map(fileKind);
  const traces = files.filter((_, i) => kinds[i] === 'trace');
  const captures = files.filter((_, i) => kinds[i] === 'capture');
  const keyLogs = files.filter((_, i) => kinds[i] === 'keylog');
  if (traces.length + captures.length === 0) {
    // A file named as a capture, or the only file opened, was meant as one: say why it is not, as the decoder does.
    const meant = files.find((f) => CAPTURE_NAME.test(f.name)) ?? (files.length === 1 ? files[0] : undefined);
    if (meant) throw new SshlensError('not-a-capture', `${meant.name}: ${notACapture(meant.bytes).message}`);
    throw new SshlensError('no-capture', `None of ${files.map((f) => f.name).join(', ')} is a capture (pcap, pcapng) or a trace (JSON): open the capture together with its key logs.`);
  }
  if (traces.length + captures.length > 1) {
    throw new SshlensError('several-captures', `Open one capture (with its key logs) or one trace at a time; got ${[...traces, ...captures].map((f) => f.name).join(', ')}.`);
  }
  if (traces.length === 1) {
    progress(0.5, `reading ${traces[0].name}`);
    return traceFromJson(new TextDecoder().decode((await wholeFile(traces[0])).bytes));
  }
  if (!decodeCapture) {
    throw new SshlensError('no-decoder', 'This build cannot decode captures yet (the capture decoder is missing); open a trace JSON instead.');
  }
  return decodeCapture(captures[0], await Promise.all(keyLogs.map(wholeFile)), progress);
}
