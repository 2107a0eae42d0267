import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { App } from '../../app/App.tsx';
import { parseLink } from '../../app/lib/url.ts';
import { LESSONS } from '../catalog.ts';
import { SiteRoot } from './SiteRoot.tsx';
import { loadSamples, sessionOf } from './story-helpers.tsx';

/**
 * The whole site as app/main.tsx mounts it: the real analyzer and the lessons, chosen by the URL's hash. The story
 * starts on an analyzer link (the rekey sample, its second KEXINIT) and restores the frame's hash afterwards.
 */
const START = '#sample=rekey&message=15';

const meta = {
  component: SiteRoot,
  args: { analyzer: () => <App /> },
  parameters: { layout: 'fullscreen' },
  beforeEach: () => {
    const before = location.hash;
    history.replaceState(null, '', START);
    // The test runner's frame has <base target="_parent">, which would send the site's #links to the runner itself:
    // without it, a link behaves as on the real site (a hash change in this page).
    const base = document.querySelector('base');
    const target = base?.getAttribute('target');
    base?.removeAttribute('target');
    return () => {
      if (base && target) base.setAttribute('target', target);
      history.replaceState(null, '', `${location.pathname}${location.search}${before}`);
    };
  },
} satisfies Meta<typeof SiteRoot>;
export default meta;
type Story = StoryObj<typeof meta>;

const hashChange = async (href: string) => {
  await waitFor(() => expect(location.hash).toBe(href));
};

/**
 * From the analyzer to the lessons built on its sample, and back: the site bar links lessons 7 and 13 (rekey); lesson
 * 13's deep link reopens the analyzer on the same message.
 */
export const AnalyzerAndLessonsLinkBothWays: Story = {
  loaders: [loadSamples('rekey')],
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const session = sessionOf(loaded, 'rekey');
    await expect(session.packets[15].message!.name).toBe('SSH_MSG_KEXINIT');
    const bar = within(canvas.getByRole('navigation', { name: 'Site' }));
    await expect(bar.getByRole('link', { name: 'Analyzer' })).toHaveAttribute('aria-current', 'page');
    // The analyzer opens the sample at message 15.
    const layers = await canvas.findByRole('region', { name: 'Layers of the selected message' }, { timeout: 30_000 });
    await expect(layers).toHaveTextContent('#15 client → server SSH_MSG_KEXINIT');
    // The bar names the lessons built on this sample.
    const related = LESSONS.filter((l) => l.sample === 'rekey' || l.quiz.some((q) => q.sample === 'rekey'));
    await expect(related.map((l) => l.number)).toEqual([7, 13]);
    for (const lesson of related) await bar.findByRole('link', { name: `${lesson.number}. ${lesson.title}` }, { timeout: 5_000 });
    // Into lesson 13.
    await userEvent.click(bar.getByRole('link', { name: `13. ${related[1].title}` }));
    await hashChange('#/lessons/rekey-terrapin');
    await canvas.findByRole('heading', { level: 1, name: `13. ${related[1].title}` }, { timeout: 30_000 });
    await expect(bar.getByRole('link', { name: 'Lessons' })).toHaveAttribute('aria-current', 'page');
    // And back: the lesson's link opens the analyzer on the second KEXINIT.
    const back = await canvas.findByRole('link', { name: 'The second KEXINIT in the analyzer ↗' }, { timeout: 30_000 });
    await expect(parseLink(back.getAttribute('href')!)).toMatchObject({ sample: 'rekey', message: 15 });
    await userEvent.click(back);
    const again = await canvas.findByRole('region', { name: 'Layers of the selected message' }, { timeout: 30_000 });
    await expect(again).toHaveTextContent('#15 client → server SSH_MSG_KEXINIT');
    // The bar's Lessons link leads to the index.
    await userEvent.click(bar.getByRole('link', { name: 'Lessons' }));
    await hashChange('#/lessons');
    await canvas.findByRole('heading', { level: 1, name: 'Learn SSH from real bytes' }, { timeout: 30_000 });
  },
};
