/**
 * Every byte explained: every byte of every bundled sample (traces/*.pcap decoded by the engine with its key log) is
 * covered by exactly one explained leaf - in each direction's TCP stream, an identification line or a binary packet;
 * in each packet, exactly one of packet_length, padding_length, payload, padding, MAC (RFC 4253 §6), each with its
 * explanation; in each payload (decompressed where compression is on), exactly one leaf of the catalog's field tree
 * with a non-empty explanation. Then the lessons themselves: every quiz resolves on its real sample and checks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeCapture } from '../engine/decoder/capture-decoder.ts';
import type { SessionRecord, Span, Trace } from '../engine/trace/model.ts';
import { LAYOUT_FIELDS, leafFields } from '../app/lib/layers.ts';
import { LESSONS } from './catalog.ts';
import { PAGES } from './pages.ts';
import { checkAnswer, correctAnswer, wrongAnswer } from './quiz.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const TRACES = path.join(here, '..', 'traces');
const samples = readdirSync(TRACES).filter((f) => f.endsWith('.pcap')).map((f) => f.slice(0, -'.pcap'.length)).sort();

const traces = new Map<string, Trace>();
function trace(name: string): Trace {
  if (!traces.has(name)) {
    const bytes = new Uint8Array(readFileSync(path.join(TRACES, `${name}.pcap`)));
    traces.set(name, decodeCapture(bytes, [{ name: `${name}.keylog`, text: readFileSync(path.join(TRACES, `${name}.keylog`), 'utf8') }], `${name}.pcap`));
  }
  return traces.get(name)!;
}

interface Piece extends Span { what: string; doc: string | undefined }

/** The pieces must tile [0, length): sorted, no gap, no overlap, each with an explanation. Returns the problems. */
function tiling(pieces: Piece[], length: number, where: string): string[] {
  const problems: string[] = [];
  const sorted = [...pieces].sort((a, b) => a.start - b.start);
  let at = 0;
  for (const piece of sorted) {
    if (piece.start > at) problems.push(`${where}: bytes ${at}..${piece.start - 1} are not explained`);
    if (piece.start < at) problems.push(`${where}: ${piece.what} (from byte ${piece.start}) overlaps the field before it`);
    if (!piece.doc || !piece.doc.trim()) problems.push(`${where}: ${piece.what} has no explanation`);
    at = Math.max(at, piece.end);
  }
  if (at < length) problems.push(`${where}: bytes ${at}..${length - 1} are not explained`);
  if (at > length) problems.push(`${where}: fields run past the end (${at} > ${length})`);
  return problems;
}

function explainSession(session: SessionRecord, name: string): { problems: string[]; bytes: number; leaves: number } {
  const problems: string[] = [];
  let bytes = 0;
  let leaves = 0;
  for (const direction of ['client', 'server'] as const) {
    // The stream: the identification line (and any lines before it) and then packets, nothing else.
    const id = session.identification[direction];
    const end = Math.max(0, ...session.segments[direction].map((s) => s.stream.end));
    const stream: Piece[] = session.packets.filter((p) => p.direction === direction).map((p) => ({ ...p.stream, what: `packet ${p.index}`, doc: p.message?.name }));
    if (id) stream.push({ start: id.preamble.length ? 0 : id.stream.start, end: id.stream.end, what: 'identification line', doc: 'RFC 4253 §4.2' });
    problems.push(...tiling(stream, end, `${name} ${direction} stream`));
    bytes += end;
  }
  for (const packet of session.packets) {
    const where = `${name} packet ${packet.index} (${packet.message?.name ?? '?'})`;
    if (!packet.layout || !packet.wire || !packet.message) { problems.push(`${where}: not decoded`); continue; }
    const layout: Piece[] = LAYOUT_FIELDS.flatMap((field) => {
      const span = packet.layout![field.name];
      return span && span.end > span.start ? [{ ...span, what: field.label, doc: field.doc }] : [];
    });
    problems.push(...tiling(layout, packet.wire.length, where));
    const payload = packet.decompressed?.length ?? packet.layout.payload.end - packet.layout.payload.start;
    const fields = leafFields(packet.message.fields);
    leaves += fields.length;
    problems.push(...tiling(fields.map((f) => ({ ...f.span, what: f.path, doc: f.doc })), payload, `${where} payload`));
    for (const field of fields) if (field.unknown) problems.push(`${where}: ${field.path} is not understood by the catalog`);
  }
  return { problems, bytes, leaves };
}

