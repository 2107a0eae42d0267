/**
 * The lesson/UI table of a layout: rows in wire order with the RFC's type names and the condition of each case,
 * checked against the field lists printed in RFC 4253 §7.1 (KEXINIT) and RFC 4252 §8 (password request).
 */
import { describe, expect, it } from 'vitest';
import { lookupMessage, messageCatalog } from './catalog.ts';
import { describeLayout } from './describe.ts';

describe('describeLayout', () => {
  it('KEXINIT reads like RFC 4253 §7.1', () => {
    const rows = describeLayout(lookupMessage(20)!.layout);
    expect(rows.map((r) => `${r.type} ${r.path}`)).toEqual([
      'byte[16] cookie',
      'name-list kex_algorithms',
      'name-list server_host_key_algorithms',
      'name-list encryption_algorithms_client_to_server',
      'name-list encryption_algorithms_server_to_client',
      'name-list mac_algorithms_client_to_server',
      'name-list mac_algorithms_server_to_client',
      'name-list compression_algorithms_client_to_server',
      'name-list compression_algorithms_server_to_client',
      'name-list languages_client_to_server',
      'name-list languages_server_to_client',
      'boolean first_kex_packet_follows',
      'uint32 reserved',
    ]);
    expect(rows.every((r) => r.rfc === 'RFC 4253 §7.1')).toBe(true);
  });

  it('the password method of USERAUTH_REQUEST reads like RFC 4252 §8, with its conditions', () => {
    const rows = describeLayout(lookupMessage(50)!.layout).filter((r) => !r.when || r.when.startsWith('method = "password"'));
    expect(rows.map((r) => [r.type, r.path, r.when ?? ''])).toEqual([
      ['string (UTF-8)', 'user', ''],
      ['string (UTF-8)', 'service', ''],
      ['string (UTF-8)', 'method', ''],
      ['boolean', 'changing', 'method = "password"'],
      ['string (UTF-8)', 'password', 'method = "password"'],
      ['string (UTF-8)', 'new_password', 'method = "password", changing = true'],
    ]);
  });

  it('every catalog entry gives rows with a doc, nested blobs indented', () => {
    for (const entry of messageCatalog) {
      for (const row of describeLayout(entry.layout)) expect(row.doc.length, `${entry.name} ${row.path}`).toBeGreaterThan(8);
    }
    const reply = describeLayout(lookupMessage(31, { kex: 'curve25519-sha256' })!.layout);
    expect(reply.find((r) => r.path === 'host_key.e')).toMatchObject({ type: 'mpint', depth: 1, when: 'type = "ssh-rsa"' });
    expect(reply.find((r) => r.path === 'signature.signature.r' && r.when === 'format = "ecdsa-sha2-nistp256"')).toMatchObject({ type: 'mpint', depth: 2 });
    expect(reply.find((r) => r.path === 'signature.signature.r' && r.when === 'format = "ssh-dss"')).toMatchObject({ type: 'byte[20]', depth: 2 });
  });
});
