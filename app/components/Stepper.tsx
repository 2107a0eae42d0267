/** Step through a simulated session message by message, forward and back (buttons, or the [ and ] keys). */
import { useEffect, useRef } from 'react';

export interface StepperProps {
  step: number;
  total: number;
  /** What the current step's message is, e.g. "client: SSH_MSG_KEXINIT". */
  label: string;
  onStep: (step: number) => void;
}

export function Stepper({ step, total, label, onStep }: StepperProps) {
  // The latest step, also between a key press and the re-render it causes (keys can come faster than renders).
  const current = useRef(step);
  current.current = step;
  const go = (next: number) => {
    current.current = Math.min(total - 1, Math.max(0, next));
    onStep(current.current);
  };
  const goRef = useRef(go);
  goRef.current = go;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement) return;
      if (event.key === ']') goRef.current(current.current + 1);
      else if (event.key === '[') goRef.current(current.current - 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <nav className="stepper card" aria-label="Simulation steps">
      <button type="button" onClick={() => go(0)} disabled={step === 0}>⏮ First</button>{' '}
      <button type="button" onClick={() => go(current.current - 1)} disabled={step === 0} aria-keyshortcuts="[">◀ Back</button>{' '}
      <button type="button" onClick={() => go(current.current + 1)} disabled={step >= total - 1} aria-keyshortcuts="]">Next ▶</button>{' '}
      <button type="button" onClick={() => go(total - 1)} disabled={step >= total - 1}>Last ⏭</button>{' '}
      <span aria-live="polite">Step {step + 1} of {total}: {label}</span>
    </nav>
  );
}
