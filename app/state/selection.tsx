/**
 * The one selection model every view shares: the session, the selected message (packet index), layer and field
 * (a FieldKey such as `message:kex_algorithms` or `packet:padding_length`), plus what the pointer hovers. Selecting
 * anywhere (ladder, list, hex bytes, field tree) updates it, and every other view follows.
 */
import { createContext, useContext, useEffect, useMemo, useReducer, type ReactNode } from 'react';
import type { FieldKey, LayerId } from '../lib/layers.ts';

export interface Selection {
  session: number;
  message: number | null;
  layer: LayerId | null;
  field: FieldKey | null;
}

export interface Hover {
  message: number | null;
  field: FieldKey | null;
}

interface State {
  selection: Selection;
  hover: Hover;
}

type Action =
  | { type: 'select'; patch: Partial<Selection> }
  | { type: 'hover'; hover: Partial<Hover> | null };

function reduce(state: State, action: Action): State {
  if (action.type === 'select') {
    const next = { ...state.selection, ...action.patch };
    // A new message keeps the layer but drops a field that belonged to the old one, unless a field came along.
    if (action.patch.message !== undefined && action.patch.message !== state.selection.message && action.patch.field === undefined) next.field = null;
    if (action.patch.session !== undefined && action.patch.session !== state.selection.session && action.patch.message === undefined) {
      next.message = null;
      next.field = null;
    }
    return { ...state, selection: next };
  }
  return { ...state, hover: action.hover ? { ...state.hover, ...action.hover } : { message: null, field: null } };
}

export interface SelectionApi {
  selection: Selection;
  hover: Hover;
  select: (patch: Partial<Selection>) => void;
  setHover: (hover: Partial<Hover> | null) => void;
}

const SelectionContext = createContext<SelectionApi | null>(null);

export const NO_SELECTION: Selection = { session: 0, message: null, layer: null, field: null };

export function SelectionProvider({ initial = NO_SELECTION, onChange, children }: {
  initial?: Selection;
  onChange?: (selection: Selection) => void;
  children: ReactNode;
}) {
  const [state, dispatch] = useReducer(reduce, { selection: initial, hover: { message: null, field: null } });
  const api = useMemo<SelectionApi>(() => ({
    selection: state.selection,
    hover: state.hover,
    select: (patch) => dispatch({ type: 'select', patch }),
    setHover: (hover) => dispatch({ type: 'hover', hover }),
  }), [state]);
  const selection = state.selection;
  useEffect(() => { onChange?.(selection); }, [selection, onChange]);
  return <SelectionContext.Provider value={api}>{children}</SelectionContext.Provider>;
}

export function useSelection(): SelectionApi {
  const api = useContext(SelectionContext);
  if (!api) throw new Error('useSelection needs a <SelectionProvider> above it');
  return api;
}
