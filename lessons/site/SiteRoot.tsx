/**
 * One static site, two parts chosen by the URL's hash: `#/lessons...` shows the lessons, anything else is the
 * analyzer's own link state (app/lib/url.ts). A lesson's "open in the analyzer" link is an analyzer hash, so
 * following it mounts the analyzer on that view; the site bar links back to the lessons, and to the lessons built on
 * the sample the analyzer shows.
 */
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { LESSONS } from '../catalog.ts';
import './site.css';

const Lessons = lazy(() => import('./Lessons.tsx').then((module) => ({ default: module.Lessons })));

export const isLessonRoute = (hash: string) => hash.startsWith('#/lessons');

/** The sample the analyzer shows, from its link state (it rewrites the hash without a hashchange, so look again now and then). */
function useAnalyzerSample(active: boolean): string | null {
  const read = () => new URLSearchParams(location.hash.replace(/^#/, '')).get('sample');
  const [sample, setSample] = useState(read);
  useEffect(() => {
    if (!active) return;
    setSample(read());
    const timer = setInterval(() => setSample(read()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return active ? sample : null;
}

/** The lessons built on a sample (as their page's session or in their quiz). */
function lessonsOn(sample: string | null) {
  if (!sample) return [];
  return LESSONS.filter((lesson) => lesson.sample === sample || lesson.quiz.some((q) => q.sample === sample));
}

export function SiteRoot({ analyzer }: { analyzer: () => ReactNode }) {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const onChange = () => { setHash(location.hash); if (isLessonRoute(location.hash)) window.scrollTo(0, 0); };
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  const lessons = isLessonRoute(hash);
  const related = lessonsOn(useAnalyzerSample(!lessons));
  return (
    <>
      <nav className="site-bar" aria-label="Site">
        <a href="#" aria-current={lessons ? undefined : 'page'}>Analyzer</a>
        <a href="#/lessons" aria-current={lessons ? 'page' : undefined}>Lessons</a>
        {related.length > 0 && (
          <span className="site-related">Lessons on this session:{' '}
            {related.map((lesson) => <a key={lesson.slug} href={`#/lessons/${lesson.slug}`}>{lesson.number}. {lesson.title}</a>)}
          </span>
        )}
      </nav>
      {lessons ? <Suspense fallback={<p className="muted">Loading the lessons…</p>}><Lessons route={hash} /></Suspense> : <div key={hash}>{analyzer()}</div>}
    </>
  );
}
