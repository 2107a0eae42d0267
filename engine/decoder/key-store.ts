/**
 * @module decoder/key-store
 * All the key material a decode can use: key-log lines (files, and pcapng Decryption Secrets Blocks met in the
 * capture) looked up by KEXINIT cookie, and derived session keys (JSON key files) for captures that begin after the
 * key exchange, matched by connection endpoints.
 */
import { KeyLog } from '../keys/keylog.ts';
import { findSessionKeys, parseKeyFile, type SessionKeys } from '../keys/keyfile.ts';
import type { Direction, Endpoint, Problem } from '../trace/model.ts';
import type { KeyLogLookup } from './kex-tracker.ts';
import type { DirectionKeys } from './framer.ts';

/** Derived keys for one direction of a connection decoded from its middle. */
export interface MidSessionKeys extends DirectionKeys {
  sequence: number;
  strict: boolean;
  streamOffset?: number;
}

export class KeyStore implements KeyLogLookup {
  private readonly keyLog = new KeyLog();
  private readonly keyFiles: SessionKeys[] = [];
  readonly problems: Problem[] = [];

  /** Adds a key file: a Wireshark-style key log, or (starting with `{`) a JSON file of derived keys. */
  addFile(text: string, name: string): void {
    if (text.trimStart().startsWith('{')) this.keyFiles.push(...parseKeyFile(text, name).sessions);
    else this.addKeyLog(text, name);
  }

  addKeyLog(text: string, name: string): void {
    for (const p of this.keyLog.add(text, name)) this.problems.push({ code: 'key-log-line', severity: 'warning', message: p.message });
  }

  byCookie(cookieHex: string): { kind: 'PRIVATE_KEY' | 'SHARED_SECRET'; secret: Uint8Array; source: string }[] {
    const cookie = new Uint8Array(cookieHex.length / 2);
    for (let i = 0; i < cookie.length; i++) cookie[i] = parseInt(cookieHex.substr(i * 2, 2), 16);
    return this.keyLog.find(cookie).map((e) => ({
      kind: e.kind === 'shared-secret' ? 'SHARED_SECRET' : 'PRIVATE_KEY',
      secret: e.value,
      source: `${e.source.file} line ${e.source.line}`,
    }));
  }

  /** Which end (0 or 1) a key file names as the client of the connection between these two endpoints. */
  clientAmong(end0: Endpoint, end1: Endpoint): 0 | 1 | undefined {
    if (this.keyFiles.length === 0) return undefined;
    if (findSessionKeys({ sessions: this.keyFiles }, end0, end1)) return 0;
    if (findSessionKeys({ sessions: this.keyFiles }, end1, end0)) return 1;
    return undefined;
  }

  /** Derived keys for the connection between these endpoints, per direction, when a key file names it. */
  derivedFor(client: Endpoint, server: Endpoint): Record<Direction, MidSessionKeys> | undefined {
    for (const candidate of [findSessionKeys({ sessions: this.keyFiles }, client, server)]) {
      if (!candidate) continue;
      const direction = (d: SessionKeys['clientToServer']): MidSessionKeys => ({
        cipher: d.cipher, mac: d.mac && d.mac !== 'none' ? d.mac : null, compression: d.compression,
        key: d.encryptionKey, iv: d.iv ?? new Uint8Array(0), macKey: d.macKey ?? new Uint8Array(0),
        sequence: d.sequenceNumber, strict: candidate.strictKex, ...(d.streamOffset === undefined ? {} : { streamOffset: d.streamOffset }),
      });
      return { client: direction(candidate.clientToServer), server: direction(candidate.serverToClient) };
    }
    return undefined;
  }
}
