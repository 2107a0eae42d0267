/**
 * The transport's state machine drawn from the engine's own transition table (engine/endpoint/states.ts), so the
 * drawing cannot drift from the code: one box per phase, one arrow per transition that changes phase, the
 * self-transitions listed in the box, and the whole table beneath with each rule's RFC reason.
 */
import { TRANSITIONS, type Phase, type Transition } from '../../engine/endpoint/states.ts';

/** Where each phase is drawn (a layout choice; every phase and arrow comes from TRANSITIONS). */
const PLACE: Record<Phase, { x: number; y: number }> = {
  'first-kexinit': { x: 100, y: 50 }, 'first-kex': { x: 380, y: 50 }, userauth: { x: 660, y: 50 }, connection: { x: 965, y: 50 },
  'userauth-rekey': { x: 660, y: 220 }, 'connection-rekey': { x: 965, y: 220 }, closed: { x: 240, y: 220 },
};
const W = 190;
const H = 64;

function edgePoints(from: Phase, to: Phase, offset: number) {
  const a = PLACE[from];
  const b = PLACE[to];
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  // Leave the box edge, shift sideways so two opposite arrows between the same boxes do not overlap.
  const nx = -dy / len * offset;
  const ny = dx / len * offset;
  // The fraction of the centre-to-centre line that lies inside a box, plus a small gap.
  const t = Math.min(W / 2 / Math.max(Math.abs(dx), 1e-9), H / 2 / Math.max(Math.abs(dy), 1e-9)) + 4 / len;
  return { x1: a.x + dx * t + nx, y1: a.y + dy * t + ny, x2: b.x - dx * t + nx, y2: b.y - dy * t + ny };
}

/** The names of the self-transitions, three to a line so they fit in the box. */
function lines(names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < names.length; i += 3) out.push(names.slice(i, i + 3).join(', '));
  return out;
}

export function StateMachine() {
  const moves = TRANSITIONS.filter((t) => t.from !== t.to && t.on !== 'DISCONNECT');
  const stays = (phase: Phase) => TRANSITIONS.filter((t) => t.from === phase && t.to === phase);
  const disconnectFrom = TRANSITIONS.filter((t) => t.on === 'DISCONNECT').map((t) => t.from);
  const phases = Object.keys(PLACE) as Phase[];
  return (
    <figure className="lesson-figure lesson-states">
      <svg viewBox="0 0 1065 270" role="img" aria-label={`State machine of one direction of a connection: ${phases.length} phases, ${TRANSITIONS.length} rules, from engine/endpoint/states.ts`}>
        <defs>
          <marker id="sm-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="sm-head" />
          </marker>
        </defs>
        {moves.map((t: Transition) => {
          const opposite = moves.some((o) => o.from === t.to && o.to === t.from);
          const p = edgePoints(t.from, t.to, opposite ? 8 : 0);
          return (
            <g key={`${t.from}-${t.on}`} className="sm-edge">
              <title>{`${t.from} → ${t.to} on ${t.on}: ${t.why}`}</title>
              <line {...p} markerEnd="url(#sm-head)" />
              {/* Two opposite arrows: each label on the outer side of its own arrow. */}
              <text x={(p.x1 + p.x2) / 2 + (opposite ? (p.y1 < p.y2 ? -6 : 6) : 0)} y={(p.y1 + p.y2) / 2 - 4} textAnchor={opposite ? (p.y1 < p.y2 ? 'end' : 'start') : 'middle'}>{t.on}</text>
            </g>
          );
        })}
        {phases.map((phase) => (
          <g key={phase} className={`sm-node${phase === 'closed' ? ' sm-closed' : ''}`}>
            <rect x={PLACE[phase].x - W / 2} y={PLACE[phase].y - H / 2} width={W} height={H} rx={8} />
            <text x={PLACE[phase].x} y={PLACE[phase].y - 12} textAnchor="middle" className="sm-name">{phase}</text>
            {lines(stays(phase).map((t) => t.on + (t.notStrict ? '*' : ''))).map((line, i) => (
              <text key={i} x={PLACE[phase].x} y={PLACE[phase].y + 10 + i * 12} textAnchor="middle" className="sm-stays">{line}</text>
            ))}
          </g>
        ))}
      </svg>
      <figcaption className="muted">
        Drawn from <code>TRANSITIONS</code> in engine/endpoint/states.ts. Inside a box: messages that keep the phase (* only without strict kex).
        DISCONNECT leads to <code>closed</code> from {disconnectFrom.length} phases ({disconnectFrom.join(', ')}).
      </figcaption>
      <details>
        <summary>The whole table ({TRANSITIONS.length} rules)</summary>
        <table className="lesson-table">
          <thead><tr><th scope="col">from</th><th scope="col">on</th><th scope="col">to</th><th scope="col">why</th></tr></thead>
          <tbody>
            {TRANSITIONS.map((t) => (
              <tr key={`${t.from}-${t.on}`}><td className="mono">{t.from}</td><td className="mono">{t.on}{t.notStrict ? ' (not strict)' : ''}</td><td className="mono">{t.to}</td><td>{t.why}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
