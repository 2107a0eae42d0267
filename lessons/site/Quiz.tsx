/**
 * The quiz at the end of a lesson: each question is answered from the real bytes of the lesson's sample session and
 * checked here against the decoded trace (lessons/quiz.ts) - click a byte of a packet, type a number read off the
 * bytes, or pick a name. Nothing is hard-coded: the answer is a field's span or a value in the trace.
 */
import { createContext, useContext, useMemo, useState } from 'react';
import type { SessionRecord } from '../../engine/trace/model.ts';
import { buildLayers } from '../../app/lib/layers.ts';
import { HexView } from '../../app/components/HexView.tsx';
import type { Lesson } from '../catalog.ts';
import { byteAnswer, checkAnswer, type Answer, type Question, type Verdict } from '../quiz.ts';
import { useTrace } from './sample.tsx';

export const LessonContext = createContext<Lesson | null>(null);

export function Quiz() {
  const lesson = useContext(LessonContext);
  if (!lesson) throw new Error('<Quiz /> must sit in a lesson page');
  return (
    <section className="lesson-quiz card" aria-label="Quiz">
      <h2>Quiz</h2>
      <p className="muted">Every answer is checked against the decoded sample session, byte by byte.</p>
      <ol>
        {lesson.quiz.map((question) => <li key={question.id}><QuestionView question={question} sample={question.sample ?? lesson.sample} /></li>)}
      </ol>
    </section>
  );
}

function QuestionView({ question, sample }: { question: Question; sample: string }) {
  const { trace, error } = useTrace(sample);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  if (error) return <p className="error">The sample {sample} could not be decoded: {error}</p>;
  if (!trace) return <p className="muted" aria-busy="true">Decoding {sample}…</p>;
  const session = trace.sessions[0];
  const check = (answer: Answer) => setVerdict(checkAnswer(session, question, answer));
  return (
    <div className="quiz-question" data-quiz={question.id} data-kind={question.kind}>
      <p className="quiz-prompt">{question.prompt}</p>
      {question.kind === 'byte' && <ByteQuestion session={session} question={question} onAnswer={check} />}
      {question.kind === 'number' && <NumberQuestion onAnswer={check} />}
      {question.kind === 'choice' && <ChoiceQuestion id={question.id} options={question.options(session)} onAnswer={check} />}
      <p className={verdict ? (verdict.correct ? 'quiz-verdict kx-ok' : 'quiz-verdict kx-bad') : 'quiz-verdict'} role="status"
        data-verdict={verdict ? (verdict.correct ? 'correct' : 'wrong') : undefined}>
        {verdict ? `${verdict.correct ? '✓ Correct.' : '✗ Not quite.'} ${verdict.explanation}` : ''}
      </p>
    </div>
  );
}

function ByteQuestion({ session, question, onAnswer }: { session: SessionRecord; question: Extract<Question, { kind: 'byte' }>; onAnswer: (a: Answer) => void }) {
  const { packet, index, span } = useMemo(() => byteAnswer(session, question), [session, question]);
  const bytes = useMemo(() => buildLayers(session, packet).find((layer) => layer.id === 'packet')?.bytes ?? null, [session, packet]);
  const [picked, setPicked] = useState<number | null>(null);
  const [shown, setShown] = useState(false);
  if (!bytes) return <p className="error">Packet {index} was not decrypted.</p>;
  return (
    <div className="quiz-bytes">
      <p className="muted">
        Message #{index}, {packet.direction === 'client' ? 'client → server' : 'server → client'}, {bytes.length} bytes (decrypted; the last{' '}
        {packet.layout?.mac ? packet.layout.mac.end - packet.layout.mac.start : 0} are the MAC or tag as sent).
      </p>
      <HexView label={`Quiz packet ${index}`} bytes={bytes} regions={[]} selected={shown ? span : picked === null ? null : { start: picked, end: picked + 1 }}
        onSelectByte={(offset) => { setPicked(offset); onAnswer({ kind: 'byte', offset }); }} />
      <button type="button" className="quiz-show" onClick={() => setShown(true)}>Show me</button>
      {shown && <span className="muted"> Bytes {span.start} to {span.end - 1}, outlined above.</span>}
    </div>
  );
}

function NumberQuestion({ onAnswer }: { onAnswer: (a: Answer) => void }) {
  const [text, setText] = useState('');
  const [notANumber, setNotANumber] = useState(false);
  const submit = () => {
    const value = text.trim();
    setNotANumber(!/^\d+$/.test(value));
    if (/^\d+$/.test(value)) onAnswer({ kind: 'number', value: Number(value) });
  };
  return (
    <form className="quiz-number" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <label>Your answer <input inputMode="numeric" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={notANumber} /></label>{' '}
      <button type="submit">Check</button>
      {notANumber && <span className="warning"> Type a whole number in decimal, such as 42.</span>}
    </form>
  );
}

function ChoiceQuestion({ id, options, onAnswer }: { id: string; options: string[]; onAnswer: (a: Answer) => void }) {
  return (
    <fieldset className="quiz-choice">
      <legend className="sr-only">Choose one</legend>
      {options.map((option) => (
        <label key={option} className="quiz-option">
          <input type="radio" name={`quiz-${id}`} value={option} onChange={() => onAnswer({ kind: 'choice', value: option })} /> <code>{option}</code>
        </label>
      ))}
    </fieldset>
  );
}
