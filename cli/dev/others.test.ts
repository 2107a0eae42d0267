/**
 * The decoder against SSH as other implementations speak it: sessions recorded live on loopback between Dropbear,
 * PuTTY's plink, TinySSH's tinysshd, paramiko, AsyncSSH, Twisted Conch, libssh, libssh2, Erlang/OTP's ssh, Go's
 * x/crypto/ssh, OpenSSH's sshd and the engine (cli/dev/record-others.ts), each with a key log from the side we
 * control, decoded by engine/decoder `decodeCapture`. Each must decode completely: every packet decrypted and its MAC
 * or tag verified, every message known and decoded, the host key signature over H verified, the algorithms of every
 * key exchange those the controlled side used, and each exec's output and exit status found in the channel data.
 *
 * `npm test` runs a slice (one session of each pair); SSHLENS_OTHERS=full runs every scenario
 * (`npm run test:others`). The recordings in traces/others/ (made by the same recorder) are replayed offline too,
 * with no root or packages needed; those marked pending name what the decoder still lacks. Needs root for tcpdump
 * and the private mount namespaces of Dropbear and tinysshd; the Debian packages are
 * installed by cli/dev/ensure-system-packages.sh others (npm's pretest).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDecoded, decodeRecorded, SCENARIOS, type Expected } from './record-others.ts';

const full = process.env.SSHLENS_OTHERS === 'full';
const ready = (() => {
  try {
    execFileSync('bash', [join(process.cwd(), 'cli/dev/ensure-system-packages.sh'), 'others', 'openssh'], { stdio: 'pipe' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();
if (!ready) console.warn('\n*** other SSH implementations or root missing: cli/dev/others.test.ts SKIPPED (run cli/dev/ensure-system-packages.sh others as root) ***\n');

const work = mkdtempSync(join(tmpdir(), 'sshlens-others-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!ready)('sessions between other SSH implementations decode completely', () => {
  for (const scenario of SCENARIOS.filter((s) => !s.pending && (full || s.fast))) {
    it(scenario.name + ': ' + scenario.about, async () => {
      const recorded = await scenario.run(work);
      const trace = decodeRecorded(scenario.name, recorded);
      expect(checkDecoded(trace, recorded.expected)).toEqual([]);
      // Not vacuous: the session has encrypted packets, and the controlled side saw at least one key exchange.
      const packets = trace.sessions[0].packets;
      expect(packets.filter((p) => p.epoch > 0).length).toBeGreaterThan(8);
      expect(recorded.expected.kex.length).toBeGreaterThan(0);
      expect(recorded.expected.outputs.length).toBeGreaterThan(0);
    }, 150_000);
  }
});

const GOLDENS = join(process.cwd(), 'traces', 'others');
const goldens = existsSync(GOLDENS) ? readdirSync(GOLDENS).filter((f) => f.endsWith('.expected.json')).map((f) => f.replace(/\.expected\.json$/, '')).sort() : [];

describe('recordings of other SSH implementations replayed offline (traces/others/)', () => {
  it('has recordings of each implementation', () => {
    for (const who of ['plink', 'dbclient', 'libssh', 'asyncssh', 'paramiko', 'engine-tinysshd', 'conch', 'plink-conch', 'libssh2', 'erlang', 'engine-erlang', 'go-', 'engine-go']) expect(goldens.some((g) => g.startsWith(who))).toBe(true);
  });
  for (const name of goldens) {
    const expected = JSON.parse(readFileSync(join(GOLDENS, `${name}.expected.json`), 'utf8')) as Expected & { about: string; pending?: string };
    if (expected.pending) {
      it.todo(`${name}: ${expected.about} - pending: ${expected.pending}`);
      continue;
    }
    it(`${name}: ${expected.about}`, () => {
      const recorded = { pcap: new Uint8Array(readFileSync(join(GOLDENS, `${name}.pcap`))), keyLog: readFileSync(join(GOLDENS, `${name}.keylog`), 'utf8'), expected, note: '' };
      expect(checkDecoded(decodeRecorded(name, recorded), expected)).toEqual([]);
    });
  }
});
