/**
 * Failures the fuzz targets found, each kept as a test with the input that showed it (made from a real capture,
 * ../shared/fixtures/openssh-ssh2, read in place). The session-numbering bug found with thousands of sessions is
 * tested through the CLI in cli/bad-inputs.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../capture/test-helpers.ts';
import { decodeCapture } from '../decoder/capture-decoder.ts';
import { traceToDecodeJson } from '../trace/decode-json.ts';
import { traceFromJson, traceToJson, TraceJsonError } from '../trace/json.ts';

const present = existsSync(FIXTURES);

describe.skipIf(!present)('trace-json: a trace accepted by traceFromJson never crashes the --json view', () => {
  const name = 'ns_c25519_chacha20';
  const text = present
    ? traceToJson(decodeCapture(new Uint8Array(readFileSync(join(FIXTURES, `${name}.pcap`))), [{ name: 'keylog', text: readFileSync(join(FIXTURES, `${name}.oldformat.keylog`), 'utf8') }]))
    : '';
  /** The real trace with one value replaced, as the fuzz target's mutation did. */
  const edited = (edit: (trace: Record<string, any>) => void) => {
    const json = JSON.parse(text);
    edit(json);
    return JSON.stringify(json);
  };

  it('the undamaged trace is read and shown', () => {
    expect(traceToDecodeJson(traceFromJson(text)).sessions[0].channels[0].requests.map((r) => r.request)).toEqual(['env', 'pty-req', 'exec', 'exit-status']);
  });

  // Each of these passed traceFromJson before (only sessions and packets were checked) and then threw a TypeError or
  // RangeError in traceToDecodeJson.
  const cases: [string, (t: Record<string, any>) => void, string][] = [
    ['a channel that is not an object', (t) => { t.sessions[0].channels[0] = 5; }, '$.sessions[0].channels[0] is not an object'],
    ['channel requests null', (t) => { t.sessions[0].channels[0].requests = null; }, '$.sessions[0].channels[0].requests is not an array'],
    ['channel data a number', (t) => { t.sessions[0].channels[0].clientData = 2147483648; }, '$.sessions[0].channels[0].clientData is not an array'],
    ['channel data chunks that are not bytes', (t) => { t.sessions[0].channels[0].serverData[0] = { $bytes: '!!' }; }, '$.sessions[0].channels[0].serverData[0] is not bytes'],
    ['a key exchange that is not an object', (t) => { t.sessions[0].kex[0] = null; }, '$.sessions[0].kex[0] is not an object'],
    ['a problem that is not an object', (t) => { t.problems = [7]; }, '$.problems[0] is not an object'],
  ];
  for (const [what, edit, message] of cases) {
    it(what, () => {
      const damaged = edited(edit);
      expect(() => traceFromJson(damaged)).toThrow(TraceJsonError);
      expect(() => traceFromJson(damaged)).toThrow(`not a valid trace: ${message}`);
    });
  }

  // Found by the trace-json target (seed 20261122, case 21336): a tagged bigint where the version number goes made
  // traceFromJson throw a TypeError ("Do not know how to serialize a BigInt") while wording its own error; the value
  // is now shown through the trace's own JSON replacer.
  it('a version that is a tagged bigint is refused with a TraceJsonError naming $.version', () => {
    const damaged = edited((t) => { t.version = { $bigint: '-5' }; });
    expect(() => traceFromJson(damaged)).toThrow(TraceJsonError);
    expect(() => traceFromJson(damaged)).toThrow('unsupported trace version {"$bigint":"-5"} at $.version (this sshlens reads version 1)');
  });
});
