/**
 * @module kex/negotiate
 * Algorithm negotiation of two KEXINITs, RFC 4253 §7.1: for each of the eight slots the winner is the first
 * algorithm in the client's list that the server also lists, and the kex slot must also leave a host key algorithm
 * both sides support. Every slot comes back with both lists, the winner and the reason in words. Also read from
 * the KEXINITs: the pseudo-algorithms that never win (RFC 8308 ext-info-c/-s, OpenSSH's kex-strict markers), strict
 * kex (draft-miller-sshm-strict-kex: only the first KEXINITs count), and whether a first_kex_packet_follows guess
 * was right (RFC 4253 §7).
 */
import { CIPHER_ALGORITHMS } from '../crypto/ciphers.ts';

/** The ten name-lists and the guess flag of SSH_MSG_KEXINIT (RFC 4253 §7.1), with the RFC's field names. */
export interface KexInitProposal {
  kex_algorithms: readonly string[];
  server_host_key_algorithms: readonly string[];
  encryption_algorithms_client_to_server: readonly string[];
  encryption_algorithms_server_to_client: readonly string[];
  mac_algorithms_client_to_server: readonly string[];
  mac_algorithms_server_to_client: readonly string[];
  compression_algorithms_client_to_server: readonly string[];
  compression_algorithms_server_to_client: readonly string[];
  languages_client_to_server: readonly string[];
  languages_server_to_client: readonly string[];
  first_kex_packet_follows: boolean;
}

export type SlotName =
  | 'kex' | 'hostKey'
  | 'cipherClientToServer' | 'cipherServerToClient'
  | 'macClientToServer' | 'macServerToClient'
  | 'compressionClientToServer' | 'compressionServerToClient';

/** The eight negotiated slots, declared once: which KEXINIT field each reads. */
export const SLOTS: readonly { slot: SlotName; field: keyof KexInitProposal; label: string }[] = [
  { slot: 'kex', field: 'kex_algorithms', label: 'key exchange' },
  { slot: 'hostKey', field: 'server_host_key_algorithms', label: 'host key' },
  { slot: 'cipherClientToServer', field: 'encryption_algorithms_client_to_server', label: 'cipher, client to server' },
  { slot: 'cipherServerToClient', field: 'encryption_algorithms_server_to_client', label: 'cipher, server to client' },
  { slot: 'macClientToServer', field: 'mac_algorithms_client_to_server', label: 'MAC, client to server' },
  { slot: 'macServerToClient', field: 'mac_algorithms_server_to_client', label: 'MAC, server to client' },
  { slot: 'compressionClientToServer', field: 'compression_algorithms_client_to_server', label: 'compression, client to server' },
  { slot: 'compressionServerToClient', field: 'compression_algorithms_server_to_client', label: 'compression, server to client' },
];

/**
 * Dropbear's marker (Dropbear CHANGES 2013.57, common-algo.c buf_match_algo): when both KEXINITs list it, a guessed kex
 * packet is right whenever the negotiated kex and host key algorithms are the first of the client's lists, whatever
 * the server prefers - not only when both sides' first entries agree as RFC 4253 §7 says.
 */
export const KEXGUESS2 = 'kexguess2@matt.ucc.asn.au';

/** Names that signal a capability in kex_algorithms and are never negotiated. */
export const PSEUDO_ALGORITHMS: Readonly<Record<string, string>> = {
  'ext-info-c': 'RFC 8308 §2.1: the client accepts SSH_MSG_EXT_INFO',
  'ext-info-s': 'RFC 8308 §2.1: the server accepts SSH_MSG_EXT_INFO',
  'kex-strict-c-v00@openssh.com': 'strict kex offered by the client (OpenSSH PROTOCOL, Terrapin countermeasure)',
  'kex-strict-s-v00@openssh.com': 'strict kex offered by the server (OpenSSH PROTOCOL, Terrapin countermeasure)',
  [KEXGUESS2]: 'Dropbear: a first_kex_packet_follows guess is right when the client\'s first kex and host key algorithms win (Dropbear CHANGES 2013.57)',
};

/**
 * Ciphers whose own tag authenticates the packet, so the MAC slot is ignored (OpenSSH PROTOCOL §1.6, RFC 5647 §5.1):
 * the AEAD entries of the cipher registry (chacha20-poly1305@openssh.com, aes128/256-gcm@openssh.com).
 */
export const DEFAULT_AEAD_CIPHERS: readonly string[] = CIPHER_ALGORITHMS.filter((c) => c.aead).map((c) => c.name);

