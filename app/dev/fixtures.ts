/**
 * Development and test only: loads a real capture (and its key log beside it) from ../shared/fixtures through the
 * dev server, read in place. A production build has no fixtures (__SSHLENS_FIXTURES__ is null) and never asks.
 */
import type { InputFile } from '../worker/open-files.ts';

export const fixturesAvailable = (): boolean => typeof __SSHLENS_FIXTURES__ === 'string' && __SSHLENS_FIXTURES__ !== null;

/** `name` is relative to the fixtures folder, e.g. `openssh-ssh2/ns_c25519_chacha20.pcap`. */
export async function loadFixture(name: string): Promise<InputFile[]> {
  if (!fixturesAvailable()) throw new Error(`"${name}" is a development fixture, and this build has none: open the capture with the file picker.`);
  if (name.includes('..') || name.startsWith('/') || !/^[\w./-]+$/.test(name)) throw new Error(`"${name}" is not a fixture name.`);
  const base = `${__SSHLENS_FIXTURES__}/${name}`;
  const capture = await fetch(base);
  if (!capture.ok) throw new Error(`fixture ${name} not found (${capture.status})`);
  const files: InputFile[] = [{ name: name.split('/').pop()!, bytes: new Uint8Array(await capture.arrayBuffer()) }];
  const keyLogName = name.replace(/\.(pcap|pcapng)$/, '.shared_secret.keylog');
  if (keyLogName !== name) {
    const keys = await fetch(`${__SSHLENS_FIXTURES__}/${keyLogName}`);
    if (keys.ok) files.push({ name: keyLogName.split('/').pop()!, bytes: new Uint8Array(await keys.arrayBuffer()) });
  }
  return files;
}
