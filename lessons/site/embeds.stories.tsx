import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { packetPhases } from '../../app/lib/phases.ts';
import { parseLink } from '../../app/lib/url.ts';
import { SIMULATIONS } from '../../app/simulations.ts';
import { SelectionProbe } from '../../app/stories/with-selection.tsx';
import { fieldValue, pickPacket } from '../quiz.ts';
import { Channels, Identification, KeyExchange, Ladder, Layers, Messages, Negotiation, OpenInAnalyzer, OpenSimulation } from './embeds.tsx';
import { Sample } from './sample.tsx';
import { loadSamples, sessionOf } from './story-helpers.tsx';

/**
 * The analyzer components as a lesson embeds them: inside a <Sample> (a bundled trace from traces/, decoded in the
 * analyzer's worker), sharing one selection. The probe under each story prints that selection.
 */
const meta = {
  render: (args: { children: ReactNode }) => <>{args.children}</>,
} satisfies Meta<{ children: ReactNode }>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Waits for the sample to be decoded and the live block drawn. */
const live = (canvasElement: HTMLElement) => waitFor(() => {
  const block = canvasElement.querySelector<HTMLElement>('.lesson-live');
  if (!block) throw new Error('the sample is not decoded yet');
  return block;
}, { timeout: 20_000 });

/** Lesson 1: the ladder, the message list and the layers follow one selection; nothing is selected at first. */
export const OneSelection: Story = {
  args: { children: <Sample name="publickey-exec"><Ladder /><Messages /><Layers /><SelectionProbe /></Sample> },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'publickey-exec');
    const canvas = within(await live(canvasElement));
    await expect(canvas.getByText('Select a message above to see its layers.')).toBeInTheDocument();
    const list = canvas.getByRole('listbox', { name: /^Messages/ });
    const ladder = canvas.getByRole('listbox', { name: /^Ladder diagram/ });
    await userEvent.click(within(list).getAllByRole('option')[3]);
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('message=3 ');
    await expect(within(ladder).getByRole('option', { selected: true }).querySelector('title')!.textContent).toMatch(/^3: server to client, KEX_ECDH_REPLY/);
    const layers = canvas.getByRole('region', { name: 'Layers of message 3 of the publickey-exec sample' });
    await expect(layers).toHaveTextContent(`#3 server → client ${session.packets[3].message!.name}`);
    // The arrow keys move the ladder's selection, and the layers follow.
    ladder.focus();
    await userEvent.keyboard('{ArrowDown}');
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('message=4 ');
    await expect(layers).toHaveTextContent('SSH_MSG_NEWKEYS');
  },
};

/** `<Ladder phase="auth" />`: only the messages of one phase, as lesson 9 shows them. */
export const LadderOfOnePhase: Story = {
  args: { children: <Sample name="password-exec"><Ladder phase="auth" /></Sample> },
  loaders: [loadSamples('password-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'password-exec');
    const auth = packetPhases(session.packets).flatMap((phase, i) => (phase === 'auth' ? [i] : []));
    const canvas = within(await live(canvasElement));
    const options = within(canvas.getByRole('listbox', { name: /^Ladder diagram/ })).getAllByRole('option');
    await expect(options.map((o) => Number(o.querySelector('title')!.textContent!.split(':')[0]))).toEqual(auth);
    await expect(options.some((o) => /USERAUTH_REQUEST/.test(o.textContent!))).toBe(true);
  },
};

/** Lesson 3: a picked packet with a picked field - the client's KEXINIT, padding_length selected, every field explained inline. */
export const LayersOfAPickedField: Story = {
  args: {
    children: (
      <Sample name="publickey-exec" select={{ name: 'SSH_MSG_KEXINIT', direction: 'client' }} field="packet:padding_length">
        <Layers annotate /><SelectionProbe />
      </Sample>
    ),
  },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'publickey-exec');
    const canvas = within(await live(canvasElement));
    await expect(canvas.getByRole('button', { name: /^padding_length uint8/ })).toHaveAttribute('aria-pressed', 'true');
    // The packet layer outlines byte 4, the padding_length byte (RFC 4253 §6).
    const packetLayer = canvasElement.querySelector<HTMLElement>('[data-layer="packet"]')!;
    await expect([...packetLayer.querySelectorAll('.hx-bytes .hx-sel')].map((b) => b.getAttribute('data-offset'))).toEqual(['4']);
    await expect(canvasElement.querySelectorAll('.ft-doc').length).toBeGreaterThan(10);
    // Clicking the cookie's first byte in the payload selects the cookie.
    await userEvent.click(canvasElement.querySelector<HTMLElement>('[data-layer="payload"] .hx-bytes [data-offset="1"]')!);
    await expect(canvas.getByLabelText('selection')).toHaveTextContent('field=message:cookie');
    const cookie = session.packets[pickPacket(session, { name: 'SSH_MSG_KEXINIT', direction: 'client' })].message!.fields.find((f) => f.name === 'cookie')!;
    await expect(cookie.span).toEqual({ start: 1, end: 17 });
  },
};

