/**
 * The session overview: endpoints, both identification strings, and per key exchange the negotiated algorithm of
 * every slot (client list, server list, winner and why; RFC 4253 §7.1), strict kex, the host key and whether its
 * signature verified, then warnings (Terrapin exposure, weak algorithms) and the problems found while decoding.
 */
import type { SessionRecord } from '../../engine/trace/model.ts';
import { kexWarnings } from '../lib/warnings.ts';
import { InertText } from './InertText.tsx';

function NameList({ names, chosen }: { names: string[]; chosen: string | null }) {
  return (
    <ol className="namelist">
      {names.map((name, i) => (
        <li key={`${i}-${name}`} className={name === chosen ? 'chosen' : undefined}>
          <InertText text={name} />{name === chosen && <span className="sr-only"> (chosen)</span>}
        </li>
      ))}
    </ol>
  );
}

export function SessionOverview({ session }: { session: SessionRecord }) {
  const { client, server } = session.identification;
  return (
    <section className="overview card" aria-label="Session overview">
      <h2>
        Session {session.id}: {session.client.address}:{session.client.port} → {session.server.address}:{session.server.port}
      </h2>
      <dl className="ov-ids">
        <dt>Client</dt><dd className="mono">{client ? <InertText text={client.line} /> : 'no identification line seen'}</dd>
        <dt>Server</dt>
        <dd className="mono">
          {server ? <InertText text={server.line} /> : 'no identification line seen'}
          {server?.preamble.map((line, i) => <div key={i} className="muted">before it: <InertText text={line} /></div>)}
        </dd>
      </dl>
      {session.kex.map((kex) => {
        const warnings = kexWarnings(kex);
        return (
          <section key={kex.index} className="ov-kex" aria-label={`Negotiation of key exchange ${kex.index + 1}`}>
            <h3>
              Key exchange {kex.index + 1}{kex.index > 0 ? ' (rekey)' : ''}: strict kex{' '}
              <strong>{kex.strict ? 'on' : 'off'}</strong>
              {kex.hostKey && (
                <>; host key {kex.hostKey.keyType} <code>{kex.hostKey.fingerprint}</code>{' '}
                  {kex.hostKey.verified === true ? <span className="kx-ok">✓ verified</span> : kex.hostKey.verified === false ? <span className="kx-bad">✗ not verified</span> : <span className="muted">(not checked)</span>}
                </>
              )}
            </h3>
            {warnings.map((warning, i) => (
              <p key={i} className={warning.severity === 'error' ? 'error' : 'warning'} role={warning.severity === 'error' ? 'alert' : undefined}>
                <strong>{warning.severity === 'error' ? 'Error' : 'Warning'}:</strong> {warning.text} <cite>{warning.ref}</cite>
              </p>
            ))}
            <table className="ov-negotiation">
              <caption className="sr-only">Negotiated algorithms, slot by slot</caption>
              <thead>
                <tr><th scope="col">slot</th><th scope="col">client offers</th><th scope="col">server offers</th><th scope="col">chosen</th><th scope="col">why</th></tr>
              </thead>
              <tbody>
                {kex.negotiation.map((slot) => (
                  <tr key={slot.slot}>
                    <th scope="row">{slot.slot}</th>
                    <td><NameList names={slot.client} chosen={slot.chosen} /></td>
                    <td><NameList names={slot.server} chosen={slot.chosen} /></td>
                    <td className="mono"><strong>{slot.chosen === null ? 'none: no match' : <InertText text={slot.chosen} />}</strong></td>
                    <td className="muted">{slot.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      {session.problems.length > 0 && (
        <section aria-label="Problems">
          <h3>Problems found while decoding</h3>
          {session.problems.map((problem, i) => (
            <p key={i} className={problem.severity === 'error' ? 'error' : 'warning'}>
              <strong>{problem.code}</strong>{problem.packet !== undefined ? ` (message ${problem.packet})` : ''}: <InertText text={problem.message} />
            </p>
          ))}
        </section>
      )}
    </section>
  );
}
