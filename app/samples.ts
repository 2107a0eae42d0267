/**
 * Bundled sample sessions from traces/ (recorded by the project's own recorder): each sample is a capture with its
 * key log(s) sharing a base name, or a trace JSON, at the top of traces/ (traces/expected/ holds test goldens). Vite bundles them as local assets, so a static build serves them
 * from its own folder and nothing is fetched from anywhere else.
 */
import type { InputFile } from './worker/open-files.ts';

const assets = import.meta.glob('../traces/*.{pcap,pcapng,keylog,json}', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

export interface Sample {
  name: string;
  files: { name: string; url: string }[];
}

function baseName(path: string): string {
  const file = path.split('/').pop()!;
  return file.replace(/\.(pcap|pcapng|json)$/, '').replace(/(\.[a-z_]+)?\.keylog$/, '');
}

export const SAMPLES: Sample[] = (() => {
  const byName = new Map<string, Sample>();
  for (const [path, url] of Object.entries(assets)) {
    const name = baseName(path);
    const sample = byName.get(name) ?? { name, files: [] };
    sample.files.push({ name: path.split('/').pop()!, url });
    byName.set(name, sample);
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
})();

/** The sample the analyzer opens on start: a public-key login and an exec, the most typical session. */
export const DEFAULT_SAMPLE = SAMPLES.find((s) => s.name === 'publickey-exec')?.name ?? SAMPLES[0]?.name;

export async function loadSample(name: string): Promise<InputFile[]> {
  const sample = SAMPLES.find((s) => s.name === name);
  if (!sample) throw new Error(`There is no sample named "${name}" in this build.`);
  return Promise.all(sample.files.map(async (file) => {
    const response = await fetch(file.url);
    if (!response.ok) throw new Error(`sample file ${file.name} could not be read (${response.status})`);
    return { name: file.name, bytes: new Uint8Array(await response.arrayBuffer()) };
  }));
}
