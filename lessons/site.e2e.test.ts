/**
 * The built site (`vite build`: analyzer + lessons in one static folder) served from a non-root base path by a plain
 * static file server, opened in Debian's Chromium (playwright-core, the flags of app/e2e/harness.ts). Every written
 * lesson must render its live components on its real sample, and every quiz question must reject a wrong answer and
 * accept the right one - both computed here in node from the same sample decoded by the engine. Lessons link into
 * the analyzer's URL state and the analyzer links back.
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumArgs } from '../vite.config.ts';
import { chromiumPath } from '../app/e2e/harness.ts';
import { decodeCapture } from '../engine/decoder/capture-decoder.ts';
import type { SessionRecord } from '../engine/trace/model.ts';
import { LESSONS } from './catalog.ts';
import { PAGES } from './pages.ts';
import { checkAnswer, correctAnswer, wrongAnswer, type Answer, type Question } from './quiz.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASE = '/courses/networks/sshlens/';
/** axe-core, as Storybook's a11y addon (a dev dependency) brings it. */
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

let outDir: string;
let server: http.Server;
let browser: Browser;
let origin: string;
const foreign: string[] = [];
const timings: Record<string, number> = {};

function session(sample: string): SessionRecord {
  const bytes = new Uint8Array(readFileSync(path.join(repoRoot, 'traces', `${sample}.pcap`)));
  const keylog = readFileSync(path.join(repoRoot, 'traces', `${sample}.keylog`), 'utf8');
  return decodeCapture(bytes, [{ name: `${sample}.keylog`, text: keylog }], `${sample}.pcap`).sessions[0];
}

beforeAll(async () => {
  let t = Date.now();
  outDir = mkdtempSync(path.join(os.tmpdir(), 'sshlens-site-'));
  await build({ configFile: path.join(repoRoot, 'vite.config.ts'), build: { outDir, emptyOutDir: true }, logLevel: 'error' });
  timings.build = Date.now() - t;
  // Only paths under BASE exist: an absolute asset URL (/assets/...) would 404 and fail the test.
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(BASE)) { response.writeHead(404).end(); return; }
    const relative = decodeURIComponent(url.pathname.slice(BASE.length)) || 'index.html';
    const file = path.join(outDir, relative);
    if (!file.startsWith(outDir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) { response.writeHead(404).end(); return; }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  t = Date.now();
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  timings.chromium = Date.now() - t;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  console.log('site test timings (ms):', JSON.stringify(timings));
});

async function open(hash: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  await page.route('**/*', (route) => {
    const target = new URL(route.request().url());
    if (target.origin === origin || target.protocol === 'blob:' || target.protocol === 'data:') return route.continue();
    foreign.push(target.href);
    return route.abort('blockedbyclient');
  });
  await page.goto(`${origin}${BASE}${hash}`);
  return { page, errors };
}

/** Gives an answer in the page the way a student does: a click on a byte, a typed number, a chosen name. */
async function answer(page: Page, question: Question, given: Answer) {
  const box = page.locator(`[data-quiz="${question.id}"]`);
  if (given.kind === 'byte') {
    // The hex view is windowed: scroll the byte's row into view, then click it.
    await box.locator('.hx-scroll').evaluate((el, row) => { el.scrollTop = row * 20; el.dispatchEvent(new Event('scroll')); }, Math.floor(given.offset / 16));
    await box.locator(`[data-offset="${given.offset}"]`).click();
  } else if (given.kind === 'number') {
    await box.getByLabel('Your answer').fill(String(given.value));
    await box.getByRole('button', { name: 'Check' }).click();
  } else {
    await box.locator(`input[type=radio][value="${given.value}"]`).check();
  }
  return box.locator('.quiz-verdict');
}

/** A wrong answer, checked in node first to really be wrong. */
function checkedWrongAnswer(s: SessionRecord, question: Question): Answer {
  const given = wrongAnswer(s, question);
  expect(checkAnswer(s, question, given).correct).toBe(false);
  return given;
}

const written = LESSONS.filter((lesson) => lesson.slug in PAGES);

describe(`the built site served under ${BASE}`, () => {
  test('the lessons index lists all 15 lessons and links the written ones', async () => {
    const { page, errors } = await open('#/lessons');
    await page.getByRole('heading', { name: 'Learn SSH from real bytes' }).waitFor();
    await expect(page.locator('.lesson-list > li').count()).resolves.toBe(15);
    await expect(page.locator('.lesson-list a').count()).resolves.toBe(written.length);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const lesson of written) {
    test(`lesson ${lesson.number} (${lesson.slug}) renders its live components and its quiz checks real bytes`, async () => {
      const t = Date.now();
      const { page, errors } = await open(`#/lessons/${lesson.slug}`);
      await page.locator(`[data-lesson="${lesson.slug}"] .lesson-quiz`).waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[aria-busy="true"]').length === 0, undefined, { timeout: 30_000 });
      const live = page.locator('.lesson-live');
      expect(await live.count()).toBeGreaterThan(0);
      // Each live block shows at least one analyzer component on the sample.
      for (let i = 0; i < await live.count(); i++) {
        expect(await live.nth(i).locator('.ladder, .layer-stack, .overview, .kex-card, .channels, .message-list').count()).toBeGreaterThan(0);
      }
      expect(await page.locator('.lesson-rfc').count()).toBeGreaterThan(0);
      const s = session(lesson.sample);
      expect(await page.locator('[data-quiz]').count()).toBe(lesson.quiz.length);
      for (const question of lesson.quiz) {
        const sessionOfQuestion = question.sample ? session(question.sample) : s;
        const verdict = await answer(page, question, checkedWrongAnswer(sessionOfQuestion, question));
        await expect.poll(() => verdict.getAttribute('data-verdict')).toBe('wrong');
        await answer(page, question, correctAnswer(sessionOfQuestion, question));
        await expect.poll(() => verdict.getAttribute('data-verdict'), { message: `${lesson.slug}/${question.id}` }).toBe('correct');
      }
      // Accessibility: no serious or critical axe violation on the whole lesson, quiz answered.
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(node: Element): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run(document.querySelector('.lessons')!);
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id} (${v.nodes.length})`);
      });
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
      timings[lesson.slug] = Date.now() - t;
    }, 120_000);
  }

  test('a lesson deep-links into the analyzer, and the analyzer links back to the lessons', async () => {
    const { page, errors } = await open('#/lessons/kexinit');
    const link = page.locator('.lesson-analyzer-link').first();
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^#sample=publickey-exec&message=\d+/);
    await link.click();
    const stack = page.getByRole('region', { name: 'Layers of the selected message' });
    await stack.waitFor();
    const message = Number(new URLSearchParams(href!.slice(1)).get('message'));
    await expect(stack.locator('h2').textContent()).resolves.toContain(`#${message}`);
    // The site bar offers the lessons built on this sample, this one among them.
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: /4\. KEXINIT and algorithm negotiation/ }).waitFor();
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Lessons' }).click();
    await page.getByRole('heading', { name: 'Learn SSH from real bytes' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the Terrapin lesson opens the analyzer\'s simulated attack at its first step', async () => {
    const { page, errors } = await open('#/lessons/rekey-terrapin');
    const link = page.locator('.lesson-simulation-link').first();
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^#sim=terrapin&seed=1&step=0$/);
    await link.click();
    await page.getByRole('navigation', { name: 'Simulation steps' }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });
});
