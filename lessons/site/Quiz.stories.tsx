import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { LESSONS } from '../catalog.ts';
import { byteAnswer, checkAnswer, correctAnswer, wrongAnswer } from '../quiz.ts';
import { Quiz } from './Quiz.tsx';
import { giveAnswer, InLesson, lesson, loadSamples, questionBox, sessionOf } from './story-helpers.tsx';

/**
 * The quiz that ends every lesson, on the lesson's real sample (traces/, decoded in the analyzer's worker). Each
 * lesson's story answers every question wrong - and is told why - then right, as a student does: clicking bytes,
 * typing numbers, choosing names. The expected verdicts come from the same decoded session.
 */
const meta = {
  component: Quiz,
  render: (args: { slug: string }) => <InLesson slug={args.slug}><Quiz /></InLesson>,
} satisfies Meta<{ slug: string }>;
export default meta;
type Story = StoryObj<typeof meta>;

const samplesOf = (slug: string) => [...new Set([lesson(slug).sample, ...lesson(slug).quiz.flatMap((q) => (q.sample ? [q.sample] : []))])];

/** Every question of a lesson: a wrong answer is rejected with its reason, the right one accepted. */
function everyQuestion(slug: string): Story {
  return {
    args: { slug },
    loaders: [loadSamples(...samplesOf(slug))],
    play: async ({ canvasElement, loaded }) => {
      for (const question of lesson(slug).quiz) {
        const session = sessionOf(loaded, question.sample ?? lesson(slug).sample);
        const box = await questionBox(canvasElement, question.id);
        const wrong = wrongAnswer(session, question);
        let verdict = await giveAnswer(box, wrong);
        await expect(verdict).toHaveAttribute('data-verdict', 'wrong');
        await expect(verdict).toHaveTextContent(`✗ Not quite. ${checkAnswer(session, question, wrong).explanation}`);
        verdict = await giveAnswer(box, correctAnswer(session, question));
        await expect(verdict).toHaveAttribute('data-verdict', 'correct');
        await expect(verdict).toHaveTextContent(/^✓ Correct\./);
      }
    },
  };
}

export const Lesson01Layers = everyQuestion('layers');
export const Lesson02Identification = everyQuestion('identification');
export const Lesson03BinaryPacket = everyQuestion('binary-packet');
export const Lesson04Kexinit = everyQuestion('kexinit');
export const Lesson05DiffieHellman = everyQuestion('diffie-hellman');
export const Lesson06Newkeys = everyQuestion('newkeys');
export const Lesson07Ciphers = everyQuestion('ciphers');
export const Lesson08HostKeys = everyQuestion('host-keys');
export const Lesson09Userauth = everyQuestion('userauth');
export const Lesson10Channels = everyQuestion('channels');
export const Lesson11Sessions = everyQuestion('sessions');
export const Lesson12Forwarding = everyQuestion('forwarding');
export const Lesson13RekeyTerrapin = everyQuestion('rekey-terrapin');
export const Lesson14PostQuantum = everyQuestion('post-quantum');
export const Lesson15Debugging = everyQuestion('debugging');

/**
 * Lesson 3's first question in detail: clicking byte 0 is wrong because it belongs to packet_length; moving to byte 4
 * with the keyboard and pressing Enter picks padding_length, which is right; the picked byte is outlined.
 */
export const ByteByKeyboard: Story = {
  args: { slug: 'binary-packet' },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'publickey-exec');
    const question = lesson('binary-packet').quiz.find((q) => q.id === 'padding-length')!;
    if (question.kind !== 'byte') throw new Error('padding-length is a byte question');
    const { span } = byteAnswer(session, question);
    await expect(span).toEqual({ start: 4, end: 5 });
    const box = await questionBox(canvasElement, question.id);
    const verdict = await giveAnswer(box, { kind: 'byte', offset: 0 });
    await expect(verdict).toHaveTextContent('✗ Not quite. Byte 0 of the packet belongs to packet_length, not padding_length.');
    // The keyboard: Home, four steps right, Enter.
    within(box).getByRole('group', { name: /^Quiz packet/ }).focus();
    await userEvent.keyboard('{Home}{ArrowRight}{ArrowRight}{ArrowRight}{ArrowRight}{Enter}');
    await expect(verdict).toHaveTextContent('✓ Correct. Byte 4 of the packet belongs to padding_length (bytes 4 to 4).');
    await expect(box.querySelector('.hx-bytes [data-offset="4"]')).toHaveClass('hx-sel');
  },
};

/** "Show me" outlines every byte of the answer - here the 16-byte Poly1305 tag of an encrypted packet. */
export const ShowMe: Story = {
  args: { slug: 'binary-packet' },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement, loaded }) => {
    const session = sessionOf(loaded, 'publickey-exec');
    const question = lesson('binary-packet').quiz.find((q) => q.id === 'tag')!;
    if (question.kind !== 'byte') throw new Error('tag is a byte question');
    const { packet, span } = byteAnswer(session, question);
    await expect(span.end - span.start).toBe(16);
    await expect(span.end).toBe(packet.wire!.length);
    const box = await questionBox(canvasElement, question.id);
    await userEvent.click(within(box).getByRole('button', { name: 'Show me' }));
    await expect(box.querySelectorAll('.hx-bytes .hx-sel')).toHaveLength(16);
    await expect(box).toHaveTextContent(`Bytes ${span.start} to ${span.end - 1}, outlined above.`);
  },
};

/** A number question takes decimal digits only: anything else is not judged, and the student is told what to type. */
export const NotANumber: Story = {
  args: { slug: 'binary-packet' },
  loaders: [loadSamples('publickey-exec')],
  play: async ({ canvasElement }) => {
    const box = await questionBox(canvasElement, 'server-padding');
    const question = within(box);
    await userEvent.type(question.getByLabelText('Your answer'), '0x0a');
    await userEvent.click(question.getByRole('button', { name: 'Check' }));
    await expect(question.getByText('Type a whole number in decimal, such as 42.')).toBeInTheDocument();
    await expect(question.getByLabelText('Your answer')).toHaveAttribute('aria-invalid', 'true');
    await expect(question.getByRole('status')).toHaveTextContent(/^$/);
  },
};

/** Every lesson has its story above. */
export const EveryLessonHasAQuizStory: Story = {
  args: { slug: 'layers' },
  loaders: [loadSamples('publickey-exec')],
  play: async () => {
    const stories = [Lesson01Layers, Lesson02Identification, Lesson03BinaryPacket, Lesson04Kexinit, Lesson05DiffieHellman, Lesson06Newkeys,
      Lesson07Ciphers, Lesson08HostKeys, Lesson09Userauth, Lesson10Channels, Lesson11Sessions, Lesson12Forwarding, Lesson13RekeyTerrapin,
      Lesson14PostQuantum, Lesson15Debugging];
    await expect(stories.map((story) => story.args?.slug)).toEqual(LESSONS.map((l) => l.slug));
  },
};