describe('every byte of every bundled trace is explained exactly once', () => {
  test('the samples are there', () => {
    expect(samples.length).toBeGreaterThanOrEqual(9);
  });
  test('the check itself finds an unexplained byte, an overlap and an empty explanation on a real packet', () => {
    const session = trace('publickey-exec').sessions[0];
    const packet = session.packets[0];
    const leaves = leafFields(packet.message!.fields);
    const pieces = leaves.map((f) => ({ ...f.span, what: f.path, doc: f.doc }));
    const length = packet.layout!.payload.end - packet.layout!.payload.start;
    expect(tiling(pieces, length, 'kexinit')).toEqual([]);
    expect(tiling(pieces.filter((p) => p.what !== 'cookie'), length, 'kexinit')).toEqual(['kexinit: bytes 1..16 are not explained']);
    expect(tiling([...pieces, { ...pieces[1] }], length, 'kexinit')[0]).toMatch(/overlaps/);
    expect(tiling(pieces.map((p) => (p.what === 'reserved' ? { ...p, doc: ' ' } : p)), length, 'kexinit')).toEqual(['kexinit: reserved has no explanation']);
  });
  const totals = { bytes: 0, packets: 0, leaves: 0 };
  afterAll(() => console.log(`every byte explained: ${totals.bytes} stream bytes, ${totals.packets} packets, ${totals.leaves} payload fields in ${samples.length} samples`));
  for (const name of samples) {
    test(name, () => {
      const t = trace(name);
      expect(t.sessions.length).toBeGreaterThan(0);
      let total = 0;
      for (const session of t.sessions) {
        const { problems, bytes, leaves } = explainSession(session, name);
        expect(problems).toEqual([]);
        expect(leaves).toBeGreaterThan(session.packets.length);
        total += bytes;
        totals.bytes += bytes;
        totals.packets += session.packets.length;
        totals.leaves += leaves;
      }
      expect(total).toBeGreaterThan(1000);
    });
  }
});

describe('the lessons', () => {
  test('15 lessons in order, unique slugs, every page belongs to one', () => {
    expect(LESSONS.map((l) => l.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(new Set(LESSONS.map((l) => l.slug)).size).toBe(15);
    for (const slug of Object.keys(PAGES)) expect(LESSONS.some((l) => l.slug === slug)).toBe(true);
  });

  for (const lesson of LESSONS.filter((l) => l.slug in PAGES)) {
    test(`lesson ${lesson.number} (${lesson.slug}): a real sample, RFC citations, and a quiz answered from its bytes`, () => {
      const file = readdirSync(here).find((f) => f.startsWith(String(lesson.number).padStart(2, '0')) && f.endsWith('.mdx'));
      expect(file).toBeDefined();
      const text = readFileSync(path.join(here, file!), 'utf8');
      expect(text).toMatch(/<Sample name="[a-z0-9-]+"/);
      expect(text).toMatch(/<Rfc cite="/);
      expect(text.trimEnd().endsWith('<Quiz />')).toBe(true);
      for (const sample of text.matchAll(/<Sample name="([a-z0-9-]+)"/g)) expect(samples).toContain(sample[1]);
      expect(lesson.quiz.length).toBeGreaterThanOrEqual(2);
      for (const question of lesson.quiz) {
        const session = trace(question.sample ?? lesson.sample).sessions[0];
        const right = correctAnswer(session, question);
        expect(checkAnswer(session, question, right).correct, question.id).toBe(true);
        // A wrong answer is rejected with the reason: which field the clicked byte belongs to, or where to look.
        const wrong = checkAnswer(session, question, wrongAnswer(session, question));
        expect(wrong.correct, question.id).toBe(false);
        if (question.kind === 'byte') expect(wrong.explanation).toMatch(/^Byte \d+ of the packet belongs to \S+.*, not /);
        else expect(wrong.explanation).toContain(question.why);
        if (question.kind === 'choice') {
          const options = question.options(session);
          expect(options).toContain(question.answer(session));
          expect(options.length).toBeGreaterThan(1);
          expect(options.filter((o) => checkAnswer(session, question, { kind: 'choice', value: o }).correct)).toHaveLength(1);
        }
      }
    });
  }
});
