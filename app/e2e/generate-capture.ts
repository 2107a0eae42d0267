/**
 * Node only (tests and benchmarks): a capture of any size made by the engine's own client and server in memory, in
 * pcapng with the key log in a Decryption Secrets Block (engine/endpoint/recording.ts), so the capture alone
 * decodes. The server's exec writes `bytes` bytes of a known pattern; the client's maximum packet size (RFC 4254
 * §5.1) sets how many CHANNEL_DATA messages carry them, i.e. how long the message list gets.
 */
import { generateHostKey } from '../../engine/crypto/hostkey.ts';
import { Client, Server, answerEachExecWith, pump, recordPcapng, seededRandom } from '../../engine/endpoint/index.ts';
import { patternBytes } from '../../engine/simulate/builtin-commands.ts';

export interface GeneratedCaptureOptions {
  /** Bytes the server's exec writes. */
  bytes: number;
  /** The client's maximum packet size: data per CHANNEL_DATA message. */
  maxPacket: number;
  cipher?: string;
  seed?: string;
}

export function generateCapture({ bytes, maxPacket, cipher = 'chacha20-poly1305@openssh.com', seed = 'sshlens' }: GeneratedCaptureOptions): Uint8Array {
  const preferences = { kex: ['curve25519-sha256'], hostKey: ['ssh-ed25519'], cipher: [cipher], mac: ['hmac-sha2-256-etm@openssh.com'], compression: ['none'] };
  let time = 0;
  const clock = () => (time += 1);
  const server = new Server({
    hostKeys: [generateHostKey('ssh-ed25519', seededRandom(`host:${seed}`))], auth: { password: () => true }, preferences,
    random: seededRandom(`server:${seed}`), clock,
  });
  const client = new Client({
    credentials: { user: 'bench', password: 'x', methods: ['password'] }, preferences, random: seededRandom(`client:${seed}`), clock,
    policy: { maxPacket },
  });
  const data = patternBytes(bytes);
  let done = false;
  client.start();
  server.start();
  const react = () => {
    answerEachExecWith(server, data);
    for (let e = client.nextEvent(); e; e = client.nextEvent()) {
      if (e.type === 'auth-success') client.openSession();
      if (e.type === 'channel-open-confirmed') client.exec(e.channel, `bytes ${bytes}`);
      if (e.type === 'channel-close') done = true;
      if (e.type === 'disconnect') throw new Error(`generated capture: ${e.description}`);
    }
  };
  while (!done) pump(client, server, react, 10_000_000);
  return recordPcapng({ transcript: client.transport.transcript, keyLog: client.keyLogText(), epoch: Date.UTC(2026, 10, 22) });
}
