/**
 * The analyzer's own components, bound to the lesson's <Sample>: lessons embed these, never copies of them, so a
 * lesson shows exactly what the analyzer shows. Also the deep link into the analyzer (its URL state, app/lib/url.ts).
 */
import type { ReactNode } from 'react';
import { LadderDiagram } from '../../app/components/LadderDiagram.tsx';
import { LayerStack } from '../../app/components/LayerStack.tsx';
import { MessageList } from '../../app/components/MessageList.tsx';
import { SessionOverview } from '../../app/components/SessionOverview.tsx';
import { KexCard } from '../../app/components/KexCard.tsx';
import { Channels as ChannelsView } from '../../app/components/Channels.tsx';
import { useSelection } from '../../app/state/selection.tsx';
import { formatLink } from '../../app/lib/url.ts';
import type { Phase } from '../../app/lib/phases.ts';
import { InertText } from '../../app/components/InertText.tsx';
import { SIMULATIONS } from '../../app/simulations.ts';
import { useSample } from './sample.tsx';
import { pickPacket, type PacketPick } from '../quiz.ts';

export function Ladder({ phase }: { phase?: Phase }) {
  const { session, name } = useSample();
  return <figure className="lesson-figure"><LadderDiagram session={session} focusPhase={phase} label={`Ladder diagram of the ${name} sample${phase ? `, ${phase} phase` : ''}`} /></figure>;
}

export function Messages() {
  const { session } = useSample();
  return <MessageList session={session} />;
}

/** The layer stack of the selected message (or of `packet`). */
export function Layers({ packet, annotate = false }: { packet?: PacketPick; annotate?: boolean }) {
  const { session, name } = useSample();
  const { selection } = useSelection();
  const index = packet ? pickPacket(session, packet) : selection.message;
  if (index === null) return <p className="muted">Select a message above to see its layers.</p>;
  // Named by its sample and message, so the several stacks of one lesson page are distinct landmarks.
  return <LayerStack session={session} packetIndex={index} annotate={annotate} label={`Layers of message ${index} of the ${name} sample`} />;
}

export function Negotiation() {
  const { session } = useSample();
  return <SessionOverview session={session} />;
}

export function KeyExchange({ index = 0 }: { index?: number }) {
  const { session } = useSample();
  const kex = session.kex[index];
  return kex ? <KexCard kex={kex} firstKex={session.kex[0]} /> : <p className="warning">This session has no key exchange {index + 1}.</p>;
}

export function Channels() {
  const { session } = useSample();
  return <ChannelsView session={session} />;
}

/** A link that opens this sample in the analyzer at a message (and field). */
export function OpenInAnalyzer({ packet, field, children }: { packet?: PacketPick; field?: string; children?: ReactNode }) {
  const { name, session } = useSample();
  const message = packet ? pickPacket(session, packet) : null;
  const href = formatLink({ sample: name, session: 0, message, layer: field ? 'fields' : null, field: field ?? null });
  return <a className="lesson-analyzer-link" href={href}>{children ?? `Open ${name} in the analyzer`} ↗</a>;
}

/** Both identification lines (RFC 4253 §4.2), split into their parts, with their size on the wire. */
export function Identification() {
  const { session } = useSample();
  return (
    <table className="lesson-table" aria-label="Identification lines">
      <thead><tr><th scope="col">side</th><th scope="col">line (V_C / V_S)</th><th scope="col">protoversion</th><th scope="col">softwareversion</th><th scope="col">comments</th><th scope="col">bytes on the wire</th></tr></thead>
      <tbody>
        {(['client', 'server'] as const).map((side) => {
          const id = session.identification[side];
          if (!id) return <tr key={side}><th scope="row">{side}</th><td colSpan={5}>not seen</td></tr>;
          return (
            <tr key={side}>
              <th scope="row" className={`dir-${side}`}>{side}</th>
              <td className="mono"><InertText text={id.line} /><span className="muted">␍␊</span></td>
              <td className="mono">{id.protoVersion}</td>
              <td className="mono"><InertText text={id.softwareVersion} /></td>
              <td className="mono">{id.comments ? <InertText text={id.comments} /> : <span className="muted">none</span>}</td>
              <td>{id.stream.end - id.stream.start} (stream bytes {id.stream.start} to {id.stream.end - 1}, frame {id.frames.join(', ')})</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** A link that runs one of the analyzer's simulation presets (app/simulations.ts) step by step, from the first step. */
export function OpenSimulation({ id, children }: { id: string; children?: ReactNode }) {
  const preset = SIMULATIONS.find((s) => s.id === id);
  if (!preset) throw new Error(`the analyzer has no simulation "${id}"`);
  const href = formatLink({ sim: id, seed: 1, step: 0, session: 0, message: null, layer: null, field: null });
  return <a className="lesson-analyzer-link lesson-simulation-link" href={href}>{children ?? preset.title} ↗</a>;
}
