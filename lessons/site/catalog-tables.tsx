/**
 * Explanations straight from the engine's message catalog (engine/messages): a message's summary, RFC section and
 * field table (describeLayout), and the binary packet's own fields (the same LAYOUT_FIELDS the layer stack uses).
 * Lessons render these instead of retyping them, so a lesson and the analyzer cannot disagree.
 */
import { describeLayout, lookupMessage, messageCatalog, type MessageContext } from '../../engine/messages/index.ts';
import { LAYOUT_FIELDS } from '../../app/lib/layers.ts';
import { Rfc } from './rfc.tsx';

function entryNamed(name: string, context?: MessageContext) {
  const byName = messageCatalog.filter((entry) => entry.name === name);
  const entry = context ? byName.find((e) => lookupMessage(e.number, context) === e) ?? byName[0] : byName[0];
  if (!entry) throw new Error(`the message catalog has no ${name}`);
  return entry;
}

/** One line from the catalog: what the message does, and where it is specified. */
export function MessageSummary({ name, context }: { name: string; context?: MessageContext }) {
  const entry = entryNamed(name, context);
  return <span className="lesson-summary"><code>{entry.name}</code> ({entry.number}): {entry.summary} <Rfc cite={entry.rfc} /></span>;
}

export function MessageTable({ name, context }: { name: string; context?: MessageContext }) {
  const entry = entryNamed(name, context);
  const rows = describeLayout(entry.layout);
  return (
    <table className="lesson-table" data-catalog={entry.name}>
      <caption><code>{entry.name}</code> = {entry.number}: {entry.summary} <Rfc cite={entry.rfc} /></caption>
      <thead><tr><th scope="col">type</th><th scope="col">field</th><th scope="col">meaning</th></tr></thead>
      <tbody>
        <tr><td className="mono">byte</td><td className="mono">message_number</td><td>{entry.number} for {entry.name}</td></tr>
        {rows.map((row, i) => (
          <tr key={`${row.path}-${i}`}>
            <td className="mono">{row.type}</td>
            <td className="mono" style={{ paddingLeft: `${0.4 + row.depth}em` }}>{row.path}</td>
            <td>
              {row.doc}{row.when && <span className="muted"> (when {row.when})</span>}
              {row.values && <span className="muted"> Values: {Object.entries(row.values).map(([k, v]) => `${k} ${v}`).join(', ')}.</span>}
              {row.rfc && <> <Rfc cite={row.rfc} /></>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PacketTable() {
  return (
    <table className="lesson-table" data-catalog="binary-packet">
      <caption>The binary packet <Rfc cite="RFC 4253 §6" /></caption>
      <thead><tr><th scope="col">field</th><th scope="col">meaning</th></tr></thead>
      <tbody>
        {LAYOUT_FIELDS.map((field) => (
          <tr key={field.label}><td className="mono">{field.label}</td><td>{field.doc} <Rfc cite={field.rfc} /></td></tr>
        ))}
      </tbody>
    </table>
  );
}
