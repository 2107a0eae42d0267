import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import type { Trace } from '../../engine/trace/model.ts';
import { loadTrace } from '../stories/fixture-trace.ts';
import { SessionOverview } from './SessionOverview.tsx';

/** The overview of real OpenSSH sessions (ssh2 client -> OpenSSH 9.2p1), decoded from ../shared/fixtures. */
const meta = {
  component: SessionOverview,
  render: (_args, { loaded }) => <SessionOverview session={(loaded.trace as Trace).sessions[0]} />,
} satisfies Meta<typeof SessionOverview>;
export default meta;
type Story = StoryObj<typeof meta>;

/** chacha20-poly1305 without strict kex: the overview warns about Terrapin. */
export const ChachaWithoutStrictKex: Story = {
  args: { session: undefined as never },
  loaders: [loadTrace('ns_c25519_chacha20')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByText(/SSH-2\.0-OpenSSH_9\.2p1/)).toBeInTheDocument();
    const kexRow = canvas.getByRole('rowheader', { name: 'kex' }).closest('tr')!;
    await expect(within(kexRow).getAllByText('curve25519-sha256').length).toBeGreaterThan(0);
    await expect(canvas.getByText(/Terrapin, CVE-2023-48795/)).toBeInTheDocument();
    await expect(canvas.getByRole('heading', { name: /^Key exchange 1/ })).toHaveTextContent(/strict kex off/);
    await expect(canvas.getByText('✓ verified')).toBeInTheDocument();
  },
};

/** Strict kex on, and a rekey: two negotiations, no Terrapin warning. */
export const StrictKexWithRekey: Story = {
  args: { session: undefined as never },
  loaders: [loadTrace('strict_c25519_chacha20_rekey')],
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getAllByRole('region', { name: /Negotiation of key exchange/ })).toHaveLength(2);
    await expect(canvas.queryByText(/Terrapin/)).toBeNull();
    await expect(canvas.getByRole('heading', { name: /^Key exchange 1/ })).toHaveTextContent(/strict kex on/);
    await expect(canvas.getByRole('heading', { name: /^Key exchange 2 \(rekey\)/ })).toBeInTheDocument();
  },
};
