/**
 * @module endpoint/pair
 * One in-memory client/server pair (after h11's ConnectionPair and x/crypto/ssh's mempipe): moves bytes between two
 * sans-I/O endpoints until neither has anything to send. Used by tests, the simulator, stories and lessons.
 */
import type { Endpoint } from './endpoint.ts';
import type { Server } from './server.ts';

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

/**
 * The server side of an in-memory bulk session (benchmarks, generated captures): every exec is answered with
 * `data` on stdout, exit status 0, EOF and close (RFC 4254 §6.5, §6.10, §5.3). Other events are dropped.
 */
export function answerEachExecWith(server: Server, data: Uint8Array): void {
  for (let e = server.nextEvent(); e; e = server.nextEvent()) {
    if (e.type === 'channel-request' && e.request === 'exec') {
      server.write(e.channel, data);
      server.exitStatus(e.channel, 0);
      server.eof(e.channel);
      server.close(e.channel);
    }
  }
}
