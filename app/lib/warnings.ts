/**
 * What the session overview warns about: exposure to prefix truncation (Terrapin, CVE-2023-48795: strict kex off
 * while chacha20-poly1305 or an EtM MAC is negotiated), algorithms the RFCs retire, and host keys that did not verify.
 */
import type { KexRecord } from '../../engine/trace/model.ts';

export interface Warning {
  severity: 'warning' | 'error' | 'info';
  text: string;
  /** Where the advice comes from. */
  ref: string;
}

/** Algorithms the IETF has moved to SHOULD NOT / MUST NOT, and why. */
const WEAK: Record<string, { why: string; ref: string }> = {
  'diffie-hellman-group1-sha1': { why: '1024-bit group with SHA-1', ref: 'RFC 9142 §4' },
  'diffie-hellman-group14-sha1': { why: 'SHA-1 exchange hash', ref: 'RFC 9142 §4' },
  'diffie-hellman-group-exchange-sha1': { why: 'SHA-1 exchange hash', ref: 'RFC 9142 §4' },
  'ssh-rsa': { why: 'RSA signatures with SHA-1', ref: 'RFC 8332 §3' },
  'ssh-dss': { why: '1024-bit DSA with SHA-1', ref: 'RFC 9142 §3' },
  '3des-cbc': { why: '64-bit block cipher', ref: 'RFC 4253 §6.3' },
  'blowfish-cbc': { why: '64-bit block cipher', ref: 'RFC 4253 §6.3' },
  'arcfour': { why: 'RC4 is broken', ref: 'RFC 8758' },
  'arcfour128': { why: 'RC4 is broken', ref: 'RFC 8758' },
  'arcfour256': { why: 'RC4 is broken', ref: 'RFC 8758' },
  'hmac-md5': { why: 'MD5', ref: 'RFC 4253 §6.4' },
  'hmac-md5-96': { why: 'MD5, truncated tag', ref: 'RFC 4253 §6.4' },
  'hmac-sha1-96': { why: 'truncated SHA-1 tag', ref: 'RFC 4253 §6.4' },
};

export function isTerrapinExposed(kex: KexRecord): boolean {
  const a = kex.algorithms;
  if (!a || kex.strict) return false;
  const chacha = [a.cipherClientToServer, a.cipherServerToClient].some((c) => c.startsWith('chacha20-poly1305'));
  const etm = [a.macClientToServer, a.macServerToClient].some((m) => m !== null && m.endsWith('-etm@openssh.com'));
  return chacha || etm;
}

export function kexWarnings(kex: KexRecord): Warning[] {
  const out: Warning[] = [];
  if (isTerrapinExposed(kex)) {
    out.push({
      severity: 'warning',
      text: 'Exposed to prefix truncation (Terrapin, CVE-2023-48795): strict kex is off, and chacha20-poly1305 or an ' +
        'EtM MAC is in use, so an attacker on the path could delete messages at the start of the encrypted session ' +
        'by shifting sequence numbers.',
      ref: 'draft-miller-sshm-strict-kex',
    });
  }
  const a = kex.algorithms;
  if (a) {
    const used = new Set([a.kex, a.hostKey, a.cipherClientToServer, a.cipherServerToClient, a.macClientToServer, a.macServerToClient]);
    for (const name of used) {
      const weak = name ? WEAK[name] : undefined;
      if (weak) out.push({ severity: 'warning', text: `Weak algorithm negotiated: ${name} (${weak.why}).`, ref: weak.ref });
    }
  }
  if (kex.hostKey && kex.hostKey.verified === false) {
    out.push({ severity: 'error', text: `The host key signature over H did not verify: ${kex.hostKey.reason}`, ref: 'RFC 4253 §8' });
  }
  return out;
}
