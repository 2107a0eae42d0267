/**
 * @module endpoint
 * The engine's sans-I/O SSH endpoints (RFC 4253, 4252, 4254): Client and Server, their events, the transition table
 * lessons draw, the seeded RNG, the in-memory pair, and the way from a session to a trace, a key log and a pcapng.
 */
export { Client, type ClientOptions, type PtyRequest } from './client.ts';
export { Server, type ServerOptions } from './server.ts';
export { Endpoint } from './endpoint.ts';
export type { EndpointEvent, HostKeyInfo, Role } from './events.ts';
export { TRANSITIONS, classify, step, transitionDiagram, type Phase, type MessageClass, type Transition } from './states.ts';
export { seededRandom, systemRandom, type RandomBytes } from './rng.ts';
export { answerEachExecWith, pump } from './pair.ts';
export { buildTrace, snapshotSession, type TraceInput } from './trace.ts';
export { recordPcapng, type RecordingInput } from './recording.ts';
export { DEFAULT_PREFERENCES, SUPPORTED, type AlgorithmPreferences } from './algorithms.ts';
export { EndpointError, LocalProtocolError, RemoteProtocolError, REASON } from './errors.ts';
export type { TranscriptChunk, KeyLogRecord } from './transport.ts';
