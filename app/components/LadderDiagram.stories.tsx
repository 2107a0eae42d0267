import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { Trace } from '../../engine/trace/model.ts';
import { loadTrace } from '../stories/fixture-trace.ts';
import { WithSelection } from '../stories/with-selection.tsx';
import { LadderDiagram } from './LadderDiagram.tsx';

const meta = {
  component: LadderDiagram,
  render: (args, { loaded }) => (
    <WithSelection>
      <LadderDiagram session={(loaded.trace as Trace).sessions[0]} focusPhase={args.focusPhase} />
    </WithSelection>
  ),
  loaders: [loadTrace('ns_c25519_chacha20_rekey')],
} satisfies Meta<typeof LadderDiagram>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A session with a rekey: arrows per message, phases, sequence numbers and key epochs; click and keys select. */
export const WithRekey: Story = {
  args: { session: undefined as never },
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const session = (loaded.trace as Trace).sessions[0];
    await expect(canvas.getAllByText('Key exchange').length).toBeGreaterThan(0);
    const first = canvas.getByRole('option', { name: /^0: (client|server) to (server|client), KEXINIT, sequence 0, key epoch 0/ });
    await userEvent.click(first);
    await expect(first).toHaveAttribute('aria-selected', 'true');
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('message=0 ');
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('message=2 ');
    // Epoch labels appear where a direction's keys change (after each NEWKEYS).
    await expect(canvas.getAllByText('keys 1').length).toBe(2);
    await expect(session.kex.length).toBe(2);
  },
};

/** Only the key exchange phase, as lessons embed it. */
export const KeyExchangeOnly: Story = {
  args: { session: undefined as never, focusPhase: 'kex' },
  play: async ({ canvasElement }) => {
    const names = within(canvasElement).getAllByRole('option').map((o) => o.querySelector('title')!.textContent!);
    await expect(names.every((name) => /KEXINIT|KEX_ECDH|NEWKEYS|EXT_INFO/.test(name))).toBe(true);
    await expect(names.filter((name) => /KEXINIT/.test(name))).toHaveLength(4);
  },
};

/** A phase with no messages (no generic transport message precedes the first KEXINIT): a note, not an empty list. */
export const PhaseWithoutMessages: Story = {
  args: { session: undefined as never, focusPhase: 'transport' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText('This session has no messages in the transport phase.')).toBeInTheDocument();
    await expect(canvas.queryByRole('listbox')).toBeNull();
  },
};
