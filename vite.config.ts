/**
 * Vite builds the analyzer (app/); Vitest runs the tests beside the code they test, in two projects:
 * - `node`: engine/ and cli/ tests, and the end-to-end tests in app/e2e/ (they drive Debian's chromium themselves);
 * - `storybook`: every story in app/ rendered in real Chromium, its play function run and its a11y checked.
 * The conformance captures live outside the repository in ../shared/fixtures; the dev server and the story tests may
 * read them in place (server.fs.allow), the production build never depends on them.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import mdx from '@mdx-js/rollup';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';

const dirname = path.dirname(fileURLToPath(import.meta.url));
/** Real captures beside the checkout (../shared/fixtures), readable by the dev server and the story tests only. */
export const fixturesDir = path.resolve(dirname, '../shared/fixtures');

/** Flags that keep Chromium quiet on a machine with no internet (and let it run as root). */
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage',
];

export default defineConfig(({ command }) => ({
  root: 'app',
  base: './',
  // The lessons (lessons/*.mdx) compile to React components before the React plugin sees them.
  plugins: [{ enforce: 'pre', ...mdx({ include: /lessons\/.*\.mdx$/ }) }, react()],
  build: { outDir: '../dist', emptyOutDir: true },
  worker: { format: 'es' },
  // Pre-bundled up front, so the browser tests never see Vite reload a page to optimize a late-found dependency.
  optimizeDeps: {
    include: [
      'react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react/jsx-dev-runtime', 'd3',
      '@noble/ciphers/_poly1305.js', '@noble/ciphers/_polyval.js', '@noble/ciphers/aes.js', '@noble/ciphers/chacha.js',
      '@noble/curves/ed25519.js', '@noble/curves/nist.js', '@noble/hashes/hmac.js', '@noble/hashes/legacy.js',
      '@noble/hashes/sha2.js', '@noble/post-quantum/ml-kem.js', 'fflate', 'pako',
    ],
  },
  // The fixtures are reachable from the dev server and the story tests only; a build has none.
  define: { __SSHLENS_FIXTURES__: command === 'serve' ? JSON.stringify(`/@fs${fixturesDir}`) : 'null' },
  server: { fs: { allow: [dirname, fixturesDir] } },
  test: {
    root: '.',
    testTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['engine/**/*.test.ts', 'cli/**/*.test.ts', 'app/**/*.test.ts', 'lessons/**/*.test.ts'],
        },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: path.join(dirname, '.storybook') })],
        test: {
          name: 'storybook',
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
}));
