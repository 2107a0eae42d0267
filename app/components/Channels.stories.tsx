import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { Trace } from '../../engine/trace/model.ts';
import { loadTrace } from '../stories/fixture-trace.ts';
import { WithSelection } from '../stories/with-selection.tsx';
import { Channels } from './Channels.tsx';

const meta = {
  component: Channels,
  render: (_args, { loaded }) => (
    <WithSelection>
      <Channels session={(loaded.trace as Trace).sessions[0]} />
    </WithSelection>
  ),
} satisfies Meta<typeof Channels>;
export default meta;
type Story = StoryObj<typeof meta>;

/** The exec channel: its requests, the command's output, the exit status and the window chart. */
export const Exec: Story = {
  args: { session: undefined as never },
  loaders: [loadTrace('ns_c25519_chacha20')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: /session.*exit status 0/ })).toBeInTheDocument();
    await expect(canvas.getByText('echo HELLO_WIRESHARK_TEST; uname -s')).toBeInTheDocument();
    await userEvent.click(canvas.getByText('Data each way'));
    const server = canvas.getByText('Server sent:').querySelector('code')!;
    await expect(server).toBeVisible();
    // The exec output, with its CR LF shown as escapes rather than obeyed.
    await expect(server.textContent).toBe('HELLO_WIRESHARK_TEST\\r\\nLinux\\r\\n');
    const lines = canvasElement.querySelectorAll('path.ch-line');
    await expect(lines).toHaveLength(2);
    for (const line of lines) await expect(line.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+/);
    // Clicking an event on the timeline selects its message.
    await userEvent.click(canvasElement.querySelector('.ch-event')!);
    await expect(canvas.getByLabelText('selection')).toHaveTextContent(/message=\d+/);
    // The marks are buttons for the keyboard too: Tab to the last one, Enter selects its message.
    const marks = canvas.getAllByRole('button', { name: /^message \d+: / });
    const last = marks[marks.length - 1];
    last.focus();
    await userEvent.keyboard('{Enter}');
    const packet = /^message (\d+):/.exec(last.getAttribute('aria-label')!)![1];
    await expect(canvas.getByLabelText('selection')).toHaveTextContent(`message=${packet} `);
    await expect(last).toHaveAttribute('aria-pressed', 'true');
  },
};

/** SFTP and exec side by side: two channels. */
export const SftpAndExec: Story = {
  args: { session: undefined as never },
  loaders: [loadTrace('ns_c25519_chacha20_sftp')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('region', { name: /^Channel \d/ })).toHaveLength(2);
    await expect(canvas.getByText('subsystem')).toBeInTheDocument();
  },
};
