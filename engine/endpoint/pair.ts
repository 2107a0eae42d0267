/**
 * @module endpoint/pair
 * One in-memory client/server pair (after h11's ConnectionPair and x/crypto/ssh's mempipe): moves bytes between two
 * sans-I/O endpoints until neither has anything to send. Used by tests, the simulator, stories and lessons.
 */
import type { Endpoint } from './endpoint.ts';

/** Delivers pending bytes both ways until quiet; calls `react` after each delivery (to answer events). Returns rounds. */
export function pump(client: Endpoint, server: Endpoint, react: () => void = () => {}, maxRounds = 100_000): number {
  for (let round = 0; round < maxRounds; round++) {
    // Packet by packet, as they were written: no joined copy of a round's bytes.
    const toServer = client.takeOutput();
    for (const bytes of toServer) server.receiveData(bytes);
    react();
    const toClient = server.takeOutput();
    for (const bytes of toClient) client.receiveData(bytes);
    react();
    if (!toServer.length && !toClient.length) return round;
  }
  throw new Error(`pump: still busy after ${maxRounds} rounds`);
}
