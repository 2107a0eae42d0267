/**
 * The lessons part of the site: the index (`#/lessons`) and one page per lesson (`#/lessons/<slug>`), with
 * previous/next links and a way back to the analyzer. Hash routes keep the site working from any static folder.
 */
import { lazy, Suspense, useMemo } from 'react';
import type { MDXComponents } from 'mdx/types';
import { LESSONS, lessonBySlug, type Lesson } from '../catalog.ts';
import { PAGES } from '../pages.ts';
import { Sample } from './sample.tsx';
import { Channels, Identification, KeyExchange, Ladder, Layers, Messages, Negotiation, OpenInAnalyzer, OpenSimulation } from './embeds.tsx';
import { MessageSummary, MessageTable, PacketTable } from './catalog-tables.tsx';
import { StateMachine } from './StateMachine.tsx';
import { LessonContext, Quiz } from './Quiz.tsx';
import { Rfc } from './rfc.tsx';
import './lessons.css';

/** What an MDX lesson may use without importing it. */
const components = {
  Sample, Ladder, Messages, Layers, Negotiation, KeyExchange, Channels, OpenInAnalyzer, OpenSimulation, Identification,
  MessageSummary, MessageTable, PacketTable, StateMachine, Quiz, Rfc,
} as unknown as MDXComponents;

export const lessonHref = (lesson: Lesson) => `#/lessons/${lesson.slug}`;
export const written = (lesson: Lesson) => lesson.slug in PAGES;

export function Lessons({ route }: { route: string }) {
  const slug = route.replace(/^#\/lessons\/?/, '').split(/[?#]/)[0];
  const lesson = slug ? lessonBySlug(slug) : undefined;
  return (
    <div className="lessons">
      {lesson && written(lesson) ? <LessonPage key={lesson.slug} lesson={lesson} /> : <Index missing={slug && !lesson ? slug : null} />}
    </div>
  );
}

function Index({ missing }: { missing: string | null }) {
  return (
    <main className="lesson-index">
      <h1>Learn SSH from real bytes</h1>
      {missing && <p className="warning">There is no lesson called “{missing}”.</p>}
      <p>
        Fifteen lessons, each built on a real SSH session recorded against OpenSSH and decoded here in your browser. Every
        field is explained from the same catalog the analyzer uses, and every quiz is checked against the bytes.
      </p>
      <ol className="lesson-list">
        {LESSONS.map((lesson) => (
          <li key={lesson.slug}>
            {written(lesson) ? <a href={lessonHref(lesson)}>{lesson.title}</a> : <span className="muted">{lesson.title} (not written yet)</span>}
            <span className="muted"> - {lesson.rfcs.join(', ')}</span>
          </li>
        ))}
      </ol>
    </main>
  );
}

function LessonPage({ lesson }: { lesson: Lesson }) {
  const Page = useMemo(() => lazy(PAGES[lesson.slug]), [lesson.slug]);
  const done = LESSONS.filter(written);
  const at = done.indexOf(lesson);
  const previous = done[at - 1];
  const next = done[at + 1];
  return (
    <LessonContext.Provider value={lesson}>
      <main className="lesson" data-lesson={lesson.slug}>
        <p className="lesson-crumbs"><a href="#/lessons">Lessons</a> › Lesson {lesson.number}</p>
        <h1>{lesson.number}. {lesson.title}</h1>
        <Suspense fallback={<p className="muted">Loading the lesson…</p>}>
          <article className="lesson-body"><Page components={components} /></article>
        </Suspense>
        <nav className="lesson-nav" aria-label="Lesson navigation">
          {previous ? <a href={lessonHref(previous)}>← {previous.number}. {previous.title}</a> : <span />}
          {next ? <a href={lessonHref(next)}>{next.number}. {next.title} →</a> : <a href="#/lessons">All lessons</a>}
        </nav>
      </main>
    </LessonContext.Provider>
  );
}
