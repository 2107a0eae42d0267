/**
 * @module simulate
 * `simulate(scenario, seed)`: both endpoints in memory, one step per message, the trace after each; and the built-in
 * command set the engine's server runs.
 */
export { simulate, type Scenario, type SimulationResult, type SimulationStep } from './simulate.ts';
export type { Action, ActionResult } from './script.ts';
export { BuiltinSessions, BUILTIN_COMMANDS, patternBytes } from './builtin-commands.ts';
