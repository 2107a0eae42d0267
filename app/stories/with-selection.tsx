/** Story helpers: a SelectionProvider around a view, and a probe that prints the shared selection for play functions. */
import type { ReactNode } from 'react';
import { SelectionProvider, useSelection, type Selection } from '../state/selection.tsx';

export function SelectionProbe() {
  const { selection, hover } = useSelection();
  return (
    <output aria-label="selection" className="muted" style={{ display: 'block', fontFamily: 'monospace' }}>
      {`message=${selection.message ?? '-'} layer=${selection.layer ?? '-'} field=${selection.field ?? '-'} hover=${hover.field ?? '-'}`}
    </output>
  );
}

export function WithSelection({ initial, children }: { initial?: Partial<Selection>; children: ReactNode }) {
  return (
    <SelectionProvider initial={{ session: 0, message: null, layer: null, field: null, ...initial }}>
      {children}
      <SelectionProbe />
    </SelectionProvider>
  );
}
