/**
 * The WebCrypto AES fast path in real Chromium (Debian's chromium through playwright-core, the Vite dev server of
 * app/e2e/harness.ts): real OpenSSH captures from ../shared/fixtures/openssh-ssh2/ (read in place) - aes128-ctr with
 * hmac-sha2-256, aes128-gcm@openssh.com and aes256-gcm@openssh.com - decode to the same trace, byte for byte, with
 * the WebCrypto provider installed as with noble, and the fast path serves most of the bytes. Chromium's AES-CTR
 * also passes the provider's install-time check against noble (a prefetch boundary and the 2^128 counter wrap).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesDir } from '../../vite.config.ts';
import { startApp, type AppHarness } from './harness.ts';
import type { PageDecode } from './webcrypto-aes.page.ts';

const captures = path.join(fixturesDir, 'openssh-ssh2');
const haveFixtures = existsSync(path.join(captures, 'MANIFEST.tsv'));
if (!haveFixtures) console.warn(`\n*** ${captures} is missing: the WebCrypto AES tests on real captures were SKIPPED ***\n`);

let app: AppHarness;
beforeAll(async () => { app = await startApp(); }, 120_000);
afterAll(async () => {
  expect(app?.foreignRequests ?? []).toEqual([]);
  await app?.close();
});

describe.skipIf(!haveFixtures)('WebCrypto AES fast path in Chromium', () => {
  for (const name of ['ns_c25519_aes128ctr_sha256', 'ns_c25519_aes128gcm', 'ns_c25519_aes256gcm']) {
    test(`${name}: the same trace as noble, most bytes served by WebCrypto`, async () => {
      const page = await app.newPage();
      await page.goto(`${app.url}#start`);
      const url = (file: string) => `/@fs${path.join(captures, file)}`;
      // A string, not a function: the test runner rewrites import() in functions it compiles.
      const result = await page.evaluate(`import('/e2e/webcrypto-aes.page.ts').then((m) => m.compareDecodes(
        ${JSON.stringify(url(`${name}.pcap`))}, ${JSON.stringify(url(`${name}.shared_secret.keylog`))}, { chunk: 512 }))`) as PageDecode;
      expect(result.provider).toBe('webcrypto');
      expect(result.packets).toBeGreaterThan(20);
      expect(result.identical).toBe(true);
      const { servedBytes, fallbackBytes } = result.stats!;
      // The first packet of each GCM direction cannot be prefetched (its IV is first seen with it), and a stream's first prefetch lands a chunk later.
      expect(servedBytes / (servedBytes + fallbackBytes)).toBeGreaterThan(0.6);
      expect(app.pageErrors).toEqual([]);
      await page.close();
    });
  }
});
