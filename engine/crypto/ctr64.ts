/**
 * @module crypto/ctr64
 * RFC 4344 §4 counter mode for a 64-bit block cipher (3des-ctr): the IV is a 64-bit big-endian counter, encrypted
 * to make each keystream block and incremented by one per block (wrapping at 2^64), running on across packets.
 */
export class Ctr64 {
  private readonly counter: Uint32Array;
  private readonly block = new Uint32Array(2);
  constructor(private readonly encryptBlock: (block: Uint32Array) => void, iv: Uint8Array) {
    this.counter = Uint32Array.of(word(iv, 0), word(iv, 4));
  }
  /** XORs the keystream into whole 8-byte blocks of `input`, written to `output` (may be the same array). */
  update(input: Uint8Array, output: Uint8Array): void {
    const { block, counter } = this;
    for (let at = 0; at + 8 <= input.length; at += 8) {
      block[0] = counter[0]; block[1] = counter[1];
      this.encryptBlock(block);
      put(output, at, word(input, at) ^ block[0]);
      put(output, at + 4, word(input, at + 4) ^ block[1]);
      counter[1] = (counter[1] + 1) >>> 0;
      if (counter[1] === 0) counter[0] = (counter[0] + 1) >>> 0;
    }
  }
}

const word = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
function put(b: Uint8Array, at: number, w: number): void {
  b[at] = w >>> 24; b[at + 1] = w >>> 16; b[at + 2] = w >>> 8; b[at + 3] = w;
}
