import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, userEvent, within } from 'storybook/test';
import { describeLayout, messageCatalog } from '../../engine/messages/index.ts';
import { LAYOUT_FIELDS } from '../../app/lib/layers.ts';
import { MessageSummary, MessageTable, PacketTable } from './catalog-tables.tsx';

/** Lesson tables drawn straight from the engine's message catalog: the rows are the catalog's, never retyped. */
const meta = {
  render: (args: { children: ReactNode }) => <>{args.children}</>,
} satisfies Meta<{ children: ReactNode }>;
export default meta;
type Story = StoryObj<typeof meta>;

const entry = (name: string) => messageCatalog.find((e) => e.name === name)!;

/** KEXINIT (lesson 4): the message number row, then one row per catalog field, each with its explanation and RFC link. */
export const Kexinit: Story = {
  args: { children: <MessageTable name="SSH_MSG_KEXINIT" /> },
  play: async ({ canvasElement }) => {
    const table = within(canvasElement).getByRole('table');
    const rows = describeLayout(entry('SSH_MSG_KEXINIT').layout);
    await expect(within(table).getAllByRole('row')).toHaveLength(1 + 1 + rows.length);
    await expect(table.querySelector('caption')).toHaveTextContent(`SSH_MSG_KEXINIT = 20: ${entry('SSH_MSG_KEXINIT').summary}`);
    for (const row of rows) await expect(table).toHaveTextContent(row.doc);
    const cookie = within(table).getByText('cookie').closest('tr')!;
    await expect(cookie).toHaveTextContent('byte[16]');
    await expect(within(table).getAllByRole('link', { name: /^RFC 4253 §7\.1/ }).length).toBeGreaterThan(0);
  },
};

/** The same number, two messages: 30 in a curve25519 exchange is KEX_ECDH_INIT (the catalog looks it up by kex method). */
export const ByKexMethod: Story = {
  args: {
    children: (
      <>
        <MessageTable name="SSH_MSG_KEX_ECDH_INIT" context={{ kex: 'curve25519-sha256' }} />
        <MessageTable name="SSH_MSG_KEX_HYBRID_INIT" context={{ kex: 'mlkem768x25519-sha256' }} />
      </>
    ),
  },
  play: async ({ canvasElement }) => {
    const [ecdh, hybrid] = within(canvasElement).getAllByRole('table');
    await expect(ecdh.querySelector('caption')).toHaveTextContent(/^SSH_MSG_KEX_ECDH_INIT = 30/);
    await expect(hybrid.querySelector('caption')).toHaveTextContent(/^SSH_MSG_KEX_HYBRID_INIT = 30/);
    await expect(within(ecdh).getByText('Q_C')).toBeInTheDocument();
    await expect(within(hybrid).getByText('C_INIT')).toBeInTheDocument();
  },
};

/** A big nested layout (a host key or signature blob: every key type) is folded behind a toggle that opens with a click. */
export const FoldedBlobs: Story = {
  args: { children: <MessageTable name="SSH_MSG_KEX_ECDH_REPLY" context={{ kex: 'curve25519-sha256' }} /> },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const [hostKey, signature] = canvas.getAllByText(/fields inside/, { selector: 'summary' });
    await expect(hostKey).toHaveTextContent(/^\d+ fields inside host_key, depending on its type$/);
    await expect(signature).toHaveTextContent(/^\d+ fields inside signature, depending on its type$/);
    // Open the smaller one (the accessibility check then covers every row it shows).
    const details = signature.closest('details')!;
    await expect(details.open).toBe(false);
    await userEvent.click(signature);
    await expect(details.open).toBe(true);
    await expect(details.querySelectorAll('tbody tr')).toHaveLength(Number(signature.textContent!.split(' ')[0]));
  },
};

/** One line from the catalog, as lessons use it inline. */
export const Summary: Story = {
  args: { children: <p><MessageSummary name="SSH_MSG_USERAUTH_FAILURE" /></p> },
  play: async ({ canvasElement }) => {
    const failure = entry('SSH_MSG_USERAUTH_FAILURE');
    await expect(canvasElement).toHaveTextContent(`SSH_MSG_USERAUTH_FAILURE (51): ${failure.summary}`);
    await expect(within(canvasElement).getByRole('link')).toHaveAttribute('href', 'https://www.rfc-editor.org/rfc/rfc4252#section-5.1');
  },
};

/** The binary packet's five fields (lesson 3), from the layer stack's own list. */
export const BinaryPacket: Story = {
  args: { children: <PacketTable /> },
  play: async ({ canvasElement }) => {
    const table = within(canvasElement).getByRole('table');
    await expect(within(table).getAllByRole('row')).toHaveLength(1 + LAYOUT_FIELDS.length);
    for (const field of LAYOUT_FIELDS) await expect(within(table).getByText(field.label).closest('tr')).toHaveTextContent(field.doc);
  },
};
