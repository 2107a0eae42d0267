import { useState } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { Stepper } from './Stepper.tsx';

function Harness({ total }: { total: number }) {
  const [step, setStep] = useState(0);
  return <Stepper step={step} total={total} label={`message ${step}`} onStep={setStep} />;
}

const meta = { component: Harness } satisfies Meta<typeof Harness>;
export default meta;

/** Buttons and the [ ] keys move one message at a time, and stop at both ends. */
export const ForwardAndBack: StoryObj<typeof meta> = {
  args: { total: 3 },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button', { name: '◀ Back' })).toBeDisabled();
    await userEvent.click(canvas.getByRole('button', { name: 'Next ▶' }));
    await expect(canvas.getByText(/Step 2 of 3/)).toBeInTheDocument();
    await userEvent.keyboard(']');
    await expect(canvas.getByText(/Step 3 of 3: message 2/)).toBeInTheDocument();
    await expect(canvas.getByRole('button', { name: 'Next ▶' })).toBeDisabled();
    await userEvent.keyboard('[[[[');  // '[[' is user-event's escape for one '['
    await expect(canvas.getByText(/Step 1 of 3/)).toBeInTheDocument();
  },
};
