/**
 * Hand-checked bytes for messages the real captures do not contain, each laid out field by field from its RFC
 * section (RFC 4253 §11.1, RFC 4254 §5.1/§5.2/§6.2/§7.1/§8, RFC 4252 §8, RFC 4256 §3.2, RFC 8308 §3.2-3.3):
 * the decoded values, the code names and the byte spans are what the RFC text says they must be.
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from '../wire/index.ts';
import { coverProblem, leaves } from './arbitrary.test-support.ts';
import { decodeMessage, encodeMessage } from './catalog.ts';

/** Hex with spaces, newlines and `# comments` allowed. */
const hex = (s: string) => fromHex(s.replace(/#[^\n]*/g, '').replace(/\s/g, ''))!;
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

function roundTrip(bytes: Uint8Array, context = {}) {
  const m = decodeMessage(bytes, context);
  expect(m.error).toBeUndefined();
  expect(coverProblem(m.fields, 0, bytes.length)).toBeNull();
  expect(encodeMessage(m.number, m.value, context)).toEqual(bytes);
  return m;
}
const leaf = (m: ReturnType<typeof decodeMessage>, path: string) => leaves(m.fields).find((f) => f.path === path)!;

describe('RFC layouts, checked by hand', () => {
  it('DISCONNECT with a reason code (RFC 4253 §11.1, codes RFC 4250 §4.2.2)', () => {
    const m = roundTrip(hex(`01 0000000b   # SSH_MSG_DISCONNECT, reason 11
      00000003 ${ascii('bye')} 00000000`));
    expect(m.value).toEqual({ reason_code: 11, description: 'bye', language: '' });
    expect(leaf(m, 'reason_code')).toMatchObject({ valueName: 'SSH_DISCONNECT_BY_APPLICATION', span: { start: 1, end: 5 } });
  });

  it('CHANNEL_OPEN_FAILURE and EXTENDED_DATA codes (RFC 4254 §5.1, §5.2)', () => {
    const failure = roundTrip(hex(`5c 00000007 00000002 00000000 00000000`));
    expect(leaf(failure, 'reason_code').valueName).toBe('SSH_OPEN_CONNECT_FAILED');
    const stderr = roundTrip(hex(`5f 00000000 00000001 00000002 6869`));
    expect(leaf(stderr, 'data_type_code').valueName).toBe('SSH_EXTENDED_DATA_STDERR');
    expect(stderr.value.data).toEqual(hex('6869'));
  });

  it('pty-req terminal modes, opcode by opcode (RFC 4254 §6.2, §8)', () => {
    const modes = `01 00000003   # VINTR = ^C
                   35 00000001   # ECHO (53) on
                   80 00009600   # TTY_OP_ISPEED 38400
                   00            # TTY_OP_END`;
    const bytes = hex(`62 00000000 00000007 ${ascii('pty-req')} 01
      00000005 ${ascii('xterm')} 00000050 00000018 00000000 00000000
      00000010 ${modes}`);
    const m = roundTrip(bytes);
    const list = (m.value.terminal_modes as { modes: { opcode: number; argument?: number }[] }).modes;
    expect(list).toEqual([{ opcode: 1, argument: 3 }, { opcode: 53, argument: 1 }, { opcode: 128, argument: 38400 }, { opcode: 0 }]);
    expect(['terminal_modes.modes[0].opcode', 'terminal_modes.modes[1].opcode', 'terminal_modes.modes[2].opcode', 'terminal_modes.modes[3].opcode']
      .map((p) => leaf(m, p).valueName)).toEqual(['VINTR', 'ECHO', 'TTY_OP_ISPEED', 'TTY_OP_END']);
    expect(leaf(m, 'terminal_modes.modes[2].argument').span).toEqual({ start: bytes.length - 5, end: bytes.length - 1 });
    expect(m.value).toMatchObject({ term: 'xterm', width_chars: 80, height_rows: 24 });
  });

  it('an undefined terminal mode opcode stops the parsing (RFC 4254 §8), shown raw but not an error', () => {
    const m = decodeMessage(hex(`62 00000000 00000007 ${ascii('pty-req')} 00 00000001 61 00000000 00000000 00000000 00000000
      00000003 a0 0102`));
    expect(m.error).toBeUndefined();
    expect(m.unknown).toBe(true);
    expect((m.value.terminal_modes as { modes: unknown[] }).modes).toEqual([{ opcode: 160, data: hex('0102') }]);
  });

  it('a password change request (RFC 4252 §8)', () => {
    const m = roundTrip(hex(`32 00000001 ${ascii('u')} 0000000e ${ascii('ssh-connection')} 00000008 ${ascii('password')}
      01 00000003 ${ascii('old')} 00000003 ${ascii('new')}`));
    expect(m.value).toMatchObject({ method: 'password', changing: true, password: 'old', new_password: 'new' });
  });

  it('keyboard-interactive INFO_REQUEST with two prompts (RFC 4256 §3.2)', () => {
    const m = roundTrip(hex(`3c 00000000 00000000 00000000 00000002
      0000000a ${ascii('Password: ')} 00
      00000006 ${ascii('Code: ')} 01`), { auth: 'keyboard-interactive' });
    expect(m.name).toBe('SSH_MSG_USERAUTH_INFO_REQUEST');
    expect(m.value.prompts).toEqual([{ prompt: 'Password: ', echo: false }, { prompt: 'Code: ', echo: true }]);
  });

  it('EXT_INFO with delay-compression (two name-lists in one string) and no-flow-control (RFC 8308 §3.2, §3.3)', () => {
    const m = roundTrip(hex(`07 00000002
      00000011 ${ascii('delay-compression')} 00000016 00000004 ${ascii('none')} 0000000a ${ascii('zlib,other')}
      0000000f ${ascii('no-flow-control')} 00000001 ${ascii('p')}`));
    expect(m.value.extensions).toEqual([
      { name: 'delay-compression', value: { compression_client_to_server: ['none'], compression_server_to_client: ['zlib', 'other'] } },
      { name: 'no-flow-control', value: 'p' },
    ]);
  });

  it('tcpip-forward for port 0 and the REQUEST_SUCCESS that carries the bound port (RFC 4254 §7.1)', () => {
    const request = roundTrip(hex(`50 0000000d ${ascii('tcpip-forward')} 01 00000009 ${ascii('localhost')} 00000000`));
    expect(request.value).toMatchObject({ bind_address: 'localhost', bind_port: 0 });
    const reply = roundTrip(hex('51 0000c350'), { globalRequest: request.value.request_name });
    expect(reply.value).toEqual({ bound_port: 50000 });
  });

  it('a key blob whose inner length overruns it keeps what came before and says where it stopped', () => {
    // host_key is a 20-byte string: type "ssh-ed25519" (15 bytes), then a key length of 32 with 1 byte left.
    const bytes = hex(`1f 00000014 0000000b ${ascii('ssh-ed25519')} 00000020 11 00000001 05`);
    const m = decodeMessage(bytes, { kex: 'diffie-hellman-group14-sha256' });
    expect(m.name).toBe('SSH_MSG_KEXDH_REPLY');
    expect(m.error).toMatchObject({ code: 'length-beyond-buffer', path: 'host_key.key', offset: 20 });
    expect((m.value.host_key as { type: string }).type).toBe('ssh-ed25519');
    expect(leaves(m.fields).map((f) => f.path)).toEqual(['message_number', 'host_key.(length)', 'host_key.type', 'host_key.(undecoded)', '(undecoded)']);
    expect(leaves(m.fields).map((f) => f.name)).toEqual(['message_number', '(length)', 'type', '(undecoded)', '(undecoded)']);
    expect(coverProblem(m.fields, 0, bytes.length)).toBeNull();
  });

  it('a packet cut inside a string stops at that string', () => {
    const cut = hex(`1f 00000033 0000000b ${ascii('ssh-ed25519')}`);
    const m = decodeMessage(cut, { kex: 'diffie-hellman-group14-sha256' });
    expect(m.error).toMatchObject({ code: 'length-beyond-buffer', path: 'host_key', offset: 1 });
    expect(coverProblem(m.fields, 0, cut.length)).toBeNull();
  });
});
