/**
 * Hostile input never escapes as anything but the project's typed errors (fast-check properties): host key blobs and
 * signatures (reported, never thrown), OpenSSH key files (HostKeyError), key-log secrets and public values
 * (KexError), negotiation of arbitrary lists (never throws).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSshlensError } from '../errors.ts';
import { describeHostKey, verifyHostKeySignature } from '../crypto/hostkey.ts';
import { parseOpenSshPrivateKey } from '../crypto/hostkey-file.ts';
import { WireWriter, toHex } from '../wire/index.ts';
import { clientKexInit, serverKexReply } from './kex.ts';
import { sharedSecretFromKeyLog } from './key-log-secret.ts';
import { KEX_METHODS } from './methods.ts';
import { negotiate, type KexInitProposal } from './negotiate.ts';
import { seededRandomBytes } from './test-rng.ts';

function onlyTypedErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!isSshlensError(e)) throw e;
  }
}

const keyTypes = ['ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp521', 'ssh-ed25519-cert-v01@openssh.com', 'rsa-sha2-256', 'x'];
/** Blobs that start with a plausible type name, so the parsers get past the first field. */
const blob = fc.tuple(fc.constantFrom(...keyTypes), fc.uint8Array({ maxLength: 200 }))
  .map(([type, rest]) => new WireWriter().text(type).raw(rest).finish());

describe('hostile input', () => {
  it('host key blobs and signatures are reported, never thrown', () => {
    fc.assert(fc.property(blob, blob, fc.constantFrom(...keyTypes), (key, sig, algorithm) => {
      const result = verifyHostKeySignature({ algorithm, hostKeyBlob: key, signatureBlob: sig, H: new Uint8Array(32) });
      expect(result.verified).toBe(false);
      describeHostKey(key);
    }), { numRuns: 400 });
  });

  it('OpenSSH key files fail with HostKeyError only', () => {
    const magic = new TextEncoder().encode('openssh-key-v1\0');
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.constantFrom('none', 'aes256-ctr', 'aes256-gcm@openssh.com', 'x'), fc.constantFrom('none', 'bcrypt'), fc.uint8Array({ maxLength: 40 }), fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 200 }))
        .map(([cipher, kdf, options, count, rest]) => new Uint8Array([...magic, ...new WireWriter().text(cipher).text(kdf).string(options).uint32(count).raw(rest).finish()])),
    );
    fc.assert(fc.property(body, fc.option(fc.string({ maxLength: 8 })), (bytes, passphrase) => {
      const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from(bytes).toString('base64')}\n-----END OPENSSH PRIVATE KEY-----\n`;
      onlyTypedErrors(() => parseOpenSshPrivateKey(text, passphrase ?? undefined));
    }), { numRuns: 400 });
  });

  it('key-log secrets and public values fail with KexError only', () => {
    // Group exchange needs a GROUP message first; the 6144- and 8192-bit groups are slow.
    const fast = KEX_METHODS.filter((m) => m.family !== 'dh-gex' && m.family !== 'rsa' && m.group !== 'group17' && m.group !== 'group18');
    const exchanges = fast.map((m) => {
      const rng = seededRandomBytes(`robust ${m.name}`);
      const c = clientKexInit(m.name, rng);
      return { method: m.name, clientPublic: c.clientPublic, serverPublic: serverKexReply(m.name, c.clientPublic, rng).serverPublic };
    });
    fc.assert(fc.property(
      fc.constantFrom(...exchanges), fc.constantFrom('PRIVATE_KEY' as const, 'SHARED_SECRET' as const), fc.oneof(fc.string({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }).map(toHex)), fc.constantFrom('client' as const, 'server' as const),
      (exchange, kind, secret, cookieSide) => {
        onlyTypedErrors(() => sharedSecretFromKeyLog({ ...exchange, kind, secret, cookieSide }));
      },
    ), { numRuns: 300 });
    fc.assert(fc.property(fc.constantFrom(...fast.map((m) => m.name)), fc.oneof(fc.uint8Array({ maxLength: 1300 }), fc.bigInt({ min: -5n, max: 1n << 1100n })), (method, value) => {
      onlyTypedErrors(() => serverKexReply(method, value, seededRandomBytes('x')));
    }), { numRuns: 300 });
  });

  it('negotiation of arbitrary lists never throws', () => {
    const names = fc.array(fc.constantFrom('a', 'b', 'curve25519-sha256', 'ext-info-c', 'kex-strict-s-v00@openssh.com', 'aes128-gcm@openssh.com', 'hmac-sha1', 'none'), { maxLength: 5 });
    const proposal = fc.record({
      kex_algorithms: names, server_host_key_algorithms: names,
      encryption_algorithms_client_to_server: names, encryption_algorithms_server_to_client: names,
      mac_algorithms_client_to_server: names, mac_algorithms_server_to_client: names,
      compression_algorithms_client_to_server: names, compression_algorithms_server_to_client: names,
      languages_client_to_server: names, languages_server_to_client: names, first_kex_packet_follows: fc.boolean(),
    }) as fc.Arbitrary<KexInitProposal>;
    fc.assert(fc.property(proposal, proposal, (c, s) => {
      const n = negotiate(c, s);
      expect(n.slots).toHaveLength(8);
      for (const slot of n.slots) if (slot.winner) expect(c[slot.field] as string[]).toContain(slot.winner);
    }), { numRuns: 300 });
  });
});
