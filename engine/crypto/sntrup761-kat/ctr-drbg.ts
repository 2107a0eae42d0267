/**
 * @module sntrup761-kat/ctr-drbg
 * TEST ONLY. The AES-256 CTR_DRBG of NIST SP 800-90A (no derivation function, no reseeding) exactly as the NIST
 * PQC known-answer-test harness uses it (its rng.c: randombytes_init / randombytes), so that the KAT seeds of any
 * NIST PQC submission reproduce. Each call to randomBytes(n) produces ceil(n/16) counter blocks, keeps the first
 * n bytes and then runs Update with no additional input, so the *pattern* of calls changes the stream.
 */
import { ecb } from '@noble/ciphers/aes.js';

const SEED_BYTES = 48;

export class NistKatDrbg {
  private key = new Uint8Array(32);
  private v = new Uint8Array(16);

  /** randombytes_init(entropy_input, NULL, 256): 48 bytes of entropy, no personalization string. */
  constructor(entropy: Uint8Array) {
    if (entropy.length !== SEED_BYTES) throw new Error(`CTR_DRBG entropy must be ${SEED_BYTES} bytes`);
    this.update(entropy);
  }

  /** V is a 128-bit big-endian counter. */
  private incrementV(): void {
    for (let j = 15; j >= 0; j--) {
      this.v[j] = (this.v[j] + 1) & 0xff;
      if (this.v[j] !== 0) break;
    }
  }

  private encryptV(): Uint8Array {
    return ecb(this.key, { disablePadding: true }).encrypt(this.v);
  }

  /** CTR_DRBG_Update: three counter blocks, XOR the provided data, split into the new Key and V. */
  private update(provided?: Uint8Array): void {
    const temp = new Uint8Array(SEED_BYTES);
    for (let i = 0; i < 3; i++) {
      this.incrementV();
      temp.set(this.encryptV(), 16 * i);
    }
    if (provided) for (let i = 0; i < SEED_BYTES; i++) temp[i] ^= provided[i];
    this.key = temp.slice(0, 32);
    this.v = temp.slice(32, 48);
  }

  /** randombytes(x, n). */
  randomBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let offset = 0; offset < n; offset += 16) {
      this.incrementV();
      const block = this.encryptV();
      out.set(block.subarray(0, Math.min(16, n - offset)), offset);
    }
    this.update();
    return out;
  }
}
