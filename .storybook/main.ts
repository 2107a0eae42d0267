/** Storybook configuration (Storybook 10, React + Vite). Stories sit beside the components: app/ and lessons/site/. */
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';
import type { StorybookConfig } from '@storybook/react-vite';

/**
 * The lesson pages (lessons/NN-slug.mdx) are React components compiled by the project's @mdx-js/rollup plugin
 * (vite.config.ts). When the stories run as tests, @storybook/addon-vitest replaces every `.mdx` import with an empty
 * module (its `disableAddonDocs` default, meant for Storybook's own docs pages), which would leave the lesson page
 * stories blank. This plugin resolves and loads the lesson pages first, so the MDX compiler sees the real files.
 */
const lessonPages: Plugin = {
  name: 'sshlens:lesson-pages',
  enforce: 'pre',
  resolveId(id, importer) {
    if (!id.endsWith('.mdx') || !importer || !id.startsWith('.')) return null;
    const file = path.resolve(path.dirname(importer), id);
    return /[\\/]lessons[\\/][^\\/]+\.mdx$/.test(file) ? file : null;
  },
  load(id) {
    return /[\\/]lessons[\\/][^\\/]+\.mdx$/.test(id) ? readFile(id, 'utf8') : null;
  },
};

const config: StorybookConfig = {
  stories: ['../app/**/*.stories.@(ts|tsx)', { directory: '../lessons', files: '**/*.stories.@(ts|tsx)', titlePrefix: 'lessons' }],
  addons: ['@storybook/addon-vitest', '@storybook/addon-a11y'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
  viteFinal: (viteConfig) => ({ ...viteConfig, plugins: [lessonPages, ...(viteConfig.plugins ?? [])] }),
};
export default config;
