import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { Trace } from '../../engine/trace/model.ts';
import { loadTrace } from '../stories/fixture-trace.ts';
import { Analyzer } from './Analyzer.tsx';

/** The whole analyzer on a real session: every view follows one selection. */
const meta = {
  component: Analyzer,
  render: (args, { loaded }) => <Analyzer trace={loaded.trace as Trace} annotate={args.annotate} />,
  loaders: [loadTrace('ns_c25519_aes128ctr_sha256etm')],
  parameters: { layout: 'fullscreen' },
} satisfies Meta<typeof Analyzer>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Selecting in the list selects in the ladder and opens the layers; selecting in the ladder moves the list. */
export const SharedSelection: Story = {
  args: { trace: undefined as never },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const list = canvas.getByRole('listbox', { name: /^Messages/ });
    const ladder = canvas.getByRole('listbox', { name: /^Ladder diagram/ });
    await userEvent.click(within(list).getAllByRole('option')[3]);
    await expect(within(ladder).getByRole('option', { selected: true }).querySelector('title')!.textContent).toMatch(/^3: /);
    await expect(canvas.getByRole('region', { name: 'Layers of the selected message' })).toHaveTextContent(/#3 /);
    await userEvent.click(within(ladder).getAllByRole('option')[7]);
    await expect(within(list).getByRole('option', { selected: true })).toHaveTextContent(/^7/);
    // EtM without strict kex: Terrapin exposure is reported.
    await expect(canvas.getByText(/Terrapin/)).toBeInTheDocument();
  },
};

/** Dark theme and projector mode: the same checks (including colour contrast) must pass. */
export const DarkProjector: Story = {
  args: { trace: undefined as never, annotate: true },
  decorators: [(Story) => {
    document.documentElement.dataset.theme = 'dark';
    document.documentElement.dataset.projector = 'true';
    return <div className="sl-root"><Story /></div>;
  }],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.click(within(canvas.getByRole('listbox', { name: /^Messages/ })).getAllByRole('option')[0]);
    await expect(getComputedStyle(document.body).fontSize).toBe('22px');
    // Annotate-all prints the explanation of every field inline.
    await expect(canvasElement.querySelectorAll('.ft-doc').length).toBeGreaterThan(10);
    document.documentElement.dataset.theme = 'light';
    document.documentElement.dataset.projector = 'false';
  },
};
