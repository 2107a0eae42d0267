import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { InertText } from './InertText.tsx';

const meta = { component: InertText } satisfies Meta<typeof InertText>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A banner that tries to clear the terminal and ring the bell shows its escapes instead. */
export const TerminalEscapes: Story = {
  args: { text: 'Welcome\x1b[2J\x1b[H\x07 to the server\r\n' },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.textContent).toBe('Welcome\\e[2J\\e[H\\x07 to the server\\r\\n');
    const escapes = canvasElement.querySelectorAll('abbr.esc');
    await expect(escapes).toHaveLength(5);
    await expect(escapes[0]).toHaveAttribute('title', 'U+001B ESC (terminal escape sequence)');
  },
};

/** A user name with a right-to-left override (Trojan Source) keeps its real order on screen. */
export const BidiOverride: Story = {
  args: { text: 'root\u202Egnp.exe' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByTitle('U+202E right-to-left override')).toHaveTextContent('\\u{202E}');
    // No override character reaches the DOM text: the browser cannot reorder anything.
    await expect(canvasElement.textContent).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  },
};
