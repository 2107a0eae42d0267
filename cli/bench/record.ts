/**
 * Records the benchmark captures against a private OpenSSH sshd (cli/dev/sshd.ts) with the instrumented ssh2 client
 * (cli/dev/record-ssh2.ts): bulk downloads with a chosen cipher and MAC, and many short sessions in one capture.
 * Captures are cached under node_modules/.cache/sshlens-bench, keyed by their parameters.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey, startSshd, type PrivateSshd } from '../dev/sshd.ts';
import { writeFileSync } from 'node:fs';
import { keyLogText, runSsh2Session, startTcpdump, takeKeyLog } from '../dev/record-ssh2.ts';

export const CACHE = join(process.cwd(), 'node_modules/.cache/sshlens-bench');

export interface Recorded {
  pcap: string;
  keylog: string;
  /** Wireshark 4.0's `<cookie> <private key>` form, for tshark. */
  oldKeylog: string;
  /** The sshd's TCP port in the capture (tshark needs it to decode SSH on that port). */
  port: number;
}

async function withSshd<T>(hostKey: 'ed25519' | 'rsa', body: (sshd: PrivateSshd, key: { file: string }) => Promise<T>): Promise<T> {
  mkdirSync(CACHE, { recursive: true });
  const client = existsSync(join(CACHE, `client_${hostKey}`)) ? { file: join(CACHE, `client_${hostKey}`), publicKey: readFileSync(join(CACHE, `client_${hostKey}.pub`), 'utf8').trim() } : generateKey(CACHE, hostKey, `client_${hostKey}`);
  const sshd = await startSshd({ hostKeys: [hostKey], authorizedKeys: [client.publicKey], config: { MaxStartups: '1000', MaxSessions: '100' } });
  try {
    return await body(sshd, client);
  } finally {
    await sshd.stop();
  }
}

function paths(name: string): Recorded {
  const port = join(CACHE, `${name}.port`);
  return {
    pcap: join(CACHE, `${name}.pcap`), keylog: join(CACHE, `${name}.keylog`), oldKeylog: join(CACHE, `${name}.old.keylog`),
    port: existsSync(port) ? Number(readFileSync(port, 'utf8')) : 0,
  };
}

/** A session that downloads `mib` MiB of random bytes through one channel, with one cipher (and MAC). */
export async function recordBulk(cipher: string, mac: string | null, mib: number): Promise<Recorded> {
  const name = `bulk-${cipher}-${mac ?? 'aead'}-${mib}`;
  const out = paths(name);
  if (existsSync(out.pcap)) return out;
  await withSshd('ed25519', async (sshd, key) => {
    out.port = sshd.port;
    const capture = await startTcpdump(sshd.port, `${out.pcap}.tmp`);
    await runSsh2Session(
      { host: '127.0.0.1', port: sshd.port, username: sshd.user, privateKey: readFileSync(key.file),
        algorithms: { kex: ['curve25519-sha256'], cipher: [cipher], ...(mac ? { hmac: [mac] } : {}) } as never },
      { commands: [`head -c ${mib * 1048576} /dev/urandom`] },
    );
    await capture.stop();
  });
  writeKeyLogs(out);
  renameSync(`${out.pcap}.tmp`, out.pcap);
  return out;
}

/** `count` short sessions in one capture: curve25519, aes128-ctr + hmac-sha2-256, RSA keys, one exec each. */
export async function recordMany(count: number): Promise<Recorded> {
  const name = `many-${count}`;
  const out = paths(name);
  if (existsSync(out.pcap)) return out;
  await withSshd('rsa', async (sshd, key) => {
    out.port = sshd.port;
    const capture = await startTcpdump(sshd.port, `${out.pcap}.tmp`);
    const privateKey = readFileSync(key.file);
    for (let i = 0; i < count; i++) {
      await runSsh2Session(
        { host: '127.0.0.1', port: sshd.port, username: sshd.user, privateKey,
          algorithms: { kex: ['curve25519-sha256'], cipher: ['aes128-ctr'], hmac: ['hmac-sha2-256'], serverHostKey: ['rsa-sha2-256'] } as never },
        { commands: [`echo session ${i}`] },
      );
    }
    await capture.stop();
  });
  writeKeyLogs(out);
  renameSync(`${out.pcap}.tmp`, out.pcap);
  return out;
}

function writeKeyLogs(out: Recorded): void {
  const entries = takeKeyLog();
  writeFileSync(out.keylog, keyLogText(entries));
  writeFileSync(out.oldKeylog, keyLogText(entries, 'old'));
  writeFileSync(out.pcap.replace(/\.pcap$/, '.port'), String(out.port));
}
