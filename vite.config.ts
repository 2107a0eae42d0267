/**
 * Vite builds the analyzer (app/); Vitest runs the tests beside the code they test.
 * The conformance captures live outside the repository in ../shared/fixtures.
 */
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'app',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist', emptyOutDir: true },
  test: {
    root: '.',
    include: ['engine/**/*.test.ts', 'cli/**/*.test.ts', 'app/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
