/**
 * The start page: open a capture (pcap/pcapng) with its key log(s), or a trace JSON, by drag and drop or with one
 * multi-file picker. Shows decoding progress and errors in words.
 */
import { useId, useState, type DragEvent } from 'react';
import { PrivacyNote } from './PrivacyNote.tsx';

export interface StartPageProps {
  onOpen: (files: File[]) => void;
  /** 0..1 while a capture decodes. */
  progress?: number | null;
  error?: string | null;
  /** Names of the bundled sample sessions. */
  samples?: string[];
  onOpenSample?: (name: string) => void;
  simulations?: { id: string; title: string }[];
  onSimulate?: (id: string, seed: number) => void;
}

export function StartPage({ onOpen, progress = null, error = null, samples = [], onOpenSample, simulations = [], onSimulate }: StartPageProps) {
  const [simulation, setSimulation] = useState(simulations[0]?.id ?? '');
  const [seed, setSeed] = useState(1);
  const inputId = useId();
  const [dragging, setDragging] = useState(false);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) onOpen(files);
  };
  return (
    <main className="start-page" style={{ maxWidth: '44rem', margin: '2rem auto', padding: '0 1rem' }}>
      <h1>sshlens</h1>
      <p>See SSH: every layer of every message of a captured session, decrypted and explained byte by byte.</p>
      <section
        aria-label="Open a capture"
        className="card"
        onDragOver={(event) => { event.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={{ borderStyle: 'dashed', borderWidth: 2, padding: '1.5em', outline: dragging ? '3px solid var(--accent)' : undefined }}
      >
        <h2>Open a capture</h2>
        <p>
          Drop a capture (<code>.pcap</code>, <code>.pcapng</code>) together with its key log(s), or a trace
          (<code>.json</code>), here - or choose them:
        </p>
        <label htmlFor={inputId}>Capture and key log files </label>
        <input
          id={inputId}
          type="file"
          multiple
          accept=".pcap,.pcapng,.cap,.keylog,.log,.txt,.json"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            if (files.length > 0) onOpen(files);
          }}
        />
        {progress !== null && (
          <p>
            <label>
              Decoding <progress max={1} value={progress} /> {Math.round(progress * 100)}%
            </label>
          </p>
        )}
        {error && <p className="error" role="alert">{error}</p>}
      </section>
      {samples.length > 0 && onOpenSample && (
        <section aria-label="Sample sessions" className="card">
          <h2>Sample sessions</h2>
          <p>Recorded by sshlens against a real OpenSSH server:</p>
          <ul>
            {samples.map((name) => <li key={name}><button type="button" onClick={() => onOpenSample(name)}>{name}</button></li>)}
          </ul>
        </section>
      )}
      {simulations.length > 0 && onSimulate && (
        <section aria-label="Simulate a session" className="card">
          <h2>Simulate a session</h2>
          <p>sshlens's own client and server run a whole session in this page; step through it message by message.</p>
          <form onSubmit={(event) => { event.preventDefault(); onSimulate(simulation, seed); }}>
            <label>Scenario{' '}
              <select value={simulation} onChange={(event) => setSimulation(event.target.value)}>
                {simulations.map((s) => <option key={s.id} value={s.id}>{s.title}</option>)}
              </select>
            </label>{' '}
            <label>Seed{' '}
              <input type="number" min={0} max={999999} value={seed} onChange={(event) => setSeed(Number(event.target.value) || 0)} style={{ width: '6em' }} />
            </label>{' '}
            <button type="submit">Run simulation</button>
          </form>
        </section>
      )}
      <PrivacyNote />
    </main>
  );
}
