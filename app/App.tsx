/**
 * The analyzer shell: opens a capture (decoded in a Web Worker, with progress) or a trace, then shows every view of
 * the selected session around one shared selection. A capture's messages appear as soon as the worker has decoded
 * the first of them, and the views grow while the rest decodes, the progress bar above them. The URL's hash names
 * what is open and selected (deep links).
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Trace } from '../engine/trace/model.ts';
import { traceToJson } from '../engine/trace/json.ts';
import { StartPage } from './components/StartPage.tsx';
import { Analyzer } from './components/Analyzer.tsx';
import { Toolbar, usePreferences } from './components/Toolbar.tsx';
import { describeFiles, prewarmWorker, simulateInWorker, streamDecodeInWorker, type OpenResult, type WorkerJob } from './worker/client.ts';
import { SIMULATIONS } from './simulations.ts';
import { Stepper } from './components/Stepper.tsx';
import type { InputFile } from './worker/open-files.ts';
import { loadFixture } from './dev/fixtures.ts';
import { DEFAULT_SAMPLE, loadSample, SAMPLES } from './samples.ts';
import { formatLink, parseLink, type ViewLink } from './lib/url.ts';
import type { Selection } from './state/selection.tsx';

interface Opened {
  trace: Trace;
  /** What the link names: a fixture (dev), a sample, or just the name of a file the user opened. */
  origin: Pick<ViewLink, 'file' | 'sample' | 'sim' | 'seed'>;
  /** How long decoding took; undefined while it goes on. */
  millis?: number;
  /** A simulation's trace after each message. */
  steps?: Trace[];
}

/** Milliseconds between two renders of a trace that is streaming in (each is a render, a layout and a paint). */
const RENDER_PAUSE = 500;

