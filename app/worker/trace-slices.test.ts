/**
 * A whole trace replayed in slices (trace-slices.ts) and streamed like a capture (trace-stream.ts -> structured
 * clone -> trace-assembly.ts) arrives as the same trace: checked on real OpenSSH captures from ../shared/fixtures
 * (read in place) with a rekey (two key exchanges) and an SFTP session (two channels), read back from their trace
 * JSON as a user's trace file would be, in slices of a few packets so every kind of record crosses slices. At each
 * step nothing refers to a packet that has not arrived yet.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { decodeCapture } from '../../engine/decoder/capture-decoder.ts';
import { traceFromJson, traceToJson } from '../../engine/trace/json.ts';
import type { Trace } from '../../engine/trace/model.ts';
import { fixturesDir } from '../../vite.config.ts';
import { TraceAssembler } from '../lib/trace-assembly.ts';
import { replayTrace } from './trace-slices.ts';
import { TraceStreamer } from './trace-stream.ts';

const captures = path.join(fixturesDir, 'openssh-ssh2');
const NAMES = ['ns_c25519_chacha20_rekey', 'ns_c25519_chacha20_sftp'];

function decoded(name: string): Trace {
  const capture = new Uint8Array(readFileSync(path.join(captures, `${name}.pcap`)));
  const keyLog = readFileSync(path.join(captures, `${name}.shared_secret.keylog`), 'utf8');
  return decodeCapture(capture, [{ name: 'keys.log', text: keyLog }], name);
}

describe.skipIf(!existsSync(path.join(captures, `${NAMES[0]}.pcap`)))('a trace file streams in slices', () => {
  for (const name of NAMES) {
    test(name, () => {
      const json = traceToJson(decoded(name));
      const whole = traceFromJson(json);
      const total = whole.sessions[0].packets.length;
      const assembler = new TraceAssembler();
      let streamer: TraceStreamer | undefined;
      let batches = 0;
      replayTrace(whole, (live) => {
        streamer ??= new TraceStreamer(live);
        const { batch } = streamer.take();
        batches++;
        for (const delta of batch.sessions) expect(delta.packets.length).toBeLessThanOrEqual(7);
        const trace = assembler.apply(structuredClone(batch));
        const session = trace.sessions[0];
        const arrived = session.packets.length;
        for (const kex of session.kex) {
          for (const packet of [kex.packets.clientKexinit, kex.packets.serverKexinit, ...kex.packets.messages]) if (packet !== undefined) expect(packet).toBeLessThan(arrived);
        }
        for (const channel of session.channels) {
          for (const event of channel.events) expect(event.packet).toBeLessThan(arrived);
          for (const request of channel.requests) expect(request.packet).toBeLessThan(arrived);
          const data = channel.events.filter((event) => event.kind === 'data');
          expect(channel.clientData.length).toBeLessThanOrEqual(data.filter((event) => event.direction === 'client').length);
          expect(channel.serverData.length).toBeLessThanOrEqual(data.filter((event) => event.direction === 'server').length);
        }
      }, 7);
      expect(batches).toBe(Math.ceil(total / 7));
      // Nothing is left behind: the streamed trace is the file's, byte for byte once written again.
      expect(traceToJson(assembler.trace)).toBe(json);
    });
  }
});
