import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, within } from 'storybook/test';
import { TRANSITIONS } from '../../engine/endpoint/states.ts';
import { StateMachine } from './StateMachine.tsx';

/** The transport's state machine, drawn from the engine's own transition table (engine/endpoint/states.ts). */
const meta = { component: StateMachine } satisfies Meta<typeof StateMachine>;
export default meta;
type Story = StoryObj<typeof meta>;

/** One box per phase, one arrow per phase-changing rule (each with its reason as a tooltip), the full table on demand. */
export const FromTheEngineTable: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const phases = new Set(TRANSITIONS.flatMap((t) => [t.from, t.to]));
    await expect(canvasElement.querySelectorAll('.sm-node')).toHaveLength(phases.size);
    const moves = TRANSITIONS.filter((t) => t.from !== t.to && t.on !== 'DISCONNECT');
    const edges = [...canvasElement.querySelectorAll('.sm-edge title')].map((title) => title.textContent);
    await expect(edges).toEqual(moves.map((t) => `${t.from} → ${t.to} on ${t.on}: ${t.why}`));
    await expect(canvas.getByRole('img', { name: new RegExp(`${phases.size} phases, ${TRANSITIONS.length} rules`) })).toBeInTheDocument();
    const summary = canvas.getByText(`The whole table (${TRANSITIONS.length} rules)`);
    await userEvent.click(summary);
    const table = within(summary.closest('details')!).getByRole('table');
    await expect(within(table).getAllByRole('row')).toHaveLength(1 + TRANSITIONS.length);
  },
};
