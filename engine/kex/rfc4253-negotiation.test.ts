/**
 * RFC 4253 §7.1 algorithm negotiation, with the pseudo-algorithms of RFC 8308 §2.1 and OpenSSH's strict kex
 * markers (draft-miller-sshm-strict-kex). The client and server lists are OpenSSH 9.x defaults (myproposal.h) and
 * the ssh2 npm client's, as seen in the real captures in fixtures/openssh-ssh2.
 */
import { describe, expect, it } from 'vitest';
import { negotiate, type KexInitProposal } from './negotiate.ts';

const openssh92server: KexInitProposal = {
  kex_algorithms: ['sntrup761x25519-sha512@openssh.com', 'curve25519-sha256', 'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group-exchange-sha256',
    'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512', 'diffie-hellman-group14-sha256',
    'ext-info-s', 'kex-strict-s-v00@openssh.com'],
  server_host_key_algorithms: ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-ed25519'],
  encryption_algorithms_client_to_server: ['chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'],
  encryption_algorithms_server_to_client: ['chacha20-poly1305@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com'],
  mac_algorithms_client_to_server: ['umac-64-etm@openssh.com', 'umac-128-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha1-etm@openssh.com', 'umac-64@openssh.com', 'umac-128@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1'],
  mac_algorithms_server_to_client: ['umac-64-etm@openssh.com', 'umac-128-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha1-etm@openssh.com', 'umac-64@openssh.com', 'umac-128@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1'],
  compression_algorithms_client_to_server: ['none', 'zlib@openssh.com'],
  compression_algorithms_server_to_client: ['none', 'zlib@openssh.com'],
  languages_client_to_server: [],
  languages_server_to_client: [],
  first_kex_packet_follows: false,
};

const client = (overrides: Partial<KexInitProposal>): KexInitProposal => ({
  ...openssh92server,
  kex_algorithms: ['curve25519-sha256', 'ecdh-sha2-nistp256', 'ext-info-c', 'kex-strict-c-v00@openssh.com'],
  server_host_key_algorithms: ['ssh-ed25519', 'rsa-sha2-256'],
  encryption_algorithms_client_to_server: ['aes256-gcm@openssh.com', 'aes128-ctr'],
  encryption_algorithms_server_to_client: ['aes128-ctr', 'aes256-gcm@openssh.com'],
  mac_algorithms_client_to_server: ['hmac-sha2-256'],
  mac_algorithms_server_to_client: ['hmac-sha2-256'],
  compression_algorithms_client_to_server: ['none'],
  compression_algorithms_server_to_client: ['none'],
  ...overrides,
});

