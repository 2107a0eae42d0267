/**
 * simulate(scenario, seed): the same seed gives byte-identical sessions; every scenario runs to its end; each
 * failure shows the messages the RFCs prescribe (RFC 4252 §5.1 USERAUTH_FAILURE, RFC 4253 §11.1 DISCONNECT reason
 * codes of RFC 4250 §4.2.2, RFC 4254 §5.1 CHANNEL_OPEN_FAILURE, strict kex against a Terrapin-style injection); and
 * the step list replays the trace one message at a time.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../wire/index.ts';
import { simulate, type Scenario } from './simulate.ts';

const names = (r: ReturnType<typeof simulate>) => r.trace.sessions[0].packets.map((p) => `${p.direction}:${p.message?.name ?? '?'}`);
const wire = (r: ReturnType<typeof simulate>) => r.trace.sessions[0].packets.map((p) => toHex(p.wire!)).join('');

const EVERYTHING: Scenario = {
  name: 'tour',
  actions: [
    { do: 'exec', command: 'echo hello', env: { LANG: 'C' } },
    { do: 'exec', command: 'sha256sum', stdin: 'abc' },
    { do: 'shell', lines: ['echo hi', 'exit 3'], resize: { columns: 120, rows: 40 } },
    { do: 'rekey' },
    { do: 'direct-tcpip', host: 'echo.example', port: 7, data: 'ping' },
    { do: 'tcpip-forward', port: 0 },
    { do: 'keepalive' },
    { do: 'subsystem', name: 'sftp' },
    { do: 'signal', command: 'cat', signal: 'INT' },
  ],
};

describe('determinism', () => {
  it('the same scenario and seed give byte-identical sessions; another seed gives other bytes', () => {
    const a = simulate(EVERYTHING, 42);
    const b = simulate(EVERYTHING, 42);
    const c = simulate(EVERYTHING, 43);
    expect(wire(a)).toBe(wire(b));
    expect(a.keyLog).toBe(b.keyLog);
    expect(names(a)).toEqual(names(c));
    expect(wire(a)).not.toBe(wire(c));
  });
});

describe('scenarios run to completion', () => {
  it('the tour: every action gets its outcome, the trace has no problem, and the client ends the session', () => {
    const r = simulate(EVERYTHING, 1);
    const [echo, sha, shell, rekey, direct, forward, keepalive, subsystem, signal] = r.results;
    expect(echo).toMatchObject({ stdout: 'hello\n', exitStatus: 0 });
    expect(sha.stdout).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  -\n'); // FIPS 180-2 "abc"
    expect(shell.exitStatus).toBe(3);
    expect(shell.stdout).toContain('[window 120x40]');
    expect(rekey.action.do).toBe('rekey');
    expect(direct.stdout).toBe('ping');
    expect(forward.stdout).toBe('hello through the forwarded port\n');
    expect(keepalive.replies).toEqual([{ request: 'keepalive@openssh.com', success: false }]);
    expect(subsystem).toMatchObject({ exitStatus: 1 });
    expect(signal.exitSignal).toBe('INT');
    expect(r.end).toMatchObject({ by: 'client', reason: 11 });
    const session = r.trace.sessions[0];
    expect(session.problems).toEqual([]);
    expect(session.kex).toHaveLength(2);
    expect(session.kex.every((k) => k.hostKey?.verified)).toBe(true);
    expect(session.channels.map((c) => c.type)).toEqual(['session', 'session', 'session', 'direct-tcpip', 'forwarded-tcpip', 'session', 'session']);
  });

  const auths: Scenario['auth'][] = [
    { method: 'password' },
    { method: 'keyboard-interactive' },
    { method: 'publickey', keyType: 'ssh-ed25519' },
    { method: 'publickey', keyType: 'ecdsa-sha2-nistp256' },
    { method: 'publickey', keyType: 'ssh-rsa' },
  ];
  for (const auth of auths) {
    it(`authentication by ${auth!.method}${auth!.keyType ? ` (${auth!.keyType})` : ''}`, () => {
      const r = simulate({ auth, actions: [{ do: 'exec', command: 'echo ok' }] }, 5);
      expect(r.results[0].stdout).toBe('ok\n');
      const n = names(r);
      if (auth!.method === 'publickey') {
        // RFC 4252 §7: the query, PK_OK, then the signed request.
        expect(n).toContain('server:SSH_MSG_USERAUTH_PK_OK');
        expect(r.trace.sessions[0].packets.filter((p) => p.message?.name === 'SSH_MSG_USERAUTH_REQUEST' && p.message.value.method === 'publickey').map((p) => p.message!.value.has_signature)).toEqual([false, true]);
      }
      if (auth!.method === 'keyboard-interactive') expect(n).toContain('client:SSH_MSG_USERAUTH_INFO_RESPONSE');
      expect(r.trace.sessions[0].problems).toEqual([]);
    });
  }

  it('an expired password: PASSWD_CHANGEREQ, then the change request succeeds', () => {
    const r = simulate({ auth: { method: 'password', newPassword: 'new-secret' }, server: { passwordExpired: true }, actions: [{ do: 'exec', command: 'echo in' }] }, 2);
    expect(names(r)).toContain('server:SSH_MSG_USERAUTH_PASSWD_CHANGEREQ');
    const change = r.trace.sessions[0].packets.find((p) => p.message?.value.changing === true);
    expect(change?.message?.value.new_password).toBe('new-secret');
    expect(r.results[0].stdout).toBe('in\n');
  });

  it('a banner is shown before the login', () => {
    const r = simulate({ server: { banner: 'Authorised users only\n' }, actions: [] }, 3);
    expect(r.events.client).toContainEqual({ type: 'banner', message: 'Authorised users only\n' });
  });
});

describe('failures show the right messages', () => {
  it('a wrong password: USERAUTH_FAILURE, then the client disconnects with NO_MORE_AUTH_METHODS_AVAILABLE (14)', () => {
    const r = simulate({ auth: { method: 'password', password: 'wrong' }, actions: [{ do: 'exec', command: 'echo never' }] }, 1);
    const n = names(r);
    expect(n.slice(-2)).toEqual(['server:SSH_MSG_USERAUTH_FAILURE', 'client:SSH_MSG_DISCONNECT']);
    expect(r.end).toMatchObject({ by: 'client', reason: 14 });
    expect(r.results).toEqual([]);
  });

  it('a rejected host key: the client sends DISCONNECT HOST_KEY_NOT_VERIFIABLE (9) instead of NEWKEYS', () => {
    const r = simulate({ client: { rejectHostKey: true } }, 1);
    const n = names(r);
    expect(n).not.toContain('client:SSH_MSG_NEWKEYS');
    expect(n[n.length - 1]).toBe('client:SSH_MSG_DISCONNECT');
    expect(r.end).toMatchObject({ by: 'client', reason: 9 });
    expect(r.end?.description).toMatch(/not trusted/);
  });

  it('a refused channel: CHANNEL_OPEN_FAILURE with ADMINISTRATIVELY_PROHIBITED (1)', () => {
    const r = simulate({ server: { refuseChannels: true }, actions: [{ do: 'exec', command: 'echo no' }] }, 1);
    const failure = r.trace.sessions[0].packets.find((p) => p.message?.name === 'SSH_MSG_CHANNEL_OPEN_FAILURE');
    expect(failure?.message?.value.reason_code).toBe(1);
    expect(r.results[0].refused).toMatch(/refused/);
    expect(r.end).toMatchObject({ by: 'client', reason: 11 });
  });

  it('an IGNORE injected before NEWKEYS under strict kex: the client disconnects with PROTOCOL_ERROR (2)', () => {
    const r = simulate({ terrapin: true, actions: [{ do: 'exec', command: 'echo x' }] }, 1);
    expect(r.end).toMatchObject({ by: 'client', reason: 2 });
    expect(r.end?.description).toMatch(/strict kex/);
    expect(names(r)).toContain('server:SSH_MSG_IGNORE');
    expect(r.trace.sessions[0].problems.map((p) => p.code)).toContain('strict-kex-violation');
    expect(r.results).toEqual([]);
  });

  it('without strict kex the attack works: EXT_INFO is silently gone, and the decoder flags a Terrapin suspect', () => {
    const r = simulate({ terrapin: true, client: { strictKex: false }, actions: [{ do: 'exec', command: 'echo x' }] }, 1);
    expect(r.results[0].stdout).toBe('x\n');
    expect(r.trace.sessions[0].kex[0].strict).toBe(false);
    expect(names(r)).not.toContain('server:SSH_MSG_EXT_INFO');
    expect(r.events.client.some((e) => e.type === 'ext-info')).toBe(false);
    expect(simulate({ client: { strictKex: false }, actions: [] }, 1).events.client.some((e) => e.type === 'ext-info')).toBe(true);
    expect(r.trace.sessions[0].problems.map((p) => p.code)).toContain('terrapin-suspect');
  });

  it('no common cipher: KEY_EXCHANGE_FAILED (3) right after the KEXINITs', () => {
    const r = simulate({ client: { algorithms: { cipher: ['aes128-ctr'] } }, server: { algorithms: { cipher: ['chacha20-poly1305@openssh.com'] } } }, 1);
    expect(r.end?.reason).toBe(3);
    expect(names(r).slice(0, 2)).toEqual(['client:SSH_MSG_KEXINIT', 'server:SSH_MSG_KEXINIT']);
  });
});

describe('first_kex_packet_follows, RFC 4253 §7', () => {
  it('a right guess: the guessed INIT is the real one, and there is only one', () => {
    const r = simulate({ client: { guessKex: true, algorithms: { kex: ['curve25519-sha256'] } }, server: { algorithms: { kex: ['curve25519-sha256'] } }, actions: [{ do: 'exec', command: 'echo g' }] }, 1);
    expect(r.results[0].stdout).toBe('g\n');
    // The decoder names the guessed INIT from the guessing side's first kex method, before the server's KEXINIT.
    const names = r.trace.sessions[0].packets.map((p) => `${p.direction}:${p.message?.name}`);
    expect(names.slice(0, 4)).toEqual(['client:SSH_MSG_KEXINIT', 'client:SSH_MSG_KEX_ECDH_INIT', 'server:SSH_MSG_KEXINIT', 'server:SSH_MSG_KEX_ECDH_REPLY']);
    expect(names.filter((n) => n === 'client:SSH_MSG_KEX_ECDH_INIT')).toHaveLength(1);
    expect(r.events.client.find((e) => e.type === 'kex-complete')).toMatchObject({ negotiation: { guess: { client: { sent: true, right: true } } } });
    expect(r.trace.sessions[0].kex[0].hostKey?.verified).toBe(true);
    expect(r.trace.sessions[0].problems).toEqual([]);
  });
  it('a wrong guess: the server ignores the guessed packet and the client sends the INIT of the negotiated method', () => {
    const r = simulate({ client: { guessKex: true, algorithms: { kex: ['curve25519-sha256', 'ecdh-sha2-nistp256'] } }, server: { algorithms: { kex: ['ecdh-sha2-nistp256'] } }, actions: [{ do: 'exec', command: 'echo g' }] }, 1);
    expect(r.results[0].stdout).toBe('g\n');
    expect(r.events.client.find((e) => e.type === 'kex-complete')).toMatchObject({ negotiation: { winners: { kex: 'ecdh-sha2-nistp256' }, guess: { client: { sent: true, right: false } } } });
    expect(r.trace.sessions[0].packets.filter((p) => p.direction === 'client' && p.message?.number === 30)).toHaveLength(2);
    expect(r.trace.sessions[0].kex[0].hostKey?.verified).toBe(true);
  });
});

describe('steps', () => {
  it('one step per message; each step\'s trace holds exactly the messages up to it', () => {
    const r = simulate({ actions: [{ do: 'exec', command: 'echo step' }] }, 9);
    const packets = r.trace.sessions[0].packets;
    expect(r.steps.map((s) => s.name)).toEqual(packets.map((p) => p.message?.name));
    r.steps.forEach((s, i) => {
      expect(s.trace.sessions[0].packets).toHaveLength(i + 1);
      expect(s.trace.sessions[0].packets[i]).toBe(packets[i]);
    });
    // The key exchange is complete in the step of the server's reply, not before it.
    const reply = r.steps.findIndex((s) => s.name === 'SSH_MSG_KEX_HYBRID_REPLY');
    expect(r.steps[reply - 1].trace.sessions[0].kex[0].exchangeHash).toBeUndefined();
    expect(r.steps[reply].trace.sessions[0].kex[0].exchangeHash).toBeDefined();
    const exit = r.steps.findIndex((s) => s.summary.includes('exit-status'));
    expect(r.steps[exit - 1].trace.sessions[0].channels[0].exitStatus).toBeNull();
    expect(r.steps[exit].trace.sessions[0].channels[0].exitStatus).toBe(0);
  });
});
