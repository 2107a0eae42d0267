/**
 * The written lesson pages (MDX, compiled by @mdx-js/rollup in vite.config.ts), loaded lazily by slug: a lesson's
 * code is fetched only when it is opened. A lesson of LESSONS without a page here is listed as not written yet.
 */
import type { MDXContent } from 'mdx/types';

export const PAGES: Record<string, () => Promise<{ default: MDXContent }>> = {
  layers: () => import('./01-layers.mdx'),
  identification: () => import('./02-identification.mdx'),
  'binary-packet': () => import('./03-binary-packet.mdx'),
  kexinit: () => import('./04-kexinit.mdx'),
  'diffie-hellman': () => import('./05-diffie-hellman.mdx'),
  newkeys: () => import('./06-newkeys.mdx'),
  ciphers: () => import('./07-ciphers.mdx'),
  'host-keys': () => import('./08-host-keys.mdx'),
  userauth: () => import('./09-userauth.mdx'),
  channels: () => import('./10-channels.mdx'),
  sessions: () => import('./11-sessions.mdx'),
  forwarding: () => import('./12-forwarding.mdx'),
  'rekey-terrapin': () => import('./13-rekey-terrapin.mdx'),
  'post-quantum': () => import('./14-post-quantum.mdx'),
  debugging: () => import('./15-debugging.mdx'),
};
