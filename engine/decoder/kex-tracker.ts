/**
 * @module decoder/kex-tracker
 * Follows one key exchange through a session's messages and, given a key-log secret, recomputes everything: the
 * negotiated algorithms (RFC 4253 §7.1), K, the exchange hash H with its named inputs (RFC 4253 §8 and the method's
 * RFC), the host key signature over H, and the six derived keys (RFC 4253 §7.2).
 *
 * A wrong secret gives a wrong H, so the host key signature is the check that a key-log line belongs to this
 * exchange: each candidate line is tried until one verifies.
 */
import { verifyHostKeySignature } from '../crypto/hostkey.ts';
import {
  deriveKeys, exchangeHash, findKexMethod, negotiate, sharedSecretFromKeyLog,
  type KexInitProposal, type KexMethod, type Negotiation, type NegotiateOptions, type SharedSecret, type KeySizes, type GexParameters,
} from '../kex/index.ts';
import { toHex } from '../wire/index.ts';
import type { DerivedKeys, KexRecord, Problem } from '../trace/model.ts';

/** A key-log line that may hold this exchange's secret. */
export interface KeyLogCandidate {
  /** Whose KEXINIT cookie the line names. */
  cookieSide: 'client' | 'server';
  kind: 'PRIVATE_KEY' | 'SHARED_SECRET';
  secret: Uint8Array;
  /** Where the line came from, for the trace: e.g. `keys.log line 3`. */
  source: string;
}

export interface KeyLogLookup {
  /** Key-log lines whose cookie is `cookieHex` (lower-case hex). */
  byCookie(cookieHex: string): { kind: 'PRIVATE_KEY' | 'SHARED_SECRET'; secret: Uint8Array; source: string }[];
}

export interface KexInit {
  payload: Uint8Array;
  value: KexInitProposal & { cookie: Uint8Array };
  packet: number;
}

/** What the tracker learns from the kex method's own messages. */
export interface KexValues {
  clientPublic?: bigint | Uint8Array;
  serverPublic?: bigint | Uint8Array;
  hostKeyBlob?: Uint8Array;
  signatureBlob?: Uint8Array;
  gex?: Partial<GexParameters>;
}

export interface KeySizer {
  /** Key sizes for the negotiated ciphers and MACs, or a problem text when an algorithm is unknown. */
  (winners: Negotiation['winners']): KeySizes | string;
  isAead(cipher: string): boolean;
}

export class KexTracker {
  readonly record: KexRecord;
  client?: KexInit;
  server?: KexInit;
  negotiation?: Negotiation;
  method?: KexMethod;
  readonly values: KexValues = {};
  secret?: SharedSecret;
  keys?: DerivedKeys;
  /** Whether each side's first kex packet after a first_kex_packet_follows KEXINIT has been seen. */
  readonly guessPacketSeen = { client: false, server: false };

  constructor(index: number, private readonly strictFromFirstKex: boolean | undefined) {
    this.record = { index, packets: { messages: [] }, negotiation: [], algorithms: null, strict: strictFromFirstKex ?? false, problems: [] };
  }

  get complete(): boolean {
    return this.keys !== undefined;
  }

  addKexInit(side: 'client' | 'server', init: KexInit, sizer: KeySizer): void {
    this[side] = init;
    this.record.packets[side === 'client' ? 'clientKexinit' : 'serverKexinit'] = init.packet;
    if (!this.client || !this.server) return;
    const options: NegotiateOptions = { isAeadCipher: sizer.isAead };
    if (this.strictFromFirstKex !== undefined) options.strictKexFromFirstKex = this.strictFromFirstKex;
    const n = negotiate(this.client.value, this.server.value, options);
    this.negotiation = n;
    this.record.strict = n.strictKex;
    this.record.negotiation = n.slots.map((s) => ({ slot: s.slot, client: [...s.client], server: [...s.server], chosen: s.winner, reason: s.reason }));
    const w = n.winners;
    if (n.ok && w.kex && w.hostKey && w.cipherClientToServer && w.cipherServerToClient && w.compressionClientToServer && w.compressionServerToClient) {
      this.record.algorithms = {
        kex: w.kex, hostKey: w.hostKey,
        cipherClientToServer: w.cipherClientToServer, cipherServerToClient: w.cipherServerToClient,
        macClientToServer: w.macClientToServer, macServerToClient: w.macServerToClient,
        compressionClientToServer: w.compressionClientToServer, compressionServerToClient: w.compressionServerToClient,
      };
      this.method = findKexMethod(w.kex);
      if (!this.method) this.problem('unknown-kex', `the negotiated key exchange ${w.kex} is not one sshlens knows; the keys cannot be recomputed`);
    } else {
      this.problem('negotiation-failed', `negotiation failed: ${n.slots.filter((s) => !s.winner && !s.ignored).map((s) => s.reason).join('; ')}`);
    }
  }

