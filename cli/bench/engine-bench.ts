/**
 * `npm run bench` (engine part), issue 5's speed targets, measured side by side in one run:
 * - in-memory bulk: the engine's client and server moving N MiB through a channel, against the ssh2 package's client
 *   and server over an in-memory duplex pipe, same cipher; target at least 1.5x ssh2's rate;
 * - connect + auth + exec against the same private OpenSSH sshd: the engine's client against OpenSSH's `ssh`;
 *   target at most 1.3x ssh's time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';
import { generateHostKey } from '../../engine/crypto/hostkey.ts';
import { Client, Server, pump, systemRandom } from '../../engine/endpoint/index.ts';
import { BuiltinSessions } from '../../engine/simulate/builtin-commands.ts';
import { parseOpenSshPrivateKey } from '../../engine/crypto/hostkey-file.ts';
import { execSession } from '../exec.ts';
import { installNodeCrypto } from '../node-crypto.ts';
import { generateKey, startSshd } from '../dev/sshd.ts';
import { CACHE } from './record.ts';

const MiB = 1048576;

/** Engine client and server in one process, the client reading `bytes` of output from the built-in `bytes N`. */
export function engineInMemory(cipher: string, bytes: number): number {
  const hostKey = generateHostKey('ssh-ed25519', systemRandom);
  const server = new Server({ hostKeys: [hostKey], auth: { password: () => true } });
  const sessions = new BuiltinSessions(server);
  const client = new Client({ credentials: { user: 'bench', password: 'x', methods: ['password'] }, preferences: { cipher: [cipher] } });
  let received = 0;
  let done = false;
  const start = process.hrtime.bigint();
  client.start();
  server.start();
  const react = () => {
    for (let e = server.nextEvent(); e; e = server.nextEvent()) sessions.handle(e);
    for (let e = client.nextEvent(); e; e = client.nextEvent()) {
      if (e.type === 'auth-success') client.openSession();
      if (e.type === 'channel-open-confirmed') client.exec(e.channel, `bytes ${bytes}`);
      if (e.type === 'channel-data') received += e.data.length;
      if (e.type === 'channel-close') done = true;
    }
  };
  while (!done) pump(client, server, react, 1_000_000);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (received !== bytes) throw new Error(`engine in-memory: received ${received} of ${bytes} bytes`);
  return bytes / seconds;
}

function duplexPair(): [Duplex, Duplex] {
  let a!: Duplex;
  let b!: Duplex;
  const make = (peer: () => Duplex) => new Duplex({ read() {}, write(chunk, _enc, cb) { peer().push(chunk); cb(); }, final(cb) { peer().push(null); cb(); } });
  a = make(() => b);
  b = make(() => a);
  return [a, b];
}

/** ssh2's client and server over an in-memory duplex pipe, the server writing `bytes` to an exec channel. */
export async function ssh2InMemory(cipher: string, bytes: number): Promise<number> {
  const ssh2 = (await import('ssh2')).default as unknown as typeof import('ssh2');
  const hostKey = readFileSync(generateKey(CACHE, 'ed25519', `bench-host-${process.pid}-${Date.now()}`).file);
  const [clientSide, serverSide] = duplexPair();
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (connection) => {
    connection.on('authentication', (ctx) => ctx.accept());
    connection.on('session', (accept) => accept().on('exec', (acceptExec) => {
      const stream = acceptExec();
      const chunk = Buffer.alloc(32768, 0x61);
      let left = bytes;
      const pumpOut = () => {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          left -= n;
          if (!stream.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void stream.once('drain', pumpOut);
        }
        stream.exit(0);
        stream.end();
      };
      pumpOut();
    }));
  });
  (server as unknown as { injectSocket(s: Duplex): void }).injectSocket(serverSide);
  const client = new ssh2.Client();
  const start = process.hrtime.bigint();
  const received = await new Promise<number>((resolve, reject) => {
    let total = 0;
    client.on('error', reject);
    client.on('ready', () => client.exec('bytes', (err, stream) => {
      if (err) return reject(err);
      stream.on('data', (d: Buffer) => (total += d.length));
      stream.on('close', () => {
        client.removeAllListeners('error');
        client.on('error', () => {}); // a keepalive timer may fire after the pipe is gone
        client.end();
        resolve(total);
      });
    }));
    client.connect({ sock: clientSide as never, username: 'bench', password: 'x', algorithms: { cipher: [cipher] } as never });
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  server.close();
  if (received !== bytes) throw new Error(`ssh2 in-memory: received ${received} of ${bytes} bytes`);
  return bytes / seconds;
}

export async function benchEngine(options: { mib: number }): Promise<string[]> {
  installNodeCrypto();
  const lines: string[] = [];
  const report = (line: string) => { lines.push(line); console.log(line); };
  report(`engine benchmarks (in-memory ${options.mib} MiB per cipher; connect + auth + exec against sshd)`);
  for (const cipher of ['aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com', 'aes128-ctr']) {
    let ours = 0;
    let theirs = 0;
    for (let i = 0; i < 2; i++) {
      ours = Math.max(ours, engineInMemory(cipher, options.mib * MiB));
      theirs = Math.max(theirs, await ssh2InMemory(cipher, options.mib * MiB));
    }
    const ratio = ours / theirs;
    report(`  in-memory ${cipher}: engine ${(ours / MiB).toFixed(1)} MiB/s vs ssh2 ${(theirs / MiB).toFixed(1)} MiB/s = ${ratio.toFixed(2)}x (target >= 1.5) ${ratio >= 1.5 ? 'PASS' : 'FAIL'}`);
  }
  const clientKey = generateKey(CACHE, 'ed25519', `bench-client-${process.pid}-${Date.now()}`);
  const sshd = await startSshd({ authorizedKeys: [clientKey.publicKey] });
  try {
    const key = parseOpenSshPrivateKey(readFileSync(clientKey.file, 'utf8')).key;
    const engineOnce = async () => {
      const start = process.hrtime.bigint();
      const r = await execSession({ host: '127.0.0.1', port: sshd.port, user: sshd.user, command: 'true', privateKey: key });
      if (r.exitStatus !== 0) throw new Error(`engine exec failed: ${r.error ?? r.exitStatus}`);
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    const sshOnce = () => {
      const start = process.hrtime.bigint();
      const r = spawnSync('ssh', ['-F', 'none', '-i', clientKey.file, '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
        '-o', 'BatchMode=yes', '-p', String(sshd.port), `${sshd.user}@127.0.0.1`, 'true']);
      if (r.status !== 0) throw new Error(`ssh failed: ${r.stderr}`);
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    await engineOnce(); // warm-up: module loading and JIT are not what is measured
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < 7; i++) {
      ours.push(await engineOnce());
      theirs.push(sshOnce());
    }
    const ratio = median(ours) / median(theirs);
    report(`  connect + auth + exec: engine ${(median(ours) * 1000).toFixed(0)} ms vs OpenSSH ssh ${(median(theirs) * 1000).toFixed(0)} ms (medians of 7) = ${ratio.toFixed(2)}x its time (target <= 1.3) ${ratio <= 1.3 ? 'PASS' : 'FAIL'}`);
  } finally {
    await sshd.stop();
  }
  return lines;
}
