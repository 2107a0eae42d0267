/**
 * Live sample sessions for the lessons: a bundled sample (app/samples.ts) decoded in the analyzer's own Web Worker,
 * once per page load, and handed to the embedded app components through a SelectionProvider, so a ladder, a message
 * list and a layer stack inside one <Sample> follow one selection exactly as they do in the analyzer.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { SessionRecord, Trace } from '../../engine/trace/model.ts';
import { loadSample } from '../../app/samples.ts';
import { decodeInWorker } from '../../app/worker/client.ts';
import { SelectionProvider } from '../../app/state/selection.tsx';
import { pickPacket, type PacketPick } from '../quiz.ts';

const decoded = new Map<string, Promise<Trace>>();

export function loadTrace(name: string): Promise<Trace> {
  let trace = decoded.get(name);
  if (!trace) {
    trace = loadSample(name).then((files) => decodeInWorker(files, () => {})).then((result) => result.trace);
    decoded.set(name, trace);
  }
  return trace;
}

/** The decoded sample, or the error, for a component. */
export function useTrace(name: string): { trace: Trace | null; error: string | null } {
  const [state, setState] = useState<{ trace: Trace | null; error: string | null }>({ trace: null, error: null });
  useEffect(() => {
    let live = true;
    loadTrace(name).then((trace) => live && setState({ trace, error: null }), (e: Error) => live && setState({ trace: null, error: e.message }));
    return () => { live = false; };
  }, [name]);
  return state;
}

export interface SampleContext {
  name: string;
  trace: Trace;
  session: SessionRecord;
}

const Context = createContext<SampleContext | null>(null);

export function useSample(): SampleContext {
  const sample = useContext(Context);
  if (!sample) throw new Error('a lesson component must sit inside <Sample name="...">');
  return sample;
}

/** `<Sample name="publickey-exec" select={{ name: 'SSH_MSG_KEXINIT', direction: 'client' }}>...</Sample>` */
export function Sample({ name, select, field, children }: { name: string; select?: PacketPick; field?: string; children: ReactNode }) {
  const { trace, error } = useTrace(name);
  if (error) return <p className="error" role="alert">The sample {name} could not be decoded: {error}</p>;
  if (!trace) return <p className="muted lesson-loading" aria-busy="true">Decoding the sample session {name}…</p>;
  const session = trace.sessions[0];
  const message = select ? pickPacket(session, select) : null;
  return (
    <Context.Provider value={{ name, trace, session }}>
      <SelectionProvider initial={{ session: 0, message, layer: null, field: field ?? null }}>
        <div className="lesson-live" data-sample={name}>{children}</div>
      </SelectionProvider>
    </Context.Provider>
  );
}
