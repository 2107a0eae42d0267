/**
 * One static site, two parts chosen by the URL's hash: `#/lessons...` shows the lessons, anything else is the
 * analyzer's own link state (app/lib/url.ts). A lesson's "open in the analyzer" link is an analyzer hash, so
 * following it mounts the analyzer on that view; the site bar links back to the lessons.
 */
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import './site.css';

const Lessons = lazy(() => import('./Lessons.tsx').then((module) => ({ default: module.Lessons })));

export const isLessonRoute = (hash: string) => hash.startsWith('#/lessons');

export function SiteRoot({ analyzer }: { analyzer: () => ReactNode }) {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const onChange = () => { setHash(location.hash); if (isLessonRoute(location.hash)) window.scrollTo(0, 0); };
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  const lessons = isLessonRoute(hash);
  return (
    <>
      <nav className="site-bar" aria-label="Site">
        <a href="#" aria-current={lessons ? undefined : 'page'}>Analyzer</a>
        <a href="#/lessons" aria-current={lessons ? 'page' : undefined}>Lessons</a>
      </nav>
      {lessons ? <Suspense fallback={<p className="muted">Loading the lessons…</p>}><Lessons route={hash} /></Suspense> : <div key={hash}>{analyzer()}</div>}
    </>
  );
}
