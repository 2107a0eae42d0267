/** Set by vite.config.ts: the URL of ../shared/fixtures in the dev server and the story tests; null in a build. */
declare const __SSHLENS_FIXTURES__: string | null;
