/**
 * @module simulate/simulate
 * `simulate(scenario, seed)`: an engine client and an engine server in memory, the client doing what the scenario
 * says (authenticate, run commands, send data, pty and resize, rekey, forwardings), the server running the built-in
 * command set. Failures are part of the scenario: a wrong password, a rejected host key, a refused channel, an
 * injected IGNORE before NEWKEYS (Terrapin-style, refused under strict kex). Randomness is a ChaCha20 stream from
 * the seed and time a counter, so the same scenario and seed give byte-identical sessions.
 *
 * The result is the trace the capture decoder makes of the two byte streams (with the client's key log), and one
 * step per message with the trace as it stood after that message, for stepping forward and back.
 */
import type { SigningKey } from '../crypto/hostkey.ts';
import { generateHostKey } from '../crypto/hostkey.ts';
import type { PlainKeyType } from '../crypto/hostkey-blob.ts';
import { signingKeyBlob } from '../crypto/hostkey.ts';
import { concatByteList, equalBytes } from '../wire/index.ts';
import type { AlgorithmPreferences } from '../endpoint/algorithms.ts';
import { Client } from '../endpoint/client.ts';
import type { EndpointEvent } from '../endpoint/events.ts';
import { seededRandom } from '../endpoint/rng.ts';
import { Server } from '../endpoint/server.ts';
import { buildTrace, snapshotSession } from '../endpoint/trace.ts';
import { PacketWriter } from '../transport/packet-writer.ts';
import { encodeMessage } from '../messages/index.ts';
import type { PacketRecord, Trace } from '../trace/model.ts';
import { BuiltinSessions } from './builtin-commands.ts';
import { ClientScript, type Action, type ActionResult } from './script.ts';

export type { Action, ActionResult };

export interface Scenario {
  name?: string;
  user?: string;
  /** How the client authenticates (default password with the right password). */
  auth?: {
    method: 'password' | 'publickey' | 'keyboard-interactive' | 'none';
    password?: string;
    /** Answer to a password change request. */
    newPassword?: string;
    keyType?: PlainKeyType;
  };
  server?: {
    /** The password the server accepts (default "secret"). */
    password?: string;
    /** Ask for a new password even when the right one is given (PASSWD_CHANGEREQ). */
    passwordExpired?: boolean;
    hostKeyType?: PlainKeyType;
    banner?: string;
    /** Refuse every channel (SSH_OPEN_ADMINISTRATIVELY_PROHIBITED). */
    refuseChannels?: boolean;
    /** Whether the client's public key is authorized (default true). */
    authorizeKey?: boolean;
    algorithms?: AlgorithmPreferences;
    strictKex?: boolean;
  };
  client?: { algorithms?: AlgorithmPreferences; strictKex?: boolean; rejectHostKey?: boolean; rekeyBytes?: number; guessKex?: boolean };
  /**
   * Terrapin (CVE-2023-48795): an attacker in the middle injects an IGNORE into the server's stream right after its
   * KEXINIT and deletes the server's first encrypted packet (its EXT_INFO), so the client's sequence numbers stay in
   * step. Strict kex refuses the IGNORE; without it the session goes on with EXT_INFO silently gone.
   */
  terrapin?: boolean;
  actions?: Action[];
}

export interface SimulationStep {
  /** Index of the packet (message) in the trace. */
  index: number;
  direction: 'client' | 'server';
  name: string;
  summary: string;
  /** The trace as it stood right after this message. */
  trace: Trace;
}

export interface SimulationResult {
  scenario: Scenario;
  seed: string | number;
  trace: Trace;
  steps: SimulationStep[];
  /** The session's key log (SHARED_SECRET form). */
  keyLog: string;
  events: { client: EndpointEvent[]; server: EndpointEvent[] };
  results: ActionResult[];
  /** How the session ended. */
  end: { by: 'client' | 'server'; reason: number; description: string } | null;
}

const keyCache = new Map<string, SigningKey>();
/** Keys come from the seed too; RSA generation is slow, so keys are kept per (type, seed). */
function keyFor(type: PlainKeyType, seed: string): SigningKey {
  const id = `${type}/${seed}`;
  let key = keyCache.get(id);
  if (!key) keyCache.set(id, (key = generateHostKey(type, seededRandom(id), 2048)));
  return key;
}