export function App() {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [link] = useState<ViewLink>(() => parseLink(location.hash));
  const preferences = usePreferences();

  const [step, setStep] = useState(0);
  // A worker waits ready (script loaded) for the next open.
  useEffect(() => {
    if (!opened || !job.current) prewarmWorker();
  }, [opened]);

  /** The decode under way: a new open or a close stops it. */
  const job = useRef<WorkerJob | null>(null);
  const stopDecoding = () => {
    job.current?.cancel();
    job.current = null;
    latest.current = null;
    rendering.current = false;
  };

  // A streaming trace is shown through transitions (React renders them in slices, between which the page stays
  // responsive), one at a time: a batch that arrives while the last one renders waits, and only the newest is shown.
  const latest = useRef<Opened | null>(null);
  const rendering = useRef(false);
  const show = useCallback((next: Opened) => {
    latest.current = next;
    if (rendering.current) return;
    rendering.current = true;
    // The first batch is small and is what the user waits for: it renders at once; later ones in the background.
    if (openedRef.current?.trace.source !== next.trace.source) setOpened(next);
    else startTransition(() => setOpened(next));
  }, []);
  useEffect(() => {
    if (!rendering.current) return;
    const next = latest.current;
    if (!next || next === opened) {
      rendering.current = false;
      return;
    }
    // A pause between renders leaves the cores to the worker (and the user); the final trace does not wait.
    const timer = setTimeout(() => startTransition(() => setOpened(latest.current ?? next)), next.millis === undefined ? RENDER_PAUSE : 0);
    return () => clearTimeout(timer);
  }, [opened]);

  const run = useCallback(async (work: (progress: (fraction: number) => void) => Promise<OpenResult>, origin: Opened['origin'], firstStep = 0) => {
    stopDecoding();
    setError(null);
    setProgress(0);
    try {
      const { trace, millis, steps } = await work((fraction) => setProgress(fraction));
      setStep(steps ? Math.min(firstStep, steps.length - 1) : 0);
      setOpened({ trace, origin, millis, steps });
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setProgress(null);
    }
  }, []);
  const open = useCallback((files: InputFile[], origin: Opened['origin']) => {
    stopDecoding();
    setError(null);
    setProgress(0);
    const current = streamDecodeInWorker(files, {
      // In whole percents: the bar shows no finer, and each change is a render and a frame.
      onProgress: (fraction) => setProgress(Math.floor(fraction * 100) / 100),
      // The trace so far: the views show it at once and grow with each batch.
      onPartial: (trace) => show({ trace, origin }),
    });
    job.current = current;
    current.result.then(
      ({ trace, millis }) => {
        if (job.current !== current) return;
        setStep(0);
        show({ trace, origin, millis });
      },
      (failure: Error) => job.current === current && setError(failure.message),
    ).finally(() => {
      if (job.current !== current) return;
      job.current = null;
      setProgress(null);
    });
  }, [show]);
  const startSimulation = useCallback((sim: string, seed: number, firstStep = 0) =>
    run((progress) => simulateInWorker(sim, seed, progress), { sim, seed }, firstStep), [run]);

  const openSample = useCallback((name: string) => {
    loadSample(name).then((files) => open(files, { sample: name }), (failure: Error) => setError(failure.message));
  }, [open]);

  // On start: the linked sample, or the linked development fixture (a link to a file the user had opened cannot bring
  // it back: files are never uploaded), or else the first bundled sample.
  useEffect(() => {
    if (link.sample) openSample(link.sample);
    else if (link.sim) startSimulation(link.sim, link.seed ?? 1, link.step ?? 0);
    else if (link.file) {
      loadFixture(link.file).then(
        (files) => open(files, { file: link.file }),
        (failure: Error) => setError(`${failure.message} The link names ${link.file}: files you open are never uploaded, so open it again here.`),
      );
    } else if (!link.start && DEFAULT_SAMPLE) openSample(DEFAULT_SAMPLE);
  }, [link, open, openSample, startSimulation]);

  const stepRef = useRef(step);
  stepRef.current = step;
  // Through a ref, so the callback stays the same while a capture streams in (no URL rewrite per batch).
  const openedRef = useRef(opened);
  openedRef.current = opened;
  const onSelectionChange = useCallback((selection: Selection) => {
    const current = openedRef.current;
    if (!current) return;
    const hash = formatLink({ ...current.origin, ...(current.steps ? { step: stepRef.current } : {}), session: selection.session, message: selection.message, layer: selection.layer, field: selection.field });
    history.replaceState(null, '', hash || location.pathname + location.search);
  }, []);
  const decoding = opened !== null && progress !== null && !opened.steps;
  const initial = useMemo(() => ({ session: link.session, message: link.message, layer: link.layer, field: link.field }), [link]);
  // Made only when what it shows changes: progress reports re-render the shell, never the views.
  const analyzer = useMemo(() => opened && (
    <Analyzer
      trace={opened.steps ? opened.steps[step] : opened.trace}
      focusMessage={opened.steps ? (opened.steps[step].sessions[0]?.packets.length ?? 1) - 1 : null}
      annotate={preferences.annotate}
      initial={initial}
      onSelectionChange={onSelectionChange}
      decodeMillis={opened.millis}
      decoding={decoding}
    />
  ), [opened, step, preferences.annotate, initial, onSelectionChange, decoding]);

  const exportTrace = () => {
    if (!opened) return;
    const url = URL.createObjectURL(new Blob([traceToJson(opened.trace)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${opened.trace.source.name.replace(/\.[^.]*$/, '')}.sshlens.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const openFiles = async (files: File[]) => {
    // The worker reads the files itself (a large capture chunk by chunk): the page hands over only their heads.
    const input = await describeFiles(files);
    const capture = files.find((file) => !/\.(keylog|log|txt)$/i.test(file.name)) ?? files[0];
    await open(input, { file: capture.name });
  };

  return (
    <div className="sl-root">
      <Toolbar preferences={preferences} onExport={opened && !decoding ? exportTrace : undefined}
        onClose={opened ? () => { stopDecoding(); setProgress(null); setOpened(null); history.replaceState(null, '', '#start'); } : undefined} />
      {decoding && (
        <p className="decode-progress">
          <label>Decoding <progress max={1} value={progress ?? 0} /> {Math.round((progress ?? 0) * 100)}%</label>
          <span className="muted"> - the messages decoded so far are shown, and more arrive as decoding goes on</span>
        </p>
      )}
      {opened && error && <p className="error" role="alert">{error}</p>}
      {opened?.steps && (
        <Stepper step={step} total={opened.steps.length} onStep={setStep}
          label={(() => { const p = opened.steps[step].sessions[0]?.packets.at(-1); return p ? `${p.direction}: ${p.message?.name ?? '?'}` : ''; })()} />
      )}
      {opened ? analyzer : (
        <StartPage onOpen={openFiles} progress={progress} error={error} samples={SAMPLES.map((s) => s.name)} onOpenSample={openSample}
          simulations={SIMULATIONS} onSimulate={(id, seed) => startSimulation(id, seed)} />
      )}
    </div>
  );
}
