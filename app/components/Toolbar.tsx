/** The toolbar: theme (light, dark), projector mode (large type, high contrast), annotate-all, export, close. */
import { useEffect, useState } from 'react';

export interface Preferences {
  theme: 'light' | 'dark';
  projector: boolean;
  annotate: boolean;
  set: (patch: Partial<Omit<Preferences, 'set'>>) => void;
}

function initialTheme(): 'light' | 'dark' {
  const saved = globalThis.localStorage?.getItem('sshlens-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function usePreferences(): Preferences {
  const [state, setState] = useState(() => ({ theme: initialTheme(), projector: false, annotate: false }));
  useEffect(() => {
    document.documentElement.dataset.theme = state.theme;
    document.documentElement.dataset.projector = String(state.projector);
    globalThis.localStorage?.setItem('sshlens-theme', state.theme);
  }, [state.theme, state.projector]);
  return { ...state, set: (patch) => setState((current) => ({ ...current, ...patch })) };
}

export function Toolbar({ preferences, onExport, onClose }: { preferences: Preferences; onExport?: () => void; onClose?: () => void }) {
  const { theme, projector, annotate, set } = preferences;
  return (
    <header className="toolbar">
      <strong className="brand">sshlens</strong>
      <nav aria-label="View options" className="toolbar-buttons">
        <button type="button" aria-pressed={theme === 'dark'} onClick={() => set({ theme: theme === 'dark' ? 'light' : 'dark' })}>Dark theme</button>
        <button type="button" aria-pressed={projector} onClick={() => set({ projector: !projector })}>Projector mode</button>
        <button type="button" aria-pressed={annotate} onClick={() => set({ annotate: !annotate })}>Annotate all fields</button>
        {onExport && <button type="button" onClick={onExport}>Export trace JSON</button>}
        {onClose && <button type="button" onClick={onClose}>Open another capture</button>}
      </nav>
      <span className="toolbar-note muted">Nothing leaves your machine.</span>
    </header>
  );
}
