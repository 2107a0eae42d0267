/** Shows a string from the wire inert: control and bidi characters appear as marked escapes, never take effect. */
import { inertSegments } from '../lib/inert.ts';

export function InertText({ text, max }: { text: string; max?: number }) {
  const segments = inertSegments(text, max);
  return (
    // <bdi> isolates the text from its surroundings; escapes are spans with a title naming the character.
    <bdi className="inert">
      {segments.map((segment, i) =>
        segment.kind === 'text'
          ? <span key={i}>{segment.text}</span>
          : <abbr key={i} className="esc" title={segment.title}>{segment.text}</abbr>,
      )}
    </bdi>
  );
}
