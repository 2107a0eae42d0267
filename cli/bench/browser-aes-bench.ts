/**
 * The browser's decode speed with and without the WebCrypto AES fast path (engine/crypto/webcrypto-aes.ts), measured
 * side by side in one Chromium (Debian's, through app/e2e/harness.ts and the Vite dev server): the first `mib` MiB
 * of the bulk aes128-ctr + hmac-sha2-256 and aes128-gcm@openssh.com captures decoded in 1 MiB chunks as the decode
 * worker pushes them, and the ciphers alone in 32 KiB packets. Traces must be identical; best of three each.
 * Run alone: `npx tsx cli/bench/browser-aes-bench.ts [--mib N]`.
 */
import { pathToFileURL } from 'node:url';
import { startApp } from '../../app/e2e/harness.ts';
import type { PageDecode } from '../../app/e2e/webcrypto-aes.page.ts';
import { recordBulk } from './record.ts';

const rate = (mib: number, millis: number) => `${(mib / (millis / 1000)).toFixed(1)} MiB/s`;

export async function benchBrowserAes(options: { mib: number }): Promise<string[]> {
  const lines: string[] = [];
  const report = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  const captures = [await recordBulk('aes128-ctr', 'hmac-sha2-256', 32), await recordBulk('aes128-gcm@openssh.com', null, 32)];
  const app = await startApp();
  try {
    const page = await app.newPage();
    await page.goto(`${app.url}#start`);
    const load = (expression: string) => page.evaluate(`import('/e2e/webcrypto-aes.page.ts').then((m) => ${expression})`);
    report(`browser AES (Chromium, first ${options.mib} MiB of a bulk download, 1 MiB chunks, best of 4): noble vs WebCrypto fast path`);
    for (const [i, cipher] of ['aes128-ctr + hmac-sha2-256', 'aes128-gcm@openssh.com'].entries()) {
      const url = (file: string) => JSON.stringify(`/@fs${encodeURI(file)}`);
      const r = await load(`m.compareDecodes(${url(captures[i].pcap)}, ${url(captures[i].keylog)}, { chunk: 1048576, rounds: 3, limitBytes: ${options.mib * 1048576} })`) as PageDecode;
      const mib = r.captureBytes / 1048576;
      const served = r.stats ? r.stats.servedBytes / Math.max(1, r.stats.servedBytes + r.stats.fallbackBytes) : 0;
      report(`  decode ${cipher}: noble ${rate(mib, r.nobleMillis)}, WebCrypto ${rate(mib, r.webCryptoMillis)} = ${(r.nobleMillis / r.webCryptoMillis).toFixed(2)}x`
        + ` (${(r.fillMillis / r.webCryptoMillis * 100).toFixed(0)}% of it awaiting fills);`
        + ` ${(served * 100).toFixed(0)}% of AES bytes served from WebCrypto; ${r.packets} packets; traces ${r.identical ? 'identical' : 'DIFFER'}`);
      if (!r.identical || r.provider !== 'webcrypto') throw new Error(`browser AES: ${cipher} decoded differently or WebCrypto was refused`);
    }
    const c = await load(`m.cipherRates(${options.mib})`) as Record<string, number>;
    report(`  cipher alone, 32 KiB packets: aes-128-ctr noble ${c.nobleCtr.toFixed(1)} vs WebCrypto ${c.webCryptoCtr.toFixed(1)} MiB/s = ${(c.webCryptoCtr / c.nobleCtr).toFixed(2)}x;`
      + ` (bare WebCrypto AES-CTR ${c.rawWebCryptoCtr.toFixed(1)} MiB/s); aes-128-gcm noble ${c.nobleGcm.toFixed(1)} vs WebCrypto + noble GHASH ${c.webCryptoGcm.toFixed(1)} MiB/s = ${(c.webCryptoGcm / c.nobleGcm).toFixed(2)}x`);
    await page.close();
  } finally {
    await app.close();
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--mib');
  await benchBrowserAes({ mib: at > 0 ? Number(process.argv[at + 1]) : 8 });
}
