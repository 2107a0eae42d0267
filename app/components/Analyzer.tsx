/**
 * Every view of one trace around one shared selection: the session overview, the ladder and the message list side
 * by side, the layer stack of the selected message, the key-exchange cards and the channels.
 */
import { startTransition, useEffect, useRef, useState } from 'react';
import type { Trace } from '../../engine/trace/model.ts';
import { SelectionProvider, useSelection, type Selection } from '../state/selection.tsx';
import { Channels } from './Channels.tsx';
import { KexCard } from './KexCard.tsx';
import { LadderDiagram } from './LadderDiagram.tsx';
import { LayerStack } from './LayerStack.tsx';
import { MessageList } from './MessageList.tsx';
import { PrivacyNote } from './PrivacyNote.tsx';
import { SessionOverview } from './SessionOverview.tsx';
import { InertText } from './InertText.tsx';

export interface AnalyzerProps {
  trace: Trace;
  annotate?: boolean;
  initial?: Selection;
  onSelectionChange?: (selection: Selection) => void;
  decodeMillis?: number;
  /** The trace is still growing (a capture streaming in from the worker). */
  decoding?: boolean;
  /** When it changes, this message becomes the selection (the stepper's newest message). */
  focusMessage?: number | null;
}

export function Analyzer({ trace, annotate = false, initial, onSelectionChange, decodeMillis, decoding = false, focusMessage = null }: AnalyzerProps) {
  // While decoding, a linked session may not have arrived yet: keep the link's selection, the views wait for it.
  const start = initial && (decoding || initial.session < trace.sessions.length) ? initial : { session: 0, message: null, layer: null, field: null };
  return (
    <SelectionProvider initial={start} onChange={onSelectionChange}>
      <Views trace={trace} annotate={annotate} decodeMillis={decodeMillis} decoding={decoding} focusMessage={focusMessage} />
    </SelectionProvider>
  );
}

/** Views shown in stages while a capture starts streaming in: 1 the overview, 2 the key exchanges, 3 the channels. */
const FULL = 3;

/** While a capture streams in, the overview, key exchanges and channels (the costly views) follow it this often. */
const SLOW_VIEWS_MILLIS = 2000;

/** `value`, but while `active` changing at most every `millis` (in a background render); `value` itself otherwise. */
function useThrottled<T>(value: T, active: boolean, millis: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (!active || shown === value) return;
    const timer = setTimeout(() => {
      last.current = Date.now();
      startTransition(() => setShown(value));
    }, Math.max(0, last.current + millis - Date.now()));
    return () => clearTimeout(timer);
  }, [value, active, millis, shown]);
  return active ? shown : value;
}

function Views({ trace, annotate, decodeMillis, decoding, focusMessage }: { trace: Trace; annotate: boolean; decodeMillis?: number; decoding: boolean; focusMessage: number | null }) {
  const { selection, select } = useSelection();
  useEffect(() => {
    if (focusMessage !== null) select({ message: focusMessage });
  }, [focusMessage]); // eslint-disable-line react-hooks/exhaustive-deps
  const session = trace.sessions[selection.session];
  const slowSession = useThrottled(session, decoding, SLOW_VIEWS_MILLIS);
  // A capture that streams in shows the ladder and the list first; the overview, the key exchanges and the channels
  // follow one at a time in background renders, so the first messages appear at once and no one frame lays out the
  // whole page.
  const [stage, setStage] = useState(decoding ? 0 : FULL);
  useEffect(() => {
    if (stage >= FULL) return;
    const timer = setTimeout(() => startTransition(() => setStage(stage + 1)), 50);
    return () => clearTimeout(timer);
  }, [stage]);
  return (
    <main className="analyzer">
      <p className="muted source-line">
        <InertText text={trace.source.name} />
        {trace.source.keySources?.length ? <> with keys from <InertText text={trace.source.keySources.join(', ')} /></> : null}
        {decoding ? ' - decoding…' : decodeMillis !== undefined ? ` - decoded in ${Math.round(decodeMillis)} ms` : ''}
        {trace.sessions.length > 1 && (
          <label> Session{' '}
            <select value={selection.session} onChange={(e) => select({ session: Number(e.target.value) })}>
              {trace.sessions.map((s, i) => <option key={i} value={i}>{s.id}: {s.client.address}:{s.client.port} → {s.server.address}:{s.server.port}</option>)}
            </select>
          </label>
        )}
      </p>
      {trace.problems.map((problem, i) => <p key={i} className={problem.severity === 'error' ? 'error' : 'warning'}><InertText text={problem.message} /></p>)}
      {!session ? (decoding ? <p className="muted">Decoding: no SSH session found yet.</p> : <p className="warning">This trace holds no SSH session.</p>) : (
        <>
          {stage >= 1 && slowSession && <SessionOverview session={slowSession} />}
          <div className="an-grid">
            <LadderDiagram session={session} />
            <MessageList session={session} />
          </div>
          {selection.message !== null && session.packets[selection.message] && <LayerStack key={`${selection.session}`} session={session} packetIndex={selection.message} annotate={annotate} />}
          {stage >= 2 && slowSession && slowSession.kex.map((kex) => <KexCard key={kex.index} kex={kex} firstKex={slowSession.kex[0]} />)}
          {stage >= 3 && slowSession && (
            <>
              <h2>Channels</h2>
              <Channels session={slowSession} />
            </>
          )}
        </>
      )}
      <PrivacyNote />
    </main>
  );
}
