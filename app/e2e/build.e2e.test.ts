/**
 * The production build, served as static files: it does not depend on the development fixtures, it decodes a
 * capture in its own Web Worker, and nothing it loads or sends goes to another host.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesDir } from '../../vite.config.ts';
import { startApp, type AppHarness } from './harness.ts';

const captures = path.join(fixturesDir, 'openssh-ssh2');
const haveFixtures = existsSync(path.join(captures, 'ns_rsa_c25519_chacha20.dsb.pcapng'));

let app: AppHarness & { outDir?: string };
beforeAll(async () => { app = await startApp({ build: true }); }, 180_000);
afterAll(async () => {
  expect(app?.foreignRequests ?? []).toEqual([]);
  await app?.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
}

describe('production build', () => {
  test('has relative asset paths, a separate worker, and no trace of the development fixtures', () => {
    const files = filesUnder(app.outDir!);
    const html = readFileSync(path.join(app.outDir!, 'index.html'), 'utf8');
    expect(html).toMatch(/src="\.\/assets\//);
    expect(files.some((file) => /decode\.worker.*\.js$/.test(file))).toBe(true);
    for (const file of files.filter((f) => /\.(js|html|css)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain('/@fs');
      expect(text, file).not.toContain('shared/fixtures');
    }
  });

  test('opens the bundled sample from its own assets', async () => {
    const page = await app.newPage();
    await page.goto(app.url);
    await page.getByRole('region', { name: 'Session overview' }).waitFor();
    expect(app.requests.some((url) => /assets\/publickey-exec-.*\.pcap$/.test(url))).toBe(true);
    await page.close();
  });

  test.skipIf(!haveFixtures)('decodes a pcapng with its keys inside (Decryption Secrets Block) in the built worker', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}#start`);
    await page.getByLabel('Capture and key log files').setInputFiles(path.join(captures, 'ns_rsa_c25519_chacha20.dsb.pcapng'));
    await page.getByRole('region', { name: 'Session overview' }).waitFor();
    await expect(page.getByRole('region', { name: 'Key exchange 1' }).getByText('✓ signature over H verified').count()).resolves.toBe(1);
    await expect(page.getByRole('region', { name: 'Key exchange 1' }).getByText(/does not match/).count()).resolves.toBe(0);
    expect(app.pageErrors).toEqual([]);
    await page.close();
  });
});
