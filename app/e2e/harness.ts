/**
 * End-to-end harness (node only): serves the analyzer with Vite's dev server on a free loopback port, drives Debian's
 * chromium through playwright-core, and records every request the page makes. Requests to any host other than the
 * local server are aborted and reported, so a test can prove that nothing leaves the page.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { build, createServer, preview } from 'vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumArgs } from '../../vite.config.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface AppHarness {
  /** The app's URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  browser: Browser;
  context: BrowserContext;
  /** Every URL the page asked for that was not served by the local server (aborted). */
  foreignRequests: string[];
  /** Every URL the page requested, in order. */
  requests: string[];
  /** Errors thrown in the page or logged with console.error. */
  pageErrors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

function isLocal(url: URL, origin: URL): boolean {
  if (url.protocol === 'data:' || url.protocol === 'blob:') return true;
  return url.host === origin.host;
}

export interface StartOptions {
  /** Serve a production build (`vite build` into a temporary folder, then `vite preview`) instead of the dev server. */
  build?: boolean;
}

/** Starts Vite (the project's vite.config.ts, HMR off) and Chromium. Close it in afterAll. */
export async function startApp(options: StartOptions = {}): Promise<AppHarness & { outDir?: string }> {
  const configFile = path.join(repoRoot, 'vite.config.ts');
  let outDir: string | undefined;
  let server: { httpServer: import('node:http').Server | null; close(): Promise<void> };
  if (options.build) {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'sshlens-build-'));
    await build({ configFile, build: { outDir, emptyOutDir: true }, logLevel: 'error' });
    const previewServer = await preview({ configFile, build: { outDir }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false }, logLevel: 'error' });
    server = { httpServer: previewServer.httpServer as import('node:http').Server, close: () => previewServer.close() };
  } else {
    const dev = await createServer({
      configFile,
      server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, open: false },
      logLevel: 'error',
      clearScreen: false,
    });
    await dev.listen();
    server = { httpServer: dev.httpServer as import('node:http').Server, close: () => dev.close() };
  }
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite dev server has no TCP address');
  const url = `http://127.0.0.1:${address.port}/`;
  const origin = new URL(url);

  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
  const context = await browser.newContext();
  const foreignRequests: string[] = [];
  const requests: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', async (route) => {
    const target = new URL(route.request().url());
    requests.push(target.href);
    if (isLocal(target, origin)) await route.continue();
    else {
      foreignRequests.push(target.href);
      await route.abort('blockedbyclient');
    }
  });
  context.on('page', (page) => watchPage(page, origin, foreignRequests, pageErrors));

  return {
    url, outDir, browser, context, foreignRequests, requests, pageErrors,
    newPage: () => context.newPage(),
    async close() {
      await browser.close();
      await server.close();
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** WebSockets and page errors do not pass through context.route: watch them on each page. */
function watchPage(page: Page, origin: URL, foreign: string[], errors: string[]) {
  page.on('websocket', (socket) => {
    const target = new URL(socket.url());
    if (target.hostname !== origin.hostname) foreign.push(socket.url());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
}
