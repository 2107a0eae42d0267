/**
 * The sans-I/O invariant (DESIGN example 10, after h11's fuzz/afl-server.py): whatever a peer sends, an endpoint
 * produces events and bytes, or disconnects with a reason - it never throws. Checked with fast-check on garbage
 * streams and on well-framed, correctly encrypted packets whose payloads are arbitrary (any message number, any
 * body), delivered to a server and a client in every phase after authentication.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateHostKey } from '../crypto/hostkey.ts';
import { Client } from './client.ts';
import { pump } from './pair.ts';
import { seededRandom } from './rng.ts';
import { Server } from './server.ts';

const hostKey = generateHostKey('ssh-ed25519', seededRandom('fuzz-host'));

function pair() {
  let t = 0;
  const clock = () => ++t;
  const client = new Client({ credentials: { user: 'u', password: 'p' }, random: seededRandom('fc'), clock, preferences: { kex: ['curve25519-sha256'] } });
  const server = new Server({ hostKeys: [hostKey], random: seededRandom('fs'), clock, auth: { password: () => true } });
  client.start();
  server.start();
  pump(client, server);
  const channel = client.openSession();
  pump(client, server);
  client.events();
  server.events();
  return { client, server, channel };
}

type Writable = { writer: { write(p: Uint8Array): { wire: Uint8Array } } };
const writerOf = (e: Client | Server) => (e.transport as unknown as Writable).writer;

describe('an endpoint never throws on what the peer sends', () => {
  it('garbage after a valid identification line: DISCONNECT, no exception', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), (bytes) => {
      const server = new Server({ hostKeys: [hostKey], random: seededRandom('g'), clock: () => 0, auth: {} });
      server.start();
      server.receiveData(new TextEncoder().encode('SSH-2.0-fuzzer\r\n'));
      server.receiveData(bytes);
      const events = server.events();
      return events.every((e) => e.type !== 'disconnect' || e.by === 'local');
    }), { numRuns: 300 });
  });

  it('arbitrary payloads in valid, encrypted packets, to the server and to the client', () => {
    const payload = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 80 })).map(([n, body]) => Uint8Array.of(n, ...body));
    fc.assert(fc.property(fc.array(payload, { minLength: 1, maxLength: 4 }), fc.boolean(), (payloads, toClient) => {
      const { client, server } = pair();
      const [sender, receiver] = toClient ? [server, client] : [client, server];
      for (const p of payloads) {
        receiver.receiveData(writerOf(sender).write(p).wire);
        if (p[0] === 21) break; // after a NEWKEYS the raw writer itself wants new keys
      }
      receiver.events();
      sender.receiveData(receiver.dataToSend());
      sender.events();
      return true;
    }), { numRuns: 80 });
  });

  it('a flipped bit in an encrypted packet is a MAC error (reason 5)', () => {
    const { client, server, channel } = pair();
    client.write(channel, 'data');
    const wire = client.dataToSend();
    wire[wire.length - 3] ^= 1;
    server.receiveData(wire);
    expect(server.events().find((e) => e.type === 'disconnect')).toMatchObject({ by: 'local', reason: 5 });
  });
});
