/**
 * Issue 8's bad inputs in the analyzer, in real Chromium: a key log for another session, a capture cut short, and a
 * file that is not a capture. The page shows the explanation the decoder (and so `sshlens decode`) gives, word for
 * word, and keeps every message that decoded: its list holds as many rows per packet as the decoder's trace.
 * Captures are read in place from ../shared/fixtures/openssh-ssh2/; the damaged ones are written to a temp folder.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesDir } from '../../vite.config.ts';
import { decodeCapture } from '../../engine/decoder/capture-decoder.ts';
import { SshlensError } from '../../engine/errors.ts';
import { startApp, type AppHarness } from './harness.ts';

const captures = path.join(fixturesDir, 'openssh-ssh2');
const pcap = path.join(captures, 'ns_c25519_chacha20.pcap');
const rightKeys = path.join(captures, 'ns_c25519_chacha20.shared_secret.keylog');
const otherKeys = path.join(captures, 'ns_c25519_aes128gcm.shared_secret.keylog');
const haveFixtures = existsSync(pcap) && existsSync(otherKeys);
if (!haveFixtures) console.warn(`\n*** ${captures} is missing: the bad-input tests in Chromium were SKIPPED ***\n`);

let app: AppHarness;
let work: string;
beforeAll(async () => {
  app = await startApp();
  work = mkdtempSync(path.join(tmpdir(), 'sshlens-bad-inputs-'));
}, 120_000);
afterAll(async () => {
  expect(app?.foreignRequests ?? []).toEqual([]);
  await app?.close();
});

/** Opens files through the picker; resolves with the page once the session overview is there. */
async function open(files: string[]): Promise<Page> {
  const page = await app.newPage();
  await page.goto(app.url);
  await page.getByLabel('Capture and key log files').setInputFiles(files);
  return page;
}

/** Waits until the worker has finished (the source line says how long decoding took). */
async function finished(page: Page): Promise<void> {
  await page.locator('.source-line').getByText(/decoded in \d+ ms/).waitFor({ timeout: 60_000 });
}

async function rowsShown(page: Page): Promise<number> {
  const name = await page.getByRole('listbox', { name: /^Messages, \d+ shown/ }).getAttribute('aria-label');
  return Number(/(\d+) shown/.exec(name!)![1]);
}

/** The decoder's own trace of the same files, as `sshlens decode` builds it. */
function decoded(capture: string, keyLogs: string[]) {
  const bytes = new Uint8Array(readFileSync(capture));
  return decodeCapture(bytes, keyLogs.map((file) => ({ name: path.basename(file), text: readFileSync(file, 'utf8') })), path.basename(capture));
}

describe.skipIf(!haveFixtures)('bad inputs in the analyzer', () => {
  /** Rows the list shows beyond the trace's packets (identification lines): measured on the good decode. */
  let extraRows = 0;

  test('the good decode, for comparison', async () => {
    const page = await open([pcap, rightKeys]);
    await finished(page);
    const trace = decoded(pcap, [rightKeys]);
    expect(trace.sessions[0].problems).toEqual([]);
    extraRows = (await rowsShown(page)) - trace.sessions[0].packets.length;
    expect(extraRows).toBeGreaterThanOrEqual(0);
    await page.close();
  });

  for (const [label, files] of [
    ['a key log for another session', () => [pcap, otherKeys]],
    ['a capture cut short in the middle of a packet', () => {
      const bytes = readFileSync(pcap);
      const cut = path.join(work, 'cut-short.pcap');
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6) + 7));
      return [cut, rightKeys];
    }],
  ] as const) {
    test(`${label}: the decoder's explanations, and every message that decoded`, async () => {
      const [capture, keyLog] = files();
      const trace = decoded(capture, [keyLog]);
      const session = trace.sessions[0];
      const messages = [...trace.problems, ...session.problems].map((p) => p.message);
      expect(messages.length).toBeGreaterThan(0);
      const page = await open([capture, keyLog]);
      await finished(page);
      // The problem list renders on the next refresh after the worker's last batch (every 500 ms, one view per
      // frame): on a loaded machine it may lag the "decoded in" line, so wait for each message, up to 15 s.
      for (const message of messages) {
        await expect.poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 15_000 }).toContain(message);
      }
      await expect.poll(() => rowsShown(page), { timeout: 15_000 }).toBe(session.packets.length + extraRows);
      expect(app.pageErrors).toEqual([]);
      await page.close();
    });
  }

  test('a file that is not a capture: the same one-line reason as the command line, and no stack trace', async () => {
    const notCapture = path.join(work, 'notes.pcap');
    writeFileSync(notCapture, 'these are my notes, not a capture\n');
    let reason = '';
    try {
      decoded(notCapture, []);
    } catch (error) {
      expect(error).toBeInstanceOf(SshlensError);
      reason = (error as Error).message;
    }
    expect(reason).not.toBe('');
    const page = await open([notCapture]);
    const alert = page.getByRole('alert');
    await alert.first().waitFor();
    const shown = (await alert.first().textContent()) ?? '';
    expect(shown).toContain(reason);
    expect(shown).not.toMatch(/\n\s+at /);
    await page.close();
  });
});
