/**
 * Stories and browser tests run on real sessions: a capture from ../shared/fixtures/openssh-ssh2/ (read in place
 * through the dev server) decoded by the engine, exactly as the app's worker does it. Cached per capture.
 */
import type { Trace } from '../../engine/trace/model.ts';
import { loadFixture } from '../dev/fixtures.ts';
import { openFiles } from '../worker/open-files.ts';
import { decodeWithEngine } from '../worker/engine-decoder.ts';

const cache = new Map<string, Promise<Trace>>();

/** `name` like `ns_c25519_chacha20` (the openssh-ssh2 capture with its SHARED_SECRET key log). */
export function fixtureTrace(name: string): Promise<Trace> {
  let trace = cache.get(name);
  if (!trace) {
    trace = loadFixture(`openssh-ssh2/${name}.pcap`).then((files) => openFiles(files, decodeWithEngine, () => {}));
    cache.set(name, trace);
  }
  return trace;
}

/** A Storybook loader that puts the decoded trace in `loaded.trace`. */
export const loadTrace = (name: string) => async () => ({ trace: await fixtureTrace(name) });
