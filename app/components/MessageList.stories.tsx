import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { Trace } from '../../engine/trace/model.ts';
import { loadTrace } from '../stories/fixture-trace.ts';
import { WithSelection } from '../stories/with-selection.tsx';
import { MessageList } from './MessageList.tsx';

const meta = {
  component: MessageList,
  render: (_args, { loaded }) => (
    <WithSelection>
      <MessageList session={(loaded.trace as Trace).sessions[0]} />
    </WithSelection>
  ),
  loaders: [loadTrace('ns_c25519_chacha20_sftp')],
} satisfies Meta<typeof MessageList>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Filters by type, direction, channel and search narrow the list; the count follows. */
export const Filters: Story = {
  args: { session: undefined as never },
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const rows = () => within(canvas.getByRole('listbox')).getAllByRole('option');
    const session = (loaded.trace as Trace).sessions[0];
    await expect(canvas.getByText(`${session.packets.length} of ${session.packets.length} messages`)).toBeInTheDocument();
    await userEvent.selectOptions(canvas.getByLabelText('Type'), 'SSH_MSG_KEXINIT');
    await expect(rows()).toHaveLength(2);
    await userEvent.selectOptions(canvas.getByLabelText('Direction'), 'server');
    await expect(rows()).toHaveLength(1);
    await userEvent.selectOptions(canvas.getByLabelText('Type'), 'all');
    await userEvent.selectOptions(canvas.getByLabelText('Direction'), 'all');
    // The second channel is the exec; its messages only.
    await userEvent.selectOptions(canvas.getByLabelText('Channel'), '1');
    const execRows = rows();
    await expect(execRows.length).toBeGreaterThan(3);
    await expect(execRows.every((row) => /CHANNEL_/.test(row.textContent!))).toBe(true);
    await userEvent.selectOptions(canvas.getByLabelText('Channel'), 'all');
    await userEvent.type(canvas.getByLabelText('Search'), 'uname');
    await expect(rows()).toHaveLength(1);
    await expect(rows()[0]).toHaveTextContent(/exec "echo HELLO_WIRESHARK_TEST; uname -s"/);
  },
};

/** Keyboard: the list is one tab stop; arrows, Home and End move the selection. */
export const Keyboard: Story = {
  args: { session: undefined as never },
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const last = (loaded.trace as Trace).sessions[0].packets.length - 1;
    canvas.getByRole('listbox').focus();
    await userEvent.keyboard('{ArrowDown}');
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('message=0 ');
    await userEvent.keyboard('{End}');
    await expect(canvas.getByLabelText('selection')).toHaveTextContent(`message=${last} `);
    await expect(await within(canvas.getByRole('listbox')).findByRole('option', { selected: true })).toHaveTextContent(/DISCONNECT|CLOSE/);
  },
};

/**
 * 100 000+ rows: the real session's packets repeated (and renumbered) 3 000 times. Only the rows in view are in the
 * DOM, End jumps to the last one, and a search over every row answers at once.
 */
export const HundredThousandRows: Story = {
  args: { session: undefined as never },
  render: (_args, { loaded }) => {
    const session = (loaded.trace as Trace).sessions[0];
    const packets = Array.from({ length: 3000 }, (_, copy) => session.packets.map((packet) => ({ ...packet, index: copy * session.packets.length + packet.index }))).flat();
    return (
      <WithSelection>
        <MessageList session={{ ...session, packets, channels: [] }} />
      </WithSelection>
    );
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const listbox = canvas.getByRole('listbox');
    const total = Number(/of (\d+) messages/.exec(canvasElement.textContent!)![1]);
    await expect(total).toBeGreaterThan(100_000);
    await expect(within(listbox).getAllByRole('option').length).toBeLessThan(60);
    listbox.focus();
    await userEvent.keyboard('{End}');
    await expect(canvas.getByLabelText('selection')).toHaveTextContent(`message=${total - 1} `);
    await expect(await within(listbox).findByRole('option', { selected: true })).toBeInTheDocument();
    const started = performance.now();
    await userEvent.type(canvas.getByLabelText('Search'), 'uname');
    await expect(canvas.getByText('3000 of ' + total + ' messages')).toBeInTheDocument();
    await expect(performance.now() - started).toBeLessThan(5000);
  },
};
