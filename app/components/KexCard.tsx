/**
 * The key-exchange card: the real inputs of the exchange hash H (RFC 4253 §8, RFC 5656 §4, RFC 8731 §3.1), H
 * itself, session_id and the six keys A-F (RFC 4253 §7.2), all recomputed here in the browser from the trace's own
 * inputs and ticked when they match what the session used. Edit an input and every value that depends on it is
 * recomputed and marked as changed.
 */
import { useMemo, useState } from 'react';
import type { KexRecord } from '../../engine/trace/model.ts';
import { deriveKey, findKexMethod, hashBytes, KEY_LETTERS } from '../../engine/kex/index.ts';
import { toHex } from '../lib/format.ts';

function equal(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function parseHex(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function Check({ ok, changed }: { ok: boolean; changed: boolean }) {
  if (changed) return <span className="kx-changed">changed by your edit</span>;
  return ok ? <span className="kx-ok">✓ recomputed, matches</span> : <span className="kx-bad">✗ does not match</span>;
}

export function KexCard({ kex, firstKex }: { kex: KexRecord; firstKex?: KexRecord }) {
  const [edits, setEdits] = useState<Record<string, string>>({});
  const method = kex.algorithms ? findKexMethod(kex.algorithms.kex) : undefined;
  const inputs = kex.exchangeHashInputs ?? [];
  const editedBytes = useMemo(() => inputs.map((input) => (edits[input.name] !== undefined ? parseHex(edits[input.name]) : input.encoded)), [inputs, edits]);
  const anyEdit = Object.keys(edits).length > 0;
  const invalidEdit = editedBytes.some((bytes) => bytes === null);

  const recomputed = useMemo(() => {
    if (!method || inputs.length === 0 || invalidEdit) return null;
    const H = hashBytes(method.hash, concat(editedBytes as Uint8Array[]));
    // session_id is the H of the first exchange (RFC 4253 §7.2); for the first exchange it follows an edit of H.
    const sessionId = kex.index === 0 || !firstKex ? H : firstKex.sessionId ?? kex.sessionId;
    const kInput = inputs.findIndex((input) => input.name === 'K');
    const K = kInput >= 0 ? (editedBytes[kInput] as Uint8Array) : kex.sharedSecret;
    const keys = kex.keys && K && sessionId
      ? Object.fromEntries(KEY_LETTERS.map(({ letter, name }) => [name, deriveKey(method.hash, K, H, letter, sessionId, kex.keys![name].length)]))
      : null;
    return { H, sessionId, keys };
  }, [method, inputs, editedBytes, invalidEdit, kex, firstKex]);

  return (
    <section className="kex-card card" aria-label={`Key exchange ${kex.index + 1}`}>
      <h2>Key exchange {kex.index + 1}: {kex.algorithms?.kex ?? 'not negotiated'}</h2>
      <p className="muted">
        Hash {method?.hash ?? '?'}; shared secret from {kex.secretSource ?? 'nowhere (no key log)'}; {method ? <cite>{method.spec}</cite> : null}
      </p>
      {inputs.length === 0 && <p className="warning">The exchange hash inputs are not known for this exchange (no key material).</p>}
      {inputs.length > 0 && (
        <table className="kx-inputs">
          <caption>Inputs of H, in the order they are hashed</caption>
          <thead><tr><th scope="col">input</th><th scope="col">what</th><th scope="col">bytes as hashed</th></tr></thead>
          <tbody>
            {inputs.map((input, i) => (
              <tr key={input.name} className={edits[input.name] !== undefined ? 'kx-edited' : undefined}>
                <th scope="row" className="mono">{input.name}</th>
                <td>{input.description} <span className="muted">({input.encoded.length} bytes)</span></td>
                <td>
                  <label className="sr-only" htmlFor={`kx-${kex.index}-${i}`}>{input.name} in hex</label>
                  <textarea
                    id={`kx-${kex.index}-${i}`}
                    className="mono kx-hex"
                    spellCheck={false}
                    rows={Math.min(4, Math.ceil(input.encoded.length / 32))}
                    value={edits[input.name] ?? toHex(input.encoded)}
                    aria-invalid={editedBytes[i] === null}
                    onChange={(event) => setEdits((current) => ({ ...current, [input.name]: event.target.value }))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {anyEdit && <p><button type="button" onClick={() => setEdits({})}>Undo my edits</button>{invalidEdit && <span className="error"> An edited input is not valid hex.</span>}</p>}
      <dl className="kx-values">
        <dt>H (exchange hash)</dt>
        <dd>
          <code>{kex.exchangeHash ? toHex(kex.exchangeHash) : 'unknown'}</code>{' '}
          {recomputed && kex.exchangeHash && <Check ok={equal(recomputed.H, kex.exchangeHash)} changed={anyEdit && !equal(recomputed.H, kex.exchangeHash)} />}
          {anyEdit && recomputed && !equal(recomputed.H, kex.exchangeHash) && <div><code className="kx-new">{toHex(recomputed.H)}</code></div>}
        </dd>
        <dt>session_id</dt>
        <dd>
          <code>{kex.sessionId ? toHex(kex.sessionId) : 'unknown'}</code>{' '}
          {kex.index > 0 && <span className="muted">(from the first key exchange, unchanged by a rekey)</span>}
          {recomputed?.sessionId && kex.sessionId && <Check ok={equal(recomputed.sessionId, kex.sessionId)} changed={anyEdit && !equal(recomputed.sessionId, kex.sessionId)} />}
        </dd>
        {KEY_LETTERS.map(({ letter, name, meaning }) => {
          const key = kex.keys?.[name];
          const again = recomputed?.keys?.[name];
          return (
            <div key={letter} className="kx-key">
              <dt>{letter}: {meaning}</dt>
              <dd>
                <code>{key ? (key.length ? toHex(key) : '(none: not used by this algorithm)') : 'unknown'}</code>{' '}
                {key && key.length > 0 && again && <Check ok={equal(again, key)} changed={anyEdit && !equal(again, key)} />}
              </dd>
            </div>
          );
        })}
      </dl>
      {kex.hostKey && (
        <p>
          Host key {kex.hostKey.keyType} <code>{kex.hostKey.fingerprint}</code>:{' '}
          {kex.hostKey.verified === true ? <span className="kx-ok">✓ signature over H verified</span> : kex.hostKey.verified === false ? <span className="kx-bad">✗ signature did not verify</span> : 'not checked'}{' '}
          <span className="muted">{kex.hostKey.reason}</span>
        </p>
      )}
    </section>
  );
}