  /**
   * Once both public values, the host key and the signature are known: finds the secret in the key log, computes
   * H, checks the host key's signature over it and derives the keys. Returns true when keys are ready.
   */
  tryComplete(V_C: string, V_S: string, keyLog: KeyLogLookup, sizer: KeySizer, sessionId: Uint8Array | undefined): boolean {
    const { method, client, server, negotiation } = this;
    const v = this.values;
    if (this.keys || !method || !client || !server || !negotiation) return !!this.keys;
    if (v.clientPublic === undefined || v.serverPublic === undefined || !v.hostKeyBlob || !v.signatureBlob) return false;
    const candidates: KeyLogCandidate[] = [];
    for (const side of ['server', 'client'] as const) {
      const cookie = toHex((side === 'client' ? client : server).value.cookie);
      for (const line of keyLog.byCookie(cookie)) candidates.push({ kind: line.kind, secret: line.secret, source: line.source, cookieSide: side });
    }
    if (candidates.length === 0) {
      this.problem('no-key', `no key-log line names this exchange's client cookie ${toHex(client.value.cookie)} or server cookie ${toHex(server.value.cookie)}: what follows its NEWKEYS cannot be decrypted`);
      return false;
    }
    const sizes = sizer(negotiation.winners);
    if (typeof sizes === 'string') {
      this.problem('unknown-algorithm', sizes);
      return false;
    }
    const gex = v.gex && v.gex.p !== undefined && v.gex.g !== undefined && v.gex.n !== undefined ? (v.gex as GexParameters) : undefined;
    const failures: string[] = [];
    for (const candidate of candidates) {
      let K: SharedSecret;
      try {
        const input: Parameters<typeof sharedSecretFromKeyLog>[0] = {
          method: method.name, clientPublic: v.clientPublic, serverPublic: v.serverPublic, kind: candidate.kind,
          secret: candidate.secret, cookieSide: candidate.cookieSide,
        };
        if (gex) input.group = { p: gex.p, g: gex.g };
        K = sharedSecretFromKeyLog(input).K;
      } catch (error) {
        failures.push(`${candidate.source}: ${(error as Error).message}`);
        continue;
      }
      const hashInputs: Parameters<typeof exchangeHash>[0] = {
        method: method.name, V_C, V_S, I_C: client.payload, I_S: server.payload, K_S: v.hostKeyBlob,
        clientPublic: v.clientPublic, serverPublic: v.serverPublic, K,
      };
      if (gex) hashInputs.gex = gex;
      const hash = exchangeHash(hashInputs);
      const verification = verifyHostKeySignature({ algorithm: negotiation.winners.hostKey ?? '', hostKeyBlob: v.hostKeyBlob, signatureBlob: v.signatureBlob, H: hash.H });
      if (!verification.verified && candidates.length > 1 && candidate !== candidates[candidates.length - 1]) {
        failures.push(`${candidate.source}: the host key signature does not verify with this secret`);
        continue;
      }
      this.secret = K;
      const id = sessionId ?? hash.H;
      this.record.secretSource = `key log ${candidate.kind} (${candidate.source}, ${candidate.cookieSide} cookie)`;
      this.record.sharedSecret = K.wire;
      this.record.exchangeHashInputs = hash.inputs.map((i) => ({ name: i.name, encoded: i.encoded, description: i.meaning }));
      this.record.exchangeHash = hash.H;
      this.record.sessionId = id;
      this.record.hostKey = {
        algorithm: verification.algorithm, keyType: verification.keyType, fingerprint: verification.fingerprint,
        blob: v.hostKeyBlob, verified: verification.verified, reason: verification.reason,
      };
      if (verification.certificate) this.record.hostKey.certificate = verification.certificate;
      if (!verification.verified && verification.uncheckable) {
        this.problem('host-key-unverifiable', `the host key signature over H was not checked: ${verification.reason}; the keys are derived from the key-log secret unchecked`, 'warning');
      } else if (!verification.verified) {
        this.problem('host-key-signature', `the host key signature over H does not verify (${verification.reason}): the key-log secret is probably wrong for this exchange${failures.length ? `; also tried: ${failures.join('; ')}` : ''}`);
      }
      const derived = deriveKeys({ hash: method.hash, K: K.wire, H: hash.H, sessionId: id, sizes });
      this.keys = {
        ivClientToServer: derived.ivClientToServer, ivServerToClient: derived.ivServerToClient,
        keyClientToServer: derived.keyClientToServer, keyServerToClient: derived.keyServerToClient,
        macKeyClientToServer: derived.macKeyClientToServer, macKeyServerToClient: derived.macKeyServerToClient,
      };
      this.record.keys = this.keys;
      return true;
    }
    this.problem('key-log-mismatch', `no key-log line for this exchange gives a usable secret: ${failures.join('; ')}`);
    return false;
  }

  problem(code: string, message: string, severity: Problem['severity'] = 'error'): void {
    if (this.record.problems.some((p) => p.code === code && p.message === message)) return;
    this.record.problems.push({ code, message, severity });
  }
}
