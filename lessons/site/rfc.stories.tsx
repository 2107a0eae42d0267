import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { Rfc } from './rfc.tsx';

/** A citation: an RFC section becomes a link to that section (opened in a new tab; nothing is fetched by the page). */
const meta = {
  component: Rfc,
  render: () => (
    <ul>
      <li><Rfc cite="RFC 4253 §7.2" /></li>
      <li><Rfc cite="RFC 4254" /></li>
      <li><Rfc cite="OpenSSH PROTOCOL.chacha20poly1305" /></li>
    </ul>
  ),
} satisfies Meta<typeof Rfc>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Citations: Story = {
  args: { cite: 'RFC 4253 §7.2' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('link', { name: 'RFC 4253 §7.2' })).toHaveAttribute('href', 'https://www.rfc-editor.org/rfc/rfc4253#section-7.2');
    await expect(canvas.getByRole('link', { name: 'RFC 4254' })).toHaveAttribute('href', 'https://www.rfc-editor.org/rfc/rfc4254');
    // Not an RFC: cited, not linked.
    await expect(canvas.getAllByRole('link')).toHaveLength(2);
    await expect(canvas.getByText('OpenSSH PROTOCOL.chacha20poly1305').tagName).toBe('CITE');
  },
};
