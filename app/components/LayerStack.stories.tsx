import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import type { Trace } from '../../engine/trace/model.ts';
import { loadTrace } from '../stories/fixture-trace.ts';
import { WithSelection } from '../stories/with-selection.tsx';
import { LayerStack } from './LayerStack.tsx';

/** The layers of one real packet from ns_c25519_chacha20 (decoded from ../shared/fixtures). */
const meta = {
  component: LayerStack,
  render: (args, { loaded }) => (
    <WithSelection initial={{ message: args.packetIndex }}>
      <LayerStack session={(loaded.trace as Trace).sessions[0]} packetIndex={args.packetIndex} annotate={args.annotate} />
    </WithSelection>
  ),
  loaders: [loadTrace('ns_c25519_chacha20')],
} satisfies Meta<typeof LayerStack>;
export default meta;
type Story = StoryObj<typeof meta>;

const highlighted = (layer: HTMLElement) => layer.querySelectorAll('.hx-bytes .hx-hl').length;
const layerEl = (root: HTMLElement, id: string) => root.querySelector<HTMLElement>(`[data-layer="${id}"]`)!;

/** The client's KEXINIT (not encrypted): hovering a field lights up its bytes in every layer. */
export const ClientKexinit: Story = {
  args: { session: undefined as never, packetIndex: 0 },
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const packet = (loaded.trace as Trace).sessions[0].packets[0];
    const field = packet.message!.fields.find((f) => f.name === 'kex_algorithms')!;
    const length = field.span.end - field.span.start;
    await userEvent.hover(canvas.getByRole('button', { name: /^kex_algorithms name-list/ }));
    // The same bytes, in the payload, the decrypted packet and the stream bytes; and on the TCP segment map.
    for (const id of ['payload', 'packet', 'wire']) await expect(highlighted(layerEl(canvasElement, id))).toBe(length);
    const overlay = layerEl(canvasElement, 'tcp').querySelector('.seg-hl')!;
    await expect(Number(overlay.getAttribute('width'))).toBeCloseTo((600 * length) / packet.wire!.length, 3);
    // The payload layer highlights the field at its payload offset; the packet layer 5 bytes later (after length + padding length).
    const first = (id: string) => Number(layerEl(canvasElement, id).querySelector('.hx-bytes .hx-hl')!.getAttribute('data-offset'));
    await expect(first('payload')).toBe(field.span.start);
    await expect(first('packet')).toBe(field.span.start + 5);
  },
};

/** Clicking a byte selects the field it belongs to, in the tree and in the URL-bound selection. */
export const ClickByteSelectsField: Story = {
  args: { session: undefined as never, packetIndex: 0 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    // Byte 4 of the packet is padding_length (RFC 4253 §6).
    await userEvent.click(layerEl(canvasElement, 'packet').querySelector('.hx-bytes [data-offset="4"]')!);
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('field=packet:padding_length');
    await expect(canvas.getByRole('button', { name: /^padding_length uint8/ })).toHaveAttribute('aria-pressed', 'true');
    // Byte 5 is the first payload byte: the message number of the KEXINIT.
    await userEvent.click(layerEl(canvasElement, 'payload').querySelector('.hx-bytes [data-offset="0"]')!);
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('field=message:message_number');
    await expect(canvas.getByText(/Starts a key exchange/)).toBeInTheDocument();
  },
};

/** An encrypted packet (the exec request): the stream bytes differ from the decrypted packet, and the MAC is shown. */
export const EncryptedExec: Story = {
  args: { session: undefined as never, packetIndex: 25, annotate: true },
  play: async ({ canvasElement, loaded }) => {
    const canvas = within(canvasElement);
    const packet = (loaded.trace as Trace).sessions[0].packets[25];
    await expect(packet.message?.name).toBe('SSH_MSG_CHANNEL_REQUEST');
    await expect(canvas.getByText(/echo HELLO_WIRESHARK_TEST; uname -s/, { selector: '.ft-value *' })).toBeInTheDocument();
    const bytesOf = (id: string) => [...layerEl(canvasElement, id).querySelectorAll('.hx-bytes .hx-b')].slice(0, 8).map((e) => e.textContent).join('');
    await expect(bytesOf('wire')).not.toBe(bytesOf('packet'));
    await expect(layerEl(canvasElement, 'wire').textContent).toMatch(/encrypted/);
    await expect(canvas.getAllByText(/MAC \/ tag/).length).toBeGreaterThan(0);
    // How it was protected: chacha20-poly1305, its nonce is the sequence number, keys C from key exchange 1.
    const crypto = canvas.getByRole('region', { name: 'How this packet was protected' });
    await expect(crypto).toHaveTextContent(`sequence number ${packet.sequence}; cipher chacha20-poly1305@openssh.com`);
    await expect(crypto).toHaveTextContent(`Nonce = the sequence number ${packet.sequence} as a uint64`);
    await expect(crypto).toHaveTextContent('✓ verified');
    // Keyboard: focus the payload hex, move right and select with Enter.
    const hex = within(layerEl(canvasElement, 'payload')).getByRole('group');
    hex.focus();
    await userEvent.keyboard('{ArrowRight}{Enter}');
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('field=message:recipient_channel');
  },
};

/** Two stacks on one page (a lesson comparing packets): each names its own landmark and the regions inside it. */
export const TwoStacks: Story = {
  args: { session: undefined as never, packetIndex: 0 },
  render: (_args, { loaded }) => {
    const session = (loaded.trace as Trace).sessions[0];
    return (
      <WithSelection>
        <LayerStack session={session} packetIndex={0} label="Layers of the client's KEXINIT" />
        <LayerStack session={session} packetIndex={25} label="Layers of the exec request" />
      </WithSelection>
    );
  },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('region', { name: "Layers of the client's KEXINIT" })).toHaveTextContent(/SSH_MSG_KEXINIT/);
    await expect(canvas.getByRole('region', { name: 'Layers of the exec request' })).toHaveTextContent(/SSH_MSG_CHANNEL_REQUEST/);
    await expect(canvas.getByRole('region', { name: 'How this packet was protected (Layers of the exec request)' })).toBeInTheDocument();
    // Every landmark name on the page is distinct.
    const names = [...canvasElement.querySelectorAll('section[aria-label]')].map((e) => e.getAttribute('aria-label'));
    await expect(new Set(names).size).toBe(names.length);
  },
};
