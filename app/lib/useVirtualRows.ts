/** Windowing for long lists of fixed-height rows: only the rows in view (plus a margin) are rendered. */
import { useCallback, useEffect, useState, type RefObject } from 'react';

export interface VirtualWindow {
  start: number;
  end: number;
  total: number;
}

export function useVirtualRows(container: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan = 8): VirtualWindow & { scrollTo: (row: number) => void } {
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const update = () => setView({ top: element.scrollTop, height: element.clientHeight || 600 });
    update();
    element.addEventListener('scroll', update, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    observer?.observe(element);
    return () => {
      element.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, [container]);
  const start = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  const scrollTo = useCallback((row: number) => {
    const element = container.current;
    if (!element) return;
    const top = row * rowHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
  }, [container, rowHeight]);
  return { start, end, total: count * rowHeight, scrollTo };
}
