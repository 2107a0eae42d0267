import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { Trace } from '../../engine/trace/model.ts';
import { loadTrace } from '../stories/fixture-trace.ts';
import { KexCard } from './KexCard.tsx';

const meta = {
  component: KexCard,
  render: (args, { loaded }) => {
    const session = (loaded.trace as Trace).sessions[0];
    return <KexCard kex={session.kex[args.kex as unknown as number]} firstKex={session.kex[0]} />;
  },
} satisfies Meta<typeof KexCard>;
export default meta;
type Story = StoryObj<typeof meta>;

/** curve25519-sha256: H, session_id and keys A-F recomputed in the browser match the session's. */
export const Curve25519: Story = {
  args: { kex: 0 as never },
  loaders: [loadTrace('ns_c25519_aes128ctr_sha256')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    for (const name of ['V_C', 'V_S', 'I_C', 'I_S', 'K_S', 'Q_C', 'Q_S', 'K']) await expect(canvas.getByRole('rowheader', { name })).toBeInTheDocument();
    // H, session_id and the six keys (aes128-ctr + hmac-sha2-256 use all six).
    await expect(canvas.getAllByText('✓ recomputed, matches')).toHaveLength(8);
    await expect(canvas.queryByText(/does not match/)).toBeNull();
    await expect(canvas.getByText('✓ signature over H verified')).toBeInTheDocument();
  },
};

/** Editing the client's KEXINIT (one byte of its cookie) changes H, session_id and every key. */
export const EditAnInput: Story = {
  args: { kex: 0 as never },
  loaders: [loadTrace('ns_c25519_chacha20')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const input = canvas.getByLabelText('I_C in hex') as HTMLTextAreaElement;
    const original = input.value;
    // I_C is a string: 4 length bytes, the message number 0x14, then the cookie; flip the cookie's first byte.
    const flipped = original.slice(0, 10) + (original.slice(10, 12) === '00' ? 'ff' : '00') + original.slice(12);
    await userEvent.clear(input);
    await userEvent.click(input);
    await userEvent.paste(flipped);
    await expect(canvas.getAllByText('changed by your edit').length).toBeGreaterThanOrEqual(3);
    await expect(canvas.queryAllByText('✓ recomputed, matches')).toHaveLength(0);
    await userEvent.click(canvas.getByRole('button', { name: 'Undo my edits' }));
    await expect(canvas.getAllByText('✓ recomputed, matches').length).toBeGreaterThanOrEqual(4);
  },
};

/** The rekey: a new H, the same session_id (RFC 4253 §7.2), new keys, all recomputed. */
export const Rekey: Story = {
  args: { kex: 1 as never },
  loaders: [loadTrace('ns_c25519_chacha20_rekey')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('heading', { name: /Key exchange 2/ })).toBeInTheDocument();
    await expect(canvas.getByText(/from the first key exchange/)).toBeInTheDocument();
    await expect(canvas.queryByText(/does not match/)).toBeNull();
  },
};
