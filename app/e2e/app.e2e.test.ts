/**
 * The analyzer in real Chromium, end to end, on real OpenSSH captures from ../shared/fixtures/openssh-ssh2/ (read in
 * place): open a capture with its key log through the file picker (decoded in the Web Worker), see the exec output
 * and the KEXINIT fields, select a field and see its bytes light up in every layer, follow a deep link, and check that
 * no request ever leaves the page.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fixturesDir } from '../../vite.config.ts';
import { startApp, type AppHarness } from './harness.ts';

const captures = path.join(fixturesDir, 'openssh-ssh2');
const haveFixtures = existsSync(path.join(captures, 'ns_c25519_chacha20.pcap'));
if (!haveFixtures) console.warn(`\n*** ${captures} is missing: the end-to-end tests on real captures were SKIPPED ***\n`);

let app: AppHarness;
beforeAll(async () => { app = await startApp(); }, 120_000);
afterAll(async () => {
  // Whatever the tests did, nothing left the page.
  expect(app?.foreignRequests ?? []).toEqual([]);
  await app?.close();
});

describe('analyzer in Chromium', () => {
  test('opens on the bundled sample session (traces/), and states that nothing leaves the machine', async () => {
    const page = await app.newPage();
    await page.goto(app.url);
    await page.getByRole('region', { name: 'Session overview' }).waitFor();
    await expect(page.locator('.source-line').textContent()).resolves.toMatch(/publickey-exec\.pcap with keys from publickey-exec\.keylog/);
    await expect(page.getByRole('region', { name: 'Key exchange 1' }).getByText(/does not match/).count()).resolves.toBe(0);
    await expect(page.getByRole('note').textContent()).resolves.toMatch(/Nothing leaves your machine/);
    // "Open another capture" leads to the start page, which lists every sample.
    await page.getByRole('button', { name: 'Open another capture' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('sshlens');
    await expect(page.getByRole('region', { name: 'Sample sessions' }).getByRole('button').count()).resolves.toBeGreaterThan(3);
    await page.close();
    expect(app.pageErrors).toEqual([]);
  });

  test('the interception catches a request to another host, and the app itself makes none', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}#start`);
    await page.getByRole('note').waitFor();
    expect(app.foreignRequests).toEqual([]);
    expect(app.requests.length).toBeGreaterThan(0);
    // Prove the net works: a request the page makes to a non-local host is seen and stopped.
    const outcome = await page.evaluate(() => fetch('http://example.invalid/leak').then(() => 'sent', () => 'blocked'));
    expect(outcome).toBe('blocked');
    expect(app.foreignRequests).toEqual(['http://example.invalid/leak']);
    app.foreignRequests.length = 0;
    app.pageErrors.length = 0;
    await page.close();
  });

  test.skipIf(!haveFixtures)('opens a capture and its key log, decodes it in a worker, shows the exec output and KEXINIT fields', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}#start`);
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.getByLabel('Capture and key log files').setInputFiles([
      path.join(captures, 'ns_c25519_chacha20.pcap'),
      path.join(captures, 'ns_c25519_chacha20.shared_secret.keylog'),
    ]);
    await page.getByRole('region', { name: 'Session overview' }).waitFor();
    expect(workers.some((url) => url.includes('decode.worker'))).toBe(true);
    // The exec's output, decrypted from the server's CHANNEL_DATA.
    await page.getByText('Data each way').click();
    await expect(page.locator('.ch-bytes').nth(1).textContent()).resolves.toBe('HELLO_WIRESHARK_TEST\\r\\nLinux\\r\\n');
    // The client's KEXINIT and its fields.
    await page.getByRole('listbox', { name: /^Messages/ }).getByRole('option').first().click();
    const stack = page.getByRole('region', { name: 'Layers of the selected message' });
    await expect(stack.getByRole('heading', { level: 2 }).textContent()).resolves.toMatch(/SSH_MSG_KEXINIT/);
    const field = stack.getByRole('button', { name: /^kex_algorithms name-list/ });
    await expect(field.textContent()).resolves.toMatch(/curve25519-sha256/);
    // Selecting the field lights its bytes up in every layer that holds them, and puts it in the URL.
    await field.click();
    const lit = await page.locator('[data-layer] .hx-bytes .hx-hl').count();
    const span = await page.evaluate(() => document.querySelectorAll('[data-layer="payload"] .hx-bytes .hx-hl').length);
    expect(span).toBeGreaterThan(10);
    expect(lit).toBe(span * 3);
    expect(new URL(page.url()).hash).toBe('#file=ns_c25519_chacha20.pcap&message=0&layer=fields&field=message%3Akex_algorithms');
    expect(app.pageErrors).toEqual([]);
    await page.close();
  });

  test.skipIf(!haveFixtures)('a deep link reopens a capture at a message, layer and field', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}#file=openssh-ssh2/ns_c25519_aes256gcm.pcap&message=25&layer=payload&field=message%3Acommand`);
    const stack = page.getByRole('region', { name: 'Layers of the selected message' });
    await stack.waitFor();
    await expect(stack.getByRole('heading', { level: 2 }).textContent()).resolves.toMatch(/#25 .*SSH_MSG_CHANNEL_REQUEST/);
    const selected = stack.getByRole('button', { name: /^command text/, pressed: true });
    await expect(selected.textContent()).resolves.toMatch(/echo HELLO_WIRESHARK_TEST; uname -s/);
    await expect(page.locator('[data-layer="payload"] .layer-selected, [data-layer="payload"].layer-selected').count()).resolves.toBe(1);
    await expect(page.locator('[data-layer="payload"] .hx-bytes .hx-sel').count()).resolves.toBe('echo HELLO_WIRESHARK_TEST; uname -s'.length + 4);
    await page.close();
  });
});

describe('simulation in Chromium', () => {
  test('runs a simulated Terrapin attack in the worker and steps forward and back, the URL following', async () => {
    const page = await app.newPage();
    await page.goto(`${app.url}#start`);
    const form = page.getByRole('region', { name: 'Simulate a session' });
    await form.getByLabel('Scenario').selectOption('terrapin');
    await form.getByLabel('Seed').fill('7');
    await form.getByRole('button', { name: 'Run simulation' }).click();
    const stepper = page.getByRole('navigation', { name: 'Simulation steps' });
    await stepper.waitFor();
    await expect(stepper.textContent()).resolves.toMatch(/Step 1 of \d+: (client|server): SSH_MSG_KEXINIT/);
    await expect(page.getByRole('listbox', { name: /^Messages/ }).getByRole('option').count()).resolves.toBe(1);
    await stepper.getByRole('button', { name: 'Next ▶' }).click();
    await stepper.getByRole('button', { name: 'Next ▶' }).click();
    // The attacker's injected IGNORE is the third message, and it is the one selected.
    await stepper.getByText(/Step 3 of \d+: server: SSH_MSG_IGNORE/).waitFor({ timeout: 5000 });
    await expect(page.getByRole('listbox', { name: /^Messages/ }).getByRole('option', { selected: true }).textContent()).resolves.toMatch(/IGNORE/);
    expect(new URL(page.url()).hash).toMatch(/^#sim=terrapin&seed=7&step=2&message=2/);
    await page.keyboard.press('[');
    await stepper.getByText(/Step 2 of/).waitFor({ timeout: 5000 });
    // The link reproduces the step.
    const link = page.url();
    const again = await app.newPage();
    await again.goto(link);
    await again.getByRole('navigation', { name: 'Simulation steps' }).getByText(/Step 2 of/).waitFor();
    expect(app.pageErrors).toEqual([]);
    await page.close();
    await again.close();
  });
});
