/**
 * Explanations straight from the engine's message catalog (engine/messages): a message's summary, RFC section and
 * field table (describeLayout), and the binary packet's own fields (the same LAYOUT_FIELDS the layer stack uses).
 * Lessons render these instead of retyping them, so a lesson and the analyzer cannot disagree.
 */
import { Fragment, useState } from 'react';
import { describeLayout, lookupMessage, messageCatalog, type LayoutRow, type MessageContext } from '../../engine/messages/index.ts';
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

/** A nested layout with more rows than this (a host key blob: every key type, certificates too) is folded. */
const FOLD = 8;

function Row({ row }: { row: LayoutRow }) {
  return (
    <tr>
      <td className="mono">{row.type}</td>
      <td className="mono" style={{ paddingLeft: `${0.4 + row.depth}em` }}>{row.path}</td>
      <td>
        {row.doc}{row.when && <span className="muted"> (when {row.when})</span>}
        {row.values && <span className="muted"> Values: {Object.entries(row.values).map(([k, v]) => `${k} ${v}`).join(', ')}.</span>}
        {row.rfc && <> <Rfc cite={row.rfc} /></>}
      </td>
    </tr>
  );
}

/** Top-level rows, each followed by its nested rows - inline when few, folded in a <details> when many. */
function groups(rows: LayoutRow[]): { top: LayoutRow; inner: LayoutRow[] }[] {
  const out: { top: LayoutRow; inner: LayoutRow[] }[] = [];
  for (const row of rows) {
    if (row.depth === 0 || out.length === 0) out.push({ top: row, inner: [] });
    else out[out.length - 1].inner.push(row);
  }
  return out;
}

/** Nested rows behind a toggle, drawn only once opened (a host key blob has hundreds: every key type, certificates too). */
function Folded({ path, rows }: { path: string; rows: LayoutRow[] }) {
  const [open, setOpen] = useState(false);
  return (
    <tr>
      <td />
      <td colSpan={2}>
        <details onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>{rows.length} fields inside <code>{path}</code>, depending on its type</summary>
          {open && <table className="lesson-table"><tbody>{rows.map((row, j) => <Row key={`${row.path}-${j}`} row={row} />)}</tbody></table>}
        </details>
      </td>
    </tr>
  );
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
        {groups(rows).map(({ top, inner }, i) => (
          <Fragment key={`${top.path}-${i}`}>
            <Row row={top} />
            {inner.length <= FOLD ? inner.map((row, j) => <Row key={`${row.path}-${j}`} row={row} />) : <Folded path={top.path} rows={inner} />}
          </Fragment>
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