export interface SlotOutcome {
  slot: SlotName;
  field: keyof KexInitProposal;
  label: string;
  client: readonly string[];
  server: readonly string[];
  /** null when nothing was agreed, or when the slot is ignored (a MAC beside an AEAD cipher). */
  winner: string | null;
  /** True for a MAC slot that does not matter because the cipher of that direction is AEAD. */
  ignored: boolean;
  reason: string;
}

export interface GuessOutcome {
  /** Whether this side set first_kex_packet_follows. */
  sent: boolean;
  /** RFC 4253 §7: right when both sides prefer the same kex and host key algorithms (and negotiation succeeds). */
  right: boolean;
  reason: string;
}

export interface Negotiation {
  slots: SlotOutcome[];
  /** True when every slot that matters has a winner. */
  ok: boolean;
  winners: Record<SlotName, string | null>;
  strictKex: boolean;
  strictKexReason: string;
  /** ext-info-c / ext-info-s as listed in these KEXINITs (RFC 8308 §2.1: they matter only in the first ones). */
  extInfo: { client: boolean; server: boolean };
  guess: { client: GuessOutcome; server: GuessOutcome };
  languages: { clientToServer: { client: readonly string[]; server: readonly string[] }; serverToClient: { client: readonly string[]; server: readonly string[] } };
}

export interface NegotiateOptions {
  /** Cipher names that are AEAD (default {@link DEFAULT_AEAD_CIPHERS}); pass the cipher registry's view. */
  isAeadCipher?: (name: string) => boolean;
  /**
   * For a rekey: whether strict kex was on after the first key exchange. Omit it for the first KEXINITs; given, it is
   * kept as is and the markers in these KEXINITs are ignored.
   */
  strictKexFromFirstKex?: boolean;
}

const isPseudo = (name: string) => name in PSEUDO_ALGORITHMS;
const real = (list: readonly string[]) => list.filter((n) => !isPseudo(n));

/** RFC 4253 §7.1 negotiation of two KEXINITs. */
export function negotiate(client: KexInitProposal, server: KexInitProposal, options: NegotiateOptions = {}): Negotiation {
  const isAead = options.isAeadCipher ?? ((n: string) => DEFAULT_AEAD_CIPHERS.includes(n));
  const winners = {} as Record<SlotName, string | null>;
  const slots: SlotOutcome[] = [];
  for (const spec of SLOTS) {
    const c = client[spec.field] as readonly string[];
    const s = server[spec.field] as readonly string[];
    let outcome: { winner: string | null; reason: string; ignored?: boolean };
    if (spec.slot === 'kex') outcome = chooseKex(client, server);
    else if (spec.slot === 'macClientToServer' || spec.slot === 'macServerToClient') {
      const cipher = winners[spec.slot === 'macClientToServer' ? 'cipherClientToServer' : 'cipherServerToClient'];
      outcome = cipher !== null && isAead(cipher)
        ? { winner: null, ignored: true, reason: `MAC ignored: ${cipher} is an AEAD cipher` }
        : firstCommon(c, s);
    } else outcome = firstCommon(c, s);
    winners[spec.slot] = outcome.winner;
    // Fields named one by one: spreading `spec` here cost more than the whole negotiation (V8 clones it slowly).
    slots.push({ slot: spec.slot, field: spec.field, label: spec.label, client: c, server: s, winner: outcome.winner, ignored: outcome.ignored ?? false, reason: outcome.reason });
  }
  const ok = slots.every((s) => s.winner !== null || s.ignored);

  let strictKex: boolean;
  let strictKexReason: string;
  if (options.strictKexFromFirstKex !== undefined) {
    strictKex = options.strictKexFromFirstKex;
    strictKexReason = `strict kex is ${strictKex ? 'on' : 'off'} as decided by the first key exchange; markers in later KEXINITs mean nothing`;
  } else {
    const c = client.kex_algorithms.includes('kex-strict-c-v00@openssh.com');
    const s = server.kex_algorithms.includes('kex-strict-s-v00@openssh.com');
    strictKex = c && s;
    strictKexReason = strictKex
      ? 'on: the client lists kex-strict-c-v00@openssh.com and the server kex-strict-s-v00@openssh.com; sequence numbers reset at every NEWKEYS'
      : `off: ${!c && !s ? 'neither side' : c ? 'the server does not' : 'the client does not'} signal strict kex`;
  }

  return {
    slots,
    ok,
    winners,
    strictKex,
    strictKexReason,
    extInfo: { client: client.kex_algorithms.includes('ext-info-c'), server: server.kex_algorithms.includes('ext-info-s') },
    guess: {
      client: guessOutcome(client, server, ok, kexguess2(client, server, winners)),
      server: guessOutcome(server, client, ok, kexguess2(client, server, winners)),
    },
    languages: {
      clientToServer: { client: client.languages_client_to_server, server: server.languages_client_to_server },
      serverToClient: { client: client.languages_server_to_client, server: server.languages_server_to_client },
    },
  };
}

