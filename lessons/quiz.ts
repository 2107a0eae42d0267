/**
 * Lesson quizzes as data, answered from real bytes: every answer is computed from the decoded sample session (a
 * field's byte span, a negotiated name, a length), never written into the lesson. The page checks what the student
 * picks with `checkAnswer`; the node test and the site test use the same functions, so a re-recorded sample changes
 * the answers and the questions still hold.
 */
import type { Direction, PacketRecord, SessionRecord, Span } from '../engine/trace/model.ts';
import { keyAtPacketOffset, packetSpanOfKey, type FieldKey } from '../app/lib/layers.ts';

/** Names a packet of a session: the nth message with this SSH_MSG_* name (and direction). */
export interface PacketPick {
  name: string;
  direction?: Direction;
  /** 0 for the first match. */
  nth?: number;
}

export function pickPacket(session: SessionRecord, pick: PacketPick): number {
  let seen = 0;
  for (let i = 0; i < session.packets.length; i++) {
    const packet = session.packets[i];
    if (packet.message?.name !== pick.name || (pick.direction && packet.direction !== pick.direction)) continue;
    if (seen++ === (pick.nth ?? 0)) return i;
  }
  throw new Error(`the session has no ${pick.direction ?? ''} ${pick.name} #${pick.nth ?? 0}`);
}

export type Question =
  /** Click a byte of the decrypted packet that belongs to `field` (a FieldKey: `packet:padding_length`, `message:cookie`). */
  | { kind: 'byte'; id: string; prompt: string; sample?: string; packet: PacketPick; field: FieldKey }
  /** Type a number read off the bytes; `why` says where the number is and how to read it (shown with the verdict). */
  | { kind: 'number'; id: string; prompt: string; sample?: string; answer: (session: SessionRecord) => number; why: string }
  /** Pick one of several names taken from the session; `why` says what decides it (shown with the verdict). */
  | { kind: 'choice'; id: string; prompt: string; sample?: string; options: (session: SessionRecord) => string[]; answer: (session: SessionRecord) => string; why: string };

export type Answer = { kind: 'byte'; offset: number } | { kind: 'number'; value: number } | { kind: 'choice'; value: string };

export interface Verdict {
  correct: boolean;
  /** What the student's answer was, in words (right or wrong), from the trace. */
  explanation: string;
}

/** The packet-relative byte span that answers a byte question. */
export function byteAnswer(session: SessionRecord, question: Extract<Question, { kind: 'byte' }>): { packet: PacketRecord; index: number; span: Span } {
  const index = pickPacket(session, question.packet);
  const packet = session.packets[index];
  const span = packetSpanOfKey(packet, question.field);
  if (!span || span.end <= span.start) throw new Error(`${question.field} has no bytes in packet ${index}`);
  return { packet, index, span };
}

function fieldName(key: FieldKey | null): string {
  return key ? key.replace(/^(packet|message):/, '') : 'no field';
}

/** One correct answer (for tests and the "show me" button). */
export function correctAnswer(session: SessionRecord, question: Question): Answer {
  if (question.kind === 'byte') return { kind: 'byte', offset: byteAnswer(session, question).span.start };
  if (question.kind === 'number') return { kind: 'number', value: question.answer(session) };
  return { kind: 'choice', value: question.answer(session) };
}

export function checkAnswer(session: SessionRecord, question: Question, answer: Answer): Verdict {
  if (question.kind === 'byte' && answer.kind === 'byte') {
    const { packet, span } = byteAnswer(session, question);
    const key = keyAtPacketOffset(packet, answer.offset);
    const correct = answer.offset >= span.start && answer.offset < span.end;
    const where = `Byte ${answer.offset} of the packet belongs to ${fieldName(key)}`;
    return { correct, explanation: correct ? `${where} (bytes ${span.start} to ${span.end - 1}).` : `${where}, not ${fieldName(question.field)}.` };
  }
  if ((question.kind === 'number' && answer.kind === 'number') || (question.kind === 'choice' && answer.kind === 'choice')) {
    const right = question.answer(session);
    const correct = answer.value === right;
    return { correct, explanation: `${correct ? `${right} it is` : `Not ${answer.value}`}. ${question.why}` };
  }
  return { correct: false, explanation: 'That is not an answer to this question.' };
}

/** A plausible wrong answer (for the tests and the stories): the byte just outside the span, one more, another option. */
export function wrongAnswer(session: SessionRecord, question: Question): Answer {
  if (question.kind === 'byte') {
    const { span } = byteAnswer(session, question);
    return { kind: 'byte', offset: span.start > 0 ? span.start - 1 : span.end };
  }
  if (question.kind === 'number') return { kind: 'number', value: question.answer(session) + 1 };
  const right = question.answer(session);
  return { kind: 'choice', value: question.options(session).find((option) => option !== right)! };
}

/** Reads a uint32 / byte field's value from a packet's decoded message. */
export function fieldValue(packet: PacketRecord, path: string): unknown {
  let value: unknown = packet.message?.value;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}
