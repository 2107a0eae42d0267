import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { StartPage } from './StartPage.tsx';

const meta = { component: StartPage, args: { onOpen: fn() } } satisfies Meta<typeof StartPage>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Choosing files with the picker hands them all over at once. */
export const Empty: Story = {
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('note')).toHaveTextContent(/Nothing leaves your machine/);
    const capture = new File([new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1])], 'session.pcap');
    const keys = new File(['cookie SHARED_SECRET 00'], 'session.keylog');
    await userEvent.upload(canvas.getByLabelText(/Capture and key log files/), [capture, keys]);
    await expect(args.onOpen).toHaveBeenCalledTimes(1);
    const files = (args.onOpen as ReturnType<typeof fn>).mock.calls[0][0] as File[];
    await expect(files.map((file) => file.name)).toEqual(['session.pcap', 'session.keylog']);
  },
};

export const Decoding: Story = {
  args: { progress: 0.42 },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('progressbar')).toHaveAccessibleName(/Decoding.*42%/);
  },
};

export const Failed: Story = {
  args: { error: 'The capture holds no SSH connection: no TCP stream starts with "SSH-".' },
  play: async ({ canvasElement }) => {
    await expect(within(canvasElement).getByRole('alert')).toHaveTextContent(/no SSH connection/);
  },
};