describe('RFC 4253 §7.1 negotiation', () => {
  it("takes the first client algorithm the server lists, and ignores the MAC beside an AEAD cipher", () => {
    const n = negotiate(client({}), openssh92server);
    expect(n.ok).toBe(true);
    expect(n.winners).toEqual({
      kex: 'curve25519-sha256', hostKey: 'ssh-ed25519',
      cipherClientToServer: 'aes256-gcm@openssh.com', cipherServerToClient: 'aes128-ctr',
      macClientToServer: null, macServerToClient: 'hmac-sha2-256',
      compressionClientToServer: 'none', compressionServerToClient: 'none',
    });
    const mac = n.slots.find((s) => s.slot === 'macClientToServer')!;
    expect(mac.ignored).toBe(true);
    expect(mac.reason).toBe('MAC ignored: aes256-gcm@openssh.com is an AEAD cipher');
    expect(n.slots.find((s) => s.slot === 'hostKey')!.reason).toBe("first in the client's list that the server also lists");
    expect(n.slots).toHaveLength(8);
  });

  it('a slot with nothing in common fails and names both lists', () => {
    const n = negotiate(client({ compression_algorithms_server_to_client: ['zlib'] }), openssh92server);
    expect(n.ok).toBe(false);
    const slot = n.slots.find((s) => s.slot === 'compressionServerToClient')!;
    expect(slot.winner).toBeNull();
    expect(slot.reason).toBe('no common algorithm: the client offers zlib; the server offers none,zlib@openssh.com');
  });

  it('pseudo-algorithms never win, even when both sides list them first', () => {
    const c = client({ kex_algorithms: ['ext-info-c', 'kex-strict-c-v00@openssh.com', 'diffie-hellman-group14-sha256'] });
    const s = { ...openssh92server, kex_algorithms: ['ext-info-c', 'kex-strict-c-v00@openssh.com', 'diffie-hellman-group14-sha256'] };
    expect(negotiate(c, s).winners.kex).toBe('diffie-hellman-group14-sha256');
    const none = negotiate(client({ kex_algorithms: ['ext-info-c'] }), { ...openssh92server, kex_algorithms: ['ext-info-c'] });
    expect(none.winners.kex).toBeNull();
    expect(none.slots[0].reason).toMatch(/^no common algorithm/);
  });

  it('the kex method needs a host key algorithm both sides support', () => {
    const n = negotiate(client({ server_host_key_algorithms: ['ecdsa-sha2-nistp256'] }), openssh92server);
    expect(n.winners.kex).toBeNull();
    expect(n.slots[0].reason).toMatch(/signature-capable host key algorithm that both sides list/);
    expect(n.winners.hostKey).toBeNull();
  });

  it('strict kex: on only when both first KEXINITs carry their marker; a rekey keeps what the first kex decided', () => {
    expect(negotiate(client({}), openssh92server).strictKex).toBe(true);
    const off = negotiate(client({ kex_algorithms: ['curve25519-sha256'] }), openssh92server);
    expect(off.strictKex).toBe(false);
    expect(off.strictKexReason).toBe('off: the client does not signal strict kex');
    const rekey = negotiate(client({}), openssh92server, { strictKexFromFirstKex: false });
    expect(rekey.strictKex).toBe(false);
    expect(rekey.strictKexReason).toMatch(/markers in later KEXINITs mean nothing/);
  });

  it('ext-info support per side (RFC 8308 §2.1)', () => {
    expect(negotiate(client({}), openssh92server).extInfo).toEqual({ client: true, server: true });
    expect(negotiate(client({ kex_algorithms: ['curve25519-sha256'] }), { ...openssh92server, kex_algorithms: ['curve25519-sha256'] }).extInfo)
      .toEqual({ client: false, server: false });
  });

  it('first_kex_packet_follows: right only when both prefer the same kex and host key algorithms (RFC 4253 §7)', () => {
    const guessing = client({ first_kex_packet_follows: true });
    const wrong = negotiate(guessing, openssh92server);
    expect(wrong.guess.client).toMatchObject({ sent: true, right: false });
    expect(wrong.guess.client.reason).toMatch(/preferred kex methods differ \(curve25519-sha256 vs sntrup761x25519-sha512@openssh.com\)/);
    expect(wrong.guess.server.sent).toBe(false);
    const server = { ...openssh92server, kex_algorithms: ['curve25519-sha256', 'ext-info-s'], server_host_key_algorithms: ['ssh-ed25519'] };
    expect(negotiate(guessing, server).guess.client).toMatchObject({ sent: true, right: true });
    const hostKeyDiffers = { ...server, server_host_key_algorithms: ['rsa-sha2-256', 'ssh-ed25519'] };
    expect(negotiate(guessing, hostKeyDiffers).guess.client.reason).toMatch(/host key algorithms differ/);
  });

  // The kex lists of Debian's Dropbear 2022.83 dbclient and dropbear, as recorded by cli/dev/record-others.ts.
  const dropbearKex = ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp521', 'ecdh-sha2-nistp384',
    'ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256', 'diffie-hellman-group14-sha1', 'kexguess2@matt.ucc.asn.au'];

  it("kexguess2@matt.ucc.asn.au on both sides: the guess is right when the client's first choices win (Dropbear)", () => {
    const dbclient = client({ kex_algorithms: [...dropbearKex, 'ext-info-c', 'kex-strict-c-v00@openssh.com'], server_host_key_algorithms: ['ssh-ed25519', 'rsa-sha2-256'], first_kex_packet_follows: true });
    // A server that prefers another method but lists the client's first: wrong by RFC 4253 §7, right by kexguess2.
    const server = { ...openssh92server, kex_algorithms: ['ecdh-sha2-nistp256', ...dropbearKex, 'kex-strict-s-v00@openssh.com'], server_host_key_algorithms: ['rsa-sha2-256', 'ssh-ed25519'] };
    const both = negotiate(dbclient, server);
    expect(both.winners.kex).toBe('curve25519-sha256');
    expect(both.guess.client).toMatchObject({ sent: true, right: true });
    expect(both.guess.client.reason).toMatch(/kexguess2/);
    // Without the marker on the server side the RFC rule applies again.
    const plain = negotiate(dbclient, { ...server, kex_algorithms: server.kex_algorithms.filter((k) => k !== 'kexguess2@matt.ucc.asn.au') });
    expect(plain.guess.client).toMatchObject({ sent: true, right: false });
    // The client's first kex method is not common: its guess is wrong under kexguess2 too.
    const noCurve = negotiate(dbclient, { ...server, kex_algorithms: server.kex_algorithms.filter((k) => !k.startsWith('curve25519')) });
    expect(noCurve.winners.kex).toBe('ecdh-sha2-nistp521');
    expect(noCurve.guess.client).toMatchObject({ sent: true, right: false });
    // The marker itself never wins.
    const onlyMarker = negotiate(client({ kex_algorithms: ['kexguess2@matt.ucc.asn.au'] }), server);
    expect(onlyMarker.winners.kex).toBeNull();
  });
});
