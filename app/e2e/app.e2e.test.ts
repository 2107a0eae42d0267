/**
 * The analyzer in real Chromium, end to end: the page loads from the Vite dev server, says that nothing leaves the
 * machine, and no request goes to any host but the local server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startApp, type AppHarness } from './harness.ts';

let app: AppHarness;
beforeAll(async () => { app = await startApp(); }, 120_000);
afterAll(async () => { await app?.close(); });

describe('analyzer in Chromium', () => {
  test('opens on the start page and states that nothing leaves the machine', async () => {
    const page = await app.newPage();
    await page.goto(app.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('sshlens');
    await expect(page.getByRole('note').textContent()).resolves.toMatch(/Nothing leaves your machine/);
    await page.close();
    expect(app.pageErrors).toEqual([]);
  });

  test('the interception catches a request to another host, and the app itself makes none', async () => {
    const page = await app.newPage();
    await page.goto(app.url);
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
});
