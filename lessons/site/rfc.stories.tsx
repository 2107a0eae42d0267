import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, within } from 'storybook/test';
import { Rfc } from './rfc.tsx';

/** A citation becomes a link to what it cites (opened in a new tab; the page itself fetches nothing). */
const meta = {
  component: Rfc,
  render: () => (
    <ul>
      <li><Rfc cite="RFC 4253 §7.2" /></li>
      <li><Rfc cite="RFC 4254" /></li>
      <li><Rfc cite="draft-ietf-sshm-strict-kex" /></li>
      <li><Rfc cite="OpenSSH PROTOCOL.chacha20poly1305" /></li>
      <li><Rfc cite="OpenSSH PROTOCOL §1.5" /></li>
      <li><Rfc cite="FIPS 203" /></li>
    </ul>
  ),
} satisfies Meta<typeof Rfc>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Citations: Story = {
  args: { cite: 'RFC 4253 §7.2' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const href = (name: string) => canvas.getByRole('link', { name }).getAttribute('href');
    await expect(href('RFC 4253 §7.2')).toBe('https://www.rfc-editor.org/rfc/rfc4253#section-7.2');
    await expect(href('RFC 4254')).toBe('https://www.rfc-editor.org/rfc/rfc4254');
    await expect(href('draft-ietf-sshm-strict-kex')).toBe('https://datatracker.ietf.org/doc/draft-ietf-sshm-strict-kex/');
    await expect(href('OpenSSH PROTOCOL.chacha20poly1305')).toBe('https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.chacha20poly1305');
    await expect(href('OpenSSH PROTOCOL §1.5')).toBe('https://github.com/openssh/openssh-portable/blob/master/PROTOCOL');
    for (const link of canvas.getAllByRole('link')) await expect(link).toHaveAttribute('target', '_blank');
    // Nothing to link to: cited, not linked.
    await expect(canvas.getAllByRole('link')).toHaveLength(5);
    await expect(canvas.getByText('FIPS 203').tagName).toBe('CITE');
  },
};
