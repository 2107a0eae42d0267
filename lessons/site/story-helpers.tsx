/**
 * Story helpers for the lesson components: a bundled sample from traces/ decoded by the analyzer's own worker (the
 * cache the lesson pages use, so a story sees exactly what a page sees), a lesson to put a quiz in, and answering a
 * quiz question the way a student does - a click or the keyboard on a byte, a typed number, a chosen name.
 */
import type { ReactNode } from 'react';
import { userEvent, waitFor, within } from 'storybook/test';
import type { SessionRecord, Trace } from '../../engine/trace/model.ts';
import { lessonBySlug, type Lesson } from '../catalog.ts';
import type { Answer, Question } from '../quiz.ts';
import { LessonContext } from './Quiz.tsx';
import { loadTrace } from './sample.tsx';

/** A Storybook loader: `loaded.traces[name]` for each bundled sample named, decoded before the story renders. */
export const loadSamples = (...names: string[]) => async () => ({
  traces: Object.fromEntries(await Promise.all(names.map(async (name) => [name, await loadTrace(name)] as const))) as Record<string, Trace>,
});

/** The first session of a sample loaded by `loadSamples`. */
export const sessionOf = (loaded: Record<string, unknown>, name: string): SessionRecord => (loaded.traces as Record<string, Trace>)[name].sessions[0];

export function lesson(slug: string): Lesson {
  const found = lessonBySlug(slug);
  if (!found) throw new Error(`no lesson ${slug}`);
  return found;
}

/** What a lesson page provides to a <Quiz />. */
export function InLesson({ slug, children }: { slug: string; children: ReactNode }) {
  return <LessonContext.Provider value={lesson(slug)}>{children}</LessonContext.Provider>;
}

/** The box of one question, once its sample is decoded. */
export async function questionBox(canvasElement: HTMLElement, id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const box = canvasElement.querySelector<HTMLElement>(`[data-quiz="${id}"]`);
    if (!box) throw new Error(`question ${id} is not shown yet`);
    return box;
  }, { timeout: 20_000 });
}

/** Gives an answer with the mouse and the keyboard, and returns the verdict line (role status). */
export async function giveAnswer(box: HTMLElement, answer: Answer): Promise<HTMLElement> {
  const question = within(box);
  if (answer.kind === 'byte') {
    // The hex view is windowed: bring the byte's row into view, then click it.
    const scroller = box.querySelector<HTMLElement>('.hx-scroll')!;
    scroller.scrollTop = Math.floor(answer.offset / 16) * 20;
    scroller.dispatchEvent(new Event('scroll'));
    const byte = await waitFor(() => {
      const found = box.querySelector<HTMLElement>(`.hx-bytes [data-offset="${answer.offset}"]`);
      if (!found) throw new Error(`byte ${answer.offset} is not drawn`);
      return found;
    });
    await userEvent.click(byte);
  } else if (answer.kind === 'number') {
    const input = question.getByLabelText('Your answer');
    await userEvent.clear(input);
    await userEvent.type(input, String(answer.value));
    await userEvent.click(question.getByRole('button', { name: 'Check' }));
  } else {
    await userEvent.click(question.getByRole('radio', { name: answer.value }));
  }
  return question.getByRole('status');
}

export type { Question };
