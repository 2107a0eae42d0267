import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor, within } from 'storybook/test';
import { parseLink } from '../../app/lib/url.ts';
import { LESSONS } from '../catalog.ts';
import { Lessons } from './Lessons.tsx';
import { lesson, loadSamples } from './story-helpers.tsx';

/**
 * The lessons part of the site: the index, and every lesson page as a student sees it - the MDX text with the
 * analyzer's components live on the lesson's real sample, deep links into the analyzer, the quiz, previous/next.
 */
const meta = {
  component: Lessons,
  parameters: { layout: 'fullscreen' },
} satisfies Meta<typeof Lessons>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Index: Story = {
  args: { route: '#/lessons' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { level: 1, name: 'Learn SSH from real bytes' })).toBeInTheDocument();
    const links = within(canvasElement.querySelector('.lesson-list')!).getAllByRole('link');
    await expect(links.map((a) => a.getAttribute('href'))).toEqual(LESSONS.map((l) => `#/lessons/${l.slug}`));
    await expect(links.map((a) => a.textContent)).toEqual(LESSONS.map((l) => l.title));
  },
};

export const UnknownLesson: Story = {
  args: { route: '#/lessons/no-such-lesson' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByText('There is no lesson called “no-such-lesson”.')).toBeInTheDocument();
  },
};

/** Waits until the page, every live sample and every quiz question have loaded. */
async function loadedPage(canvasElement: HTMLElement, slug: string) {
  await waitFor(() => {
    if (!canvasElement.querySelector('.lesson-quiz')) throw new Error('the page is not loaded yet');
    if (canvasElement.querySelector('[aria-busy="true"]')) throw new Error('a sample is still decoding');
    const questions = canvasElement.querySelectorAll('[data-quiz]').length;
    if (questions !== lesson(slug).quiz.length) throw new Error(`${questions} questions shown`);
  }, { timeout: 30_000 });
}

/** A lesson page: its live blocks each show an analyzer component, its links open the analyzer on its samples. */
function page(slug: string): Story {
  const samples = [...new Set([lesson(slug).sample, ...lesson(slug).quiz.flatMap((q) => (q.sample ? [q.sample] : []))])];
  return {
    args: { route: `#/lessons/${slug}` },
    loaders: [loadSamples(...samples)],
    play: async ({ canvasElement }) => {
      const canvas = within(canvasElement);
      const { number, title } = lesson(slug);
      await expect(canvas.getByRole('heading', { level: 1, name: `${number}. ${title}` })).toBeInTheDocument();
      await loadedPage(canvasElement, slug);
      await expect(canvasElement.querySelector('.error')).toBeNull();
      const blocks = [...canvasElement.querySelectorAll<HTMLElement>('.lesson-live')];
      await expect(blocks.length).toBeGreaterThan(0);
      for (const block of blocks) {
        await expect(block.querySelector('.ladder, .layer-stack, .message-list, .overview, .kex-card, .channels, table, .lesson-analyzer-link')).not.toBeNull();
      }
      await expect(canvasElement.querySelectorAll('.lesson-rfc').length).toBeGreaterThan(0);
      // Deep links into the analyzer name a bundled sample (or a simulation) and, when they point at a message, one that exists.
      for (const link of canvasElement.querySelectorAll<HTMLAnchorElement>('.lesson-analyzer-link')) {
        const view = parseLink(link.getAttribute('href')!);
        await expect(view.sample ?? view.sim).toBeTruthy();
      }
      const nav = within(canvas.getByRole('navigation', { name: 'Lesson navigation' }));
      const previous = LESSONS[number - 2];
      const next = LESSONS[number];
      if (previous) await expect(nav.getByRole('link', { name: `← ${previous.number}. ${previous.title}` })).toHaveAttribute('href', `#/lessons/${previous.slug}`);
      if (next) await expect(nav.getByRole('link', { name: `${next.number}. ${next.title} →` })).toHaveAttribute('href', `#/lessons/${next.slug}`);
      else await expect(nav.getByRole('link', { name: 'All lessons' })).toHaveAttribute('href', '#/lessons');
    },
  };
}

export const Page01Layers = page('layers');
export const Page02Identification = page('identification');
export const Page03BinaryPacket = page('binary-packet');
export const Page04Kexinit = page('kexinit');
export const Page05DiffieHellman = page('diffie-hellman');
export const Page06Newkeys = page('newkeys');
export const Page07Ciphers = page('ciphers');
export const Page08HostKeys = page('host-keys');
export const Page09Userauth = page('userauth');
export const Page10Channels = page('channels');
export const Page11Sessions = page('sessions');
export const Page12Forwarding = page('forwarding');
export const Page13RekeyTerrapin = page('rekey-terrapin');
export const Page14PostQuantum = page('post-quantum');
export const Page15Debugging = page('debugging');

/** Every lesson has its page story above. */
export const EveryLessonHasAPageStory: Story = {
  args: { route: '#/lessons' },
  play: async () => {
    const pages = [Page01Layers, Page02Identification, Page03BinaryPacket, Page04Kexinit, Page05DiffieHellman, Page06Newkeys, Page07Ciphers,
      Page08HostKeys, Page09Userauth, Page10Channels, Page11Sessions, Page12Forwarding, Page13RekeyTerrapin, Page14PostQuantum, Page15Debugging];
    await expect(pages.map((story) => story.args?.route)).toEqual(LESSONS.map((l) => `#/lessons/${l.slug}`));
  },
};