export function simulate(scenario: Scenario, seed: string | number = 1): SimulationResult {
  let time = 0;
  const clock = () => (time += 1);
  const user = scenario.user ?? 'alice';
  const auth = scenario.auth ?? { method: 'password' };
  const srv = scenario.server ?? {};
  const rightPassword = srv.password ?? 'secret';
  const hostKey = keyFor(srv.hostKeyType ?? 'ssh-ed25519', `host:${seed}`);
  const userKey = auth.method === 'publickey' ? keyFor(auth.keyType ?? 'ssh-ed25519', `user:${seed}`) : undefined;
  const userKeyBlob = userKey ? signingKeyBlob(userKey) : undefined;

  const client = new Client({
    random: seededRandom(`client:${seed}`), clock,
    credentials: {
      user,
      ...(auth.method === 'password' || auth.method === 'keyboard-interactive' ? { password: auth.password ?? rightPassword } : {}),
      ...(auth.newPassword !== undefined ? { newPassword: auth.newPassword } : {}),
      ...(userKey ? { privateKey: userKey } : {}),
      ...(auth.method === 'keyboard-interactive' ? { keyboardInteractive: (prompts) => prompts.map(() => auth.password ?? rightPassword) } : {}),
      methods: [auth.method],
    },
    ...(scenario.client?.algorithms ? { preferences: scenario.client.algorithms } : {}),
    ...(scenario.client?.strictKex !== undefined ? { strictKex: scenario.client.strictKex } : {}),
    ...(scenario.client?.rekeyBytes !== undefined ? { rekeyBytes: scenario.client.rekeyBytes } : {}),
    ...(scenario.client?.guessKex ? { guessKex: true } : {}),
    acceptHostKey: () => !scenario.client?.rejectHostKey,
    policy: { channelOpen: (type) => (type === 'forwarded-tcpip' ? true : { reason: 1, description: `${type} not expected` }) },
  });
  let forwardPort = 0;
  const server = new Server({
    hostKeys: [hostKey], random: seededRandom(`server:${seed}`), clock,
    ...(srv.algorithms ? { preferences: srv.algorithms } : {}),
    ...(srv.strictKex !== undefined ? { strictKex: srv.strictKex } : {}),
    auth: {
      ...(srv.banner ? { banner: srv.banner } : {}),
      password: (_u, p) => (p !== rightPassword ? false : srv.passwordExpired ? 'change' : true),
      changePassword: (_u, old, next) => old === rightPassword && next.length > 0,
      publicKey: (_u, blob) => (srv.authorizeKey ?? true) && !!userKeyBlob && equalBytes(blob, userKeyBlob),
      keyboardInteractive: () => ({ instruction: 'sshlens simulation', prompts: [{ prompt: 'Password: ', echo: false }], check: (r) => r[0] === rightPassword }),
      maxAttempts: 3,
    },
    policy: {
      channelOpen: (type) => (srv.refuseChannels ? { reason: 1, description: 'channels are refused in this scenario' }
        : type === 'session' || type === 'direct-tcpip' ? true : { reason: 3, description: `unknown channel type ${type}` }),
      globalRequest: (name) => (name === 'tcpip-forward' ? (forwardPort = 40022) : name === 'keepalive@openssh.com' ? false : false),
    },
  });
  const sessions = new BuiltinSessions(server);
  const script = new ClientScript(client, scenario.actions ?? []);
  const events = { client: [] as EndpointEvent[], server: [] as EndpointEvent[] };
  const pendingForward: number[] = [];

  const attacker = new PacketWriter({ direction: 'server', random: (t) => t.fill(0) });
  let serverChunks = 0;
  let dropNext = false;
  /** The server's bytes as the client receives them: as sent, or rewritten by the Terrapin attacker. */
  const onTheWire = (sent: Uint8Array): Uint8Array => {
    if (!scenario.terrapin || !sent.length) return sent;
    const parts: Uint8Array[] = [];
    for (const chunk of server.transport.transcript.filter((c) => c.sender === 'server').slice(serverChunks)) {
      serverChunks++;
      if (dropNext) {
        dropNext = false;
        continue;
      }
      parts.push(chunk.bytes);
      // Chunk 1 is the KEXINIT (chunk 0 the identification line); NEWKEYS still travels in the clear.
      if (serverChunks === 2) parts.push(attacker.write(encodeMessage('SSH_MSG_IGNORE', { data: new Uint8Array(0) })).wire);
      if (chunk.bytes.length < 64 && chunk.bytes[5] === 21) dropNext = true;
    }
    return concatByteList(parts);
  };

  client.start();
  server.start();
  for (let round = 0; round < 1_000_000; round++) {
    const toServer = client.dataToSend();
    if (toServer.length) server.receiveData(toServer);
    for (let e = server.nextEvent(); e; e = server.nextEvent()) {
      events.server.push(e);
      sessions.handle(e);
      if (e.type === 'global-request' && e.name === 'tcpip-forward' && e.accepted) {
        // A connection arrives on the forwarded port: the server opens forwarded-tcpip to the client (RFC 4254 §7.2).
        const ch = server.openForwardedTcpip('127.0.0.1', forwardPort, '127.0.0.1', 51000);
        pendingForward.push(ch);
      }
      if (e.type === 'channel-open-confirmed' && pendingForward.includes(e.channel)) {
        server.write(e.channel, 'hello through the forwarded port\n');
        server.eof(e.channel);
        server.close(e.channel);
      }
    }
    const sent = server.dataToSend();
    const toClient = onTheWire(sent);
    if (toClient.length) client.receiveData(toClient);
    for (let e = client.nextEvent(); e; e = client.nextEvent()) {
      events.client.push(e);
      script.handle(e);
    }
    if (!toServer.length && !sent.length) break;
  }

  const transcript = client.transport.transcript;
  const keyLog = client.transport.keyLog;
  const steps: SimulationStep[] = [];
  const source = { kind: 'simulation' as const, name: scenario.name ?? 'simulation', keySources: ['engine key log'] };
  const trace = buildTrace({
    source, transcript, keyLog,
    onPacket: (session, packet: PacketRecord) => {
      steps.push({
        index: packet.index, direction: packet.direction, name: packet.message?.name ?? 'undecrypted packet', summary: packet.message?.summary ?? '',
        trace: { format: 'sshlens-trace', version: 1, source, sessions: [snapshotSession(session)], problems: [] },
      });
    },
  });
  const disconnect = [...events.client.map((e) => ['client', e] as const), ...events.server.map((e) => ['server', e] as const)]
    .find(([, e]) => e.type === 'disconnect' && e.by === 'local');
  const end = disconnect && disconnect[1].type === 'disconnect' ? { by: disconnect[0], reason: disconnect[1].reason, description: disconnect[1].description } : null;
  return { scenario, seed, trace, steps, keyLog: client.keyLogText(), events, results: script.results, end };
}
