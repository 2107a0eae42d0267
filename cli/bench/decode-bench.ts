/**
 * `npm run bench` (decoder part), issue 4's speed targets, measured side by side in one run:
 * - bulk: decoding a large recorded download vs decrypting and verifying the capture's own packets (same sizes, bytes
 *   and keys) with node:crypto (AES) or raw noble (chacha20-poly1305); targets 50% and 70% of the peer's rate;
 * - many sessions: `sshlens decode` vs `tshark -V` on a capture of a few hundred short sessions that tshark decrypts
 *   fully; target twice as fast, start-up time of each subtracted (measured on a one-session capture);
 * - memory: peak RSS while decoding, which must not grow with the capture.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CaptureDecoder } from '../../engine/decoder/capture-decoder.ts';
import { KeyStore } from '../../engine/decoder/key-store.ts';
import { installNodeCrypto } from '../node-crypto.ts';
import { gatherPackets, nobleChachaSeconds, nodeCtrHmacSeconds, nodeGcmSeconds, type PeerPackets } from './peers.ts';
import { CACHE, recordBulk, recordMany, type Recorded } from './record.ts';

const MiB = 1048576;

export interface DecodeRun {
  seconds: number;
  fileBytes: number;
  peakRss: number;
  packets: number;
  problems: number;
}

/** Decodes a capture in this process with nothing kept (streaming), as `sshlens decode` does for text output. */
export function decodeInProcess(pcap: string, keylog: string): DecodeRun {
  const keys = new KeyStore();
  keys.addFile(readFileSync(keylog, 'utf8'), keylog);
  let packets = 0;
  let peakRss = process.memoryUsage.rss();
  const decoder = new CaptureDecoder(keys, { kind: 'capture', name: pcap }, { packet: () => void packets++ }, {
    keepPackets: false, keepBytes: false, keepChannelData: false,
    // Reading RSS costs about a millisecond: sample every 16 MiB.
    progress: (bytes) => { if ((bytes & 0xffffff) < MiB) peakRss = Math.max(peakRss, process.memoryUsage.rss()); },
  });
  const fd = openSync(pcap, 'r');
  const start = process.hrtime.bigint();
  for (;;) {
    const chunk = new Uint8Array(Buffer.allocUnsafeSlow(MiB).buffer, 0, MiB); // as cli/decode.ts reads
    const n = readSync(fd, chunk, 0, MiB, null);
    if (n === 0) break;
    decoder.push(n === MiB ? chunk : chunk.subarray(0, n));
  }
  const trace = decoder.finish();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  closeSync(fd);
  const problems = trace.problems.length;
  return { seconds, fileBytes: statSync(pcap).size, peakRss, packets, problems };
}

function wallTime(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 3) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const fmt = (bytesPerSecond: number) => `${(bytesPerSecond / MiB).toFixed(1)} MiB/s`;

export async function benchDecode(options: { mib: number; sessions: number }): Promise<string[]> {
  installNodeCrypto();
  const lines: string[] = [];
  const report = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  report(`decoder benchmarks (bulk ${options.mib} MiB per cipher, ${options.sessions} short sessions)`);
  const bulk: [string, string | null, (packets: PeerPackets) => number, string, number][] = [
    ['chacha20-poly1305@openssh.com', null, nobleChachaSeconds, 'raw noble chacha20-poly1305', 0.7],
    ['aes128-gcm@openssh.com', null, nodeGcmSeconds, 'node:crypto aes-128-gcm', 0.5],
    ['aes128-ctr', 'hmac-sha2-256', nodeCtrHmacSeconds, 'node:crypto aes-128-ctr + hmac-sha256', 0.5],
  ];
  // Memory first: one run per capture before any peer's packets are loaded (they would show in the RSS).
  const firstRuns: DecodeRun[] = [];
  for (const [cipher, mac] of bulk) {
    const recorded = await recordBulk(cipher, mac, options.mib);
    firstRuns.push(decodeInProcess(recorded.pcap, recorded.keylog));
  }
  for (const [i, [cipher, mac, peer, peerName, target]] of bulk.entries()) {
    const recorded = await recordBulk(cipher, mac, options.mib);
    const first = firstRuns[i];
    const packets = gatherPackets(recorded.pcap, recorded.keylog);
    // Alternate the two, best of three each: this machine is shared and noisy. Both rates are over the bytes of the
    // capture's encrypted packets (the peer processes exactly those; sshlens reads the whole file around them).
    let ours = first.seconds;
    let theirs = peer(packets);
    for (let round = 1; round < 3; round++) {
      ours = Math.min(ours, decodeInProcess(recorded.pcap, recorded.keylog).seconds);
      theirs = Math.min(theirs, peer(packets));
    }
    const ratio = theirs / ours;
    report(`  bulk ${cipher}${mac ? ` + ${mac}` : ''}: sshlens ${fmt(packets.bytes / ours)} vs ${peerName} ${fmt(packets.bytes / theirs)} = ${ratio.toFixed(2)} (target >= ${target}) ${ratio >= target ? 'PASS' : 'FAIL'}; ${first.packets} packets, ${first.problems} problems, peak RSS ${(first.peakRss / MiB).toFixed(0)} MiB for a ${(first.fileBytes / MiB).toFixed(0)} MiB capture`);
  }
  if (!existsSync('/usr/bin/tshark')) {
    report('  many sessions: SKIPPED, tshark is not installed (apt-get install tshark)');
    return lines;
  }
  const many = await recordMany(options.sessions);
  const one = await recordMany(1);
  const cli = ['cli/bin.js', 'decode'];
  const tsharkArgs = (r: Recorded) => ['-r', r.pcap, '-d', `tcp.port==${r.port},ssh`, '-o', `ssh.keylog_file:${r.oldKeylog}`, '-V'];
  const best = (f: () => number) => Math.min(f(), f(), f());
  const oursMany = best(() => wallTime(process.execPath, [...cli, many.pcap, '--keylog', many.keylog, '-v'])) - best(() => wallTime(process.execPath, [...cli, one.pcap, '--keylog', one.keylog, '-v']));
  const theirsMany = best(() => wallTime('tshark', tsharkArgs(many))) - best(() => wallTime('tshark', tsharkArgs(one)));
  const speedup = theirsMany / oursMany;
  report(`  many sessions (${options.sessions}): sshlens decode -v ${oursMany.toFixed(2)} s vs tshark -V ${theirsMany.toFixed(2)} s (start-up subtracted) = ${speedup.toFixed(2)}x faster (target >= 2) ${speedup >= 2 ? 'PASS' : 'FAIL'}`);
  writeFileSync(join(CACHE, 'last-decode-bench.txt'), lines.join('\n') + '\n');
  return lines;
}
