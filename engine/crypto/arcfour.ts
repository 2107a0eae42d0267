/**
 * @module crypto/arcfour
 * RC4 ("arcfour") as SSH uses it: `arcfour` with a 128-bit key (RFC 4253 §6.3), and `arcfour128` / `arcfour256`
 * (RFC 4345 §4), which discard the first 1536 bytes of keystream because RC4's early output is biased. A stream
 * cipher: no IV, the state runs on across packets of one direction and key epoch. Broken and long deprecated
 * (RFC 8758); here only so that old captures decode.
 */
export class Arcfour {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  /** The key-scheduling algorithm, then `discard` keystream bytes thrown away (1536 for RFC 4345). */
  constructor(key: Uint8Array, discard = 0) {
    const s = this.s;
    for (let i = 0; i < 256; i++) s[i] = i;
    for (let i = 0, j = 0; i < 256; i++) {
      j = (j + s[i] + key[i % key.length]) & 0xff;
      const t = s[i]; s[i] = s[j]; s[j] = t;
    }
    if (discard > 0) {
      const skip = new Uint8Array(discard);
      this.update(skip, skip);
    }
  }

  /** XORs the next `input.length` keystream bytes into `output` (may be the same array). */
  update(input: Uint8Array, output: Uint8Array): void {
    const s = this.s;
    let { i, j } = this;
    for (let k = 0; k < input.length; k++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]) & 0xff;
      const t = s[i]; s[i] = s[j]; s[j] = t;
      output[k] = input[k] ^ s[(s[i] + s[j]) & 0xff];
    }
    this.i = i;
    this.j = j;
  }
}