function firstCommon(client: readonly string[], server: readonly string[]): { winner: string | null; reason: string } {
  const winner = real(client).find((n) => server.includes(n)) ?? null;
  if (winner !== null) return { winner, reason: "first in the client's list that the server also lists" };
  return { winner: null, reason: noCommon(client, server) };
}

/**
 * RFC 4253 §7.1 kex rule: the first client kex method the server also lists, provided some host key algorithm both
 * sides list can serve it. Every SSH kex method here needs a signature-capable host key, and every host key
 * algorithm in use is one.
 */
function chooseKex(client: KexInitProposal, server: KexInitProposal): { winner: string | null; reason: string } {
  const hostKeyCommon = real(client.server_host_key_algorithms).some((n) => server.server_host_key_algorithms.includes(n));
  const candidates = real(client.kex_algorithms).filter((n) => server.kex_algorithms.includes(n));
  if (candidates.length === 0) return { winner: null, reason: noCommon(client.kex_algorithms, server.kex_algorithms) };
  if (!hostKeyCommon) {
    return { winner: null, reason: `no kex method fits: ${candidates[0]} is common but it needs a signature-capable host key algorithm that both sides list, and there is none` };
  }
  return { winner: candidates[0], reason: "first in the client's list that the server also lists, with a host key algorithm both sides support" };
}

function noCommon(client: readonly string[], server: readonly string[]): string {
  const show = (l: readonly string[]) => (real(l).length ? real(l).join(',') : '(empty)');
  return `no common algorithm: the client offers ${show(client)}; the server offers ${show(server)}`;
}

/** With kexguess2 on both sides: the winners, when they are the client's first kex and host key algorithms. */
function kexguess2(client: KexInitProposal, server: KexInitProposal, winners: Record<SlotName, string | null>): { kex: string; hostKey: string } | null | undefined {
  if (!client.kex_algorithms.includes(KEXGUESS2) || !server.kex_algorithms.includes(KEXGUESS2)) return undefined;
  const firstKex = real(client.kex_algorithms)[0];
  const firstHostKey = client.server_host_key_algorithms[0];
  return winners.kex === firstKex && winners.hostKey === firstHostKey ? { kex: firstKex, hostKey: firstHostKey } : null;
}

/**
 * RFC 4253 §7: a guess is right when both sides prefer the same kex and host key algorithms. With Dropbear's kexguess2
 * on both sides (`guess2` not undefined) it is right when the client's first choices won and the guesser guessed them.
 */
function guessOutcome(guesser: KexInitProposal, other: KexInitProposal, ok: boolean, guess2?: { kex: string; hostKey: string } | null): GuessOutcome {
  if (!guesser.first_kex_packet_follows) return { sent: false, right: false, reason: 'no guessed packet follows' };
  const kexA = real(guesser.kex_algorithms)[0];
  const kexB = real(other.kex_algorithms)[0];
  const hkA = guesser.server_host_key_algorithms[0];
  const hkB = other.server_host_key_algorithms[0];
  if (guess2 !== undefined) {
    if (ok && guess2 && guess2.kex === kexA && guess2.hostKey === hkA) {
      return { sent: true, right: true, reason: `right guess (${KEXGUESS2}): ${kexA} with ${hkA}, the client's first choices, won the negotiation` };
    }
    return { sent: true, right: false, reason: `wrong guess (${KEXGUESS2}): the guessed ${kexA} with ${hkA} is not what the negotiation chose; the guessed packet is ignored` };
  }
  if (kexA !== kexB) return { sent: true, right: false, reason: `wrong guess: preferred kex methods differ (${kexA} vs ${kexB}); the guessed packet is ignored` };
  if (hkA !== hkB) return { sent: true, right: false, reason: `wrong guess: preferred host key algorithms differ (${hkA} vs ${hkB}); the guessed packet is ignored` };
  if (!ok) return { sent: true, right: false, reason: 'wrong guess: negotiation failed for another slot' };
  return { sent: true, right: true, reason: `right guess: both sides prefer ${kexA} with ${hkA}` };
}