/** `<Layers packet={...} />` shows that packet whatever is selected: an encrypted one, with how it was protected. */
export const LayersOfAnEncryptedPacket: Story = {
  args: { children: <Sample name="publickey-exec"><Layers packet={{ name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' }} /></Sample> },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'publickey-exec');
    const packet = session.packets[pickPacket(session, { name: 'SSH_MSG_SERVICE_REQUEST', direction: 'client' })];
    const canvas = within(await live(canvasElement));
    const crypto = canvas.getByRole('region', { name: /^How this packet was protected/ });
    await expect(crypto).toHaveTextContent(`sequence number ${packet.sequence}; cipher chacha20-poly1305@openssh.com`);
    await expect(crypto).toHaveTextContent('✓ verified');
    // The decrypted payload: the service the client asks for.
    await expect(canvas.getAllByText('ssh-userauth').length).toBeGreaterThan(0);
  },
};

/** Lesson 4: the negotiation, slot by slot, with the winner of each. */
export const NegotiationTable: Story = {
  args: { children: <Sample name="publickey-exec"><Negotiation /></Sample> },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'publickey-exec');
    const canvas = within(await live(canvasElement));
    const table = within(canvas.getByRole('region', { name: 'Negotiation of key exchange 1' })).getByRole('table');
    for (const slot of session.kex[0].negotiation) {
      const row = within(table).getByRole('rowheader', { name: slot.slot }).closest('tr')!;
      await expect(row.querySelector('td.mono')).toHaveTextContent(slot.chosen ?? 'none: no match');
    }
    await expect(table).toHaveTextContent('curve25519-sha256');
  },
};

/** Lessons 5, 6 and 13: the key exchange card recomputes H, session_id and the keys; a missing exchange is said so. */
export const KeyExchangeCard: Story = {
  args: { children: <Sample name="rekey"><KeyExchange index={1} /><KeyExchange index={2} /></Sample> },
  loaders: [loadSamples('rekey')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'rekey');
    await expect(session.kex).toHaveLength(2);
    const canvas = within(await live(canvasElement));
    const card = canvas.getByRole('region', { name: 'Key exchange 2' });
    await expect(card).toHaveTextContent(`Key exchange 2: ${session.kex[1].algorithms!.kex}`);
    await expect(card).toHaveTextContent('(from the first key exchange, unchanged by a rekey)');
    await expect(within(card).queryByText(/does not match/)).toBeNull();
    await expect(within(card).getAllByText('✓ recomputed, matches').length).toBeGreaterThanOrEqual(2);
    await expect(canvas.getByText('This session has no key exchange 3.')).toBeInTheDocument();
  },
};

/** Lessons 10-12: each channel's requests, timeline and windows; clicking an event selects its message. */
export const ChannelsOfTheSession: Story = {
  args: { children: <Sample name="publickey-exec"><Channels /><SelectionProbe /></Sample> },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'publickey-exec');
    const canvas = within(await live(canvasElement));
    const channel = canvas.getByRole('region', { name: /^Channel 0: session/ });
    await expect(channel).toHaveTextContent(`exit status ${fieldValue(session.packets.find((p) => fieldValue(p, 'request_type') === 'exit-status')!, 'exit_status')}`);
    await expect(channel).toHaveTextContent(String(fieldValue(session.packets.find((p) => fieldValue(p, 'request_type') === 'exec')!, 'command')));
    const adjust = pickPacket(session, { name: 'SSH_MSG_CHANNEL_WINDOW_ADJUST', direction: 'server' });
    const mark = [...channel.querySelectorAll('.ch-event')].find((g) => g.querySelector('title')!.textContent!.startsWith(`message ${adjust}:`))!;
    await userEvent.click(mark);
    await expect(canvas.getByLabelText('selection')).toHaveTextContent(`message=${adjust} `);
  },
};

/** Lesson 2: both identification lines, their parts and their size on the wire, CR LF included. */
export const IdentificationLines: Story = {
  args: { children: <Sample name="password-exec"><Identification /></Sample> },
  loaders: [loadSamples('password-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'password-exec');
    const table = within(await live(canvasElement)).getByRole('table', { name: 'Identification lines' });
    for (const side of ['client', 'server'] as const) {
      const id = session.identification[side]!;
      const row = within(table).getByRole('rowheader', { name: side }).closest('tr')!;
      await expect(row).toHaveTextContent(id.line);
      await expect(row).toHaveTextContent(`${id.line.length + 2} (stream bytes ${id.stream.start} to ${id.stream.end - 1}`);
    }
  },
};

/** Deep links into the analyzer: a message and field of this sample, the sample alone, and a simulation from step 0. */
export const DeepLinks: Story = {
  args: {
    children: (
      <Sample name="publickey-exec">
        <OpenInAnalyzer packet={{ name: 'SSH_MSG_CHANNEL_REQUEST', direction: 'client', nth: 1 }} field="message:command">The exec request</OpenInAnalyzer>
        <br /><OpenInAnalyzer /><br />
        <OpenSimulation id="terrapin" />
      </Sample>
    ),
  },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'publickey-exec');
    const canvas = within(await live(canvasElement));
    const exec = canvas.getByRole('link', { name: 'The exec request ↗' });
    const message = session.packets.findIndex((p) => fieldValue(p, 'request_type') === 'exec');
    await expect(parseLink(exec.getAttribute('href')!)).toMatchObject({ sample: 'publickey-exec', session: 0, message, layer: 'fields', field: 'message:command' });
    const whole = canvas.getByRole('link', { name: 'Open publickey-exec in the analyzer ↗' });
    await expect(parseLink(whole.getAttribute('href')!)).toMatchObject({ sample: 'publickey-exec', message: null, field: null });
    const terrapin = SIMULATIONS.find((s) => s.id === 'terrapin')!;
    const simulation = canvas.getByRole('link', { name: `${terrapin.title} ↗` });
    await expect(parseLink(simulation.getAttribute('href')!)).toMatchObject({ sim: 'terrapin', seed: 1, step: 0 });
  },
};

/** A sample that is not in the build: the block says so, in words, instead of breaking the page. */
export const UnknownSample: Story = {
  args: { children: <Sample name="no-such-sample"><Ladder /></Sample> },
  play: async ({ canvasElement }) => {
    const alert = await within(canvasElement).findByRole('alert', {}, { timeout: 10_000 });
    await expect(alert).toHaveTextContent('The sample no-such-sample could not be decoded: There is no sample named "no-such-sample" in this build.');
  },
};
