/**
 * @module fuzz/targets
 * Every fuzz target, by name: one or more per decoder (see each module for what it feeds and checks).
 */
import { captureDecoderTarget, pcapngTarget, pcapTarget, tcpTarget } from './capture-targets.ts';
import type { FuzzTarget } from './target.ts';
import { keyFileTarget, keyLogTarget, messagesTarget, traceJsonTarget } from './text-targets.ts';
import { sshDecryptTarget, sshFramingTarget } from './transport-targets.ts';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  pcapTarget, pcapngTarget, tcpTarget, sshFramingTarget, sshDecryptTarget, messagesTarget, keyLogTarget, keyFileTarget, traceJsonTarget, captureDecoderTarget,
];

export function fuzzTarget(name: string): FuzzTarget | undefined {
  return FUZZ_TARGETS.find((t) => t.name === name);
}
