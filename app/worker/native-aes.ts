/**
 * The browser's native AES (WebCrypto) as the decoder's fast path, issue 3. WebCrypto is asynchronous and the
 * decoder is synchronous, so the provider (engine/crypto/webcrypto-aes.ts) serves keystream computed ahead of time:
 * the cipher states record what they use while a chunk is decoded, and the worker awaits {@link fillBrowserAes}
 * between chunks. Where no keystream is ready the portable noble path is used; both give identical bytes.
 * aesN-ctr and aesN-gcm@openssh.com take the fast path; CBC, 3des and chacha20-poly1305 stay on noble.
 */
import { setAesProvider } from '../../engine/crypto/aes-provider.ts';
import { WebCryptoAesProvider, webCryptoMatchesNoble, type WebCryptoAesStats } from '../../engine/crypto/webcrypto-aes.ts';

let installed: WebCryptoAesProvider | null = null;

/**
 * Installs the WebCrypto AES provider when the platform has one (a secure context: https or localhost) and it
 * gives the same bytes as noble on a quick check; returns its name, or null (noble stays). Safe to call again.
 */
export async function installBrowserAes(): Promise<string | null> {
  if (!installed) {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle || !(await webCryptoMatchesNoble(subtle))) return null;
    installed = new WebCryptoAesProvider(subtle);
  }
  setAesProvider(installed);
  return installed.name;
}

/** Computes the keystream the decoder will need next, for the cipher states used in the last chunk; await it. */
export async function fillBrowserAes(): Promise<void> {
  await installed?.fill();
}

/** What the fast path did so far (bytes served from WebCrypto keystream vs run on noble), or null if not installed. */
export function browserAesStats(): Readonly<WebCryptoAesStats> | null {
  return installed ? { ...installed.stats } : null;
}
