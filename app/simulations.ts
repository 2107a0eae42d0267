/**
 * Simulated sessions the app can run with the engine's step-through client and server (engine/simulate): a scenario
 * and a seed give the same bytes every time. Each step is the trace as it stood after one more message.
 */
import type { Scenario } from '../engine/simulate/index.ts';

export interface SimulationPreset {
  id: string;
  title: string;
  scenario: Scenario;
}

export const SIMULATIONS: SimulationPreset[] = [
  { id: 'password-exec', title: 'Password login, then exec "echo hello"', scenario: { actions: [{ do: 'exec', command: 'echo hello' }] } },
  { id: 'publickey-rekey', title: 'Public-key login, exec, then a rekey', scenario: { auth: { method: 'publickey' }, actions: [{ do: 'exec', command: 'echo hello' }, { do: 'rekey' }] } },
  {
    id: 'terrapin', title: 'Terrapin attack without strict kex (EXT_INFO silently deleted)',
    scenario: { terrapin: true, server: { strictKex: false }, client: { strictKex: false }, actions: [{ do: 'exec', command: 'echo hi' }] },
  },
  { id: 'terrapin-strict', title: 'Terrapin attack against strict kex (refused)', scenario: { terrapin: true, actions: [{ do: 'exec', command: 'echo hi' }] } },
];
