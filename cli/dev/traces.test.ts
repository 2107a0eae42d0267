/**
 * The bundled sample sessions (traces/, recorded by `npm run traces` with the engine against OpenSSH) replayed
 * offline: each capture decoded with its key log must give exactly the trace recorded beside it in
 * traces/expected/, so any change in the decoder's output shows up here. Rerun `npm run traces` to re-record.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCapture } from '../../engine/decoder/capture-decoder.ts';
import { traceFromJson, traceToJson } from '../../engine/trace/json.ts';

const TRACES = join(process.cwd(), 'traces');
const samples = readdirSync(TRACES).filter((f) => f.endsWith('.pcap')).map((f) => f.replace(/\.pcap$/, '')).sort();

describe('sample traces replayed offline', () => {
  it('has the samples the engine issue asks for', () => {
    expect(samples).toEqual(expect.arrayContaining(['password-exec', 'pty-shell-resize', 'rekey', 'port-forwarding', 'failed-login', 'compression', 'sntrup761', 'mlkem768']));
  });
  for (const name of samples) {
    it(`${name} decodes to its recorded trace`, () => {
      const keyLog = readFileSync(join(TRACES, `${name}.keylog`), 'utf8');
      const trace = decodeCapture(new Uint8Array(readFileSync(join(TRACES, `${name}.pcap`))), [{ name: `${name}.keylog`, text: keyLog }], `${name}.pcap`);
      const expected = traceFromJson(readFileSync(join(TRACES, 'expected', `${name}.json`), 'utf8'));
      expect(JSON.parse(traceToJson(trace))).toEqual(JSON.parse(traceToJson(expected)));
      const [session] = trace.sessions;
      expect(session.kex.every((k) => k.hostKey?.verified)).toBe(true);
      expect(session.packets.every((p) => !p.error && p.message && !p.message.error && !p.message.unknown)).toBe(true);
    });
  }
});
