/**
 * @module trace/decode-json
 * The stable JSON shape of `sshlens decode --json`, which other tools rely on: sessions with client/server address,
 * port and version; one `kex` entry per key exchange with the negotiated names as they appear in KEXINIT; every
 * binary packet as a message (`from`, `sequence` as the protocol used it, `number`, `name`, `fields`, `error` only
 * when the packet could not be decrypted, verified or decoded); channels with their data as base64.
 * Field values: bytes as lower-case hex, bigints as decimal strings, text as it is (undecodable text as hex).
 */
import { concatByteList, toHex } from '../wire/index.ts';
import { toBase64 } from './json.ts';
import type { ChannelRecord, PacketRecord, SessionRecord, Trace } from './model.ts';

export function jsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonValue(v);
    return out;
  }
  return value;
}

/** Channel data can be tens of thousands of chunks: joined as a list, not spread into arguments. */
function concatBase64(chunks: Uint8Array[]): string {
  return toBase64(concatByteList(chunks));
}

/** The error text of a packet: why it could not be decrypted, verified or decoded. */
export function packetError(packet: PacketRecord): string | undefined {
  // Most packets have no error: answered without building a list (this runs for every packet the CLI prints).
  if (!packet.error && packet.macStatus !== 'bad' && !packet.message?.error) return undefined;
  const errors: string[] = [];
  if (packet.error) errors.push(packet.error);
  if (packet.macStatus === 'bad' && !packet.error) errors.push('MAC or tag verification failed');
  if (packet.message?.error) errors.push(packet.message.error);
  return errors.length ? errors.join('; ') : undefined;
}

function message(packet: PacketRecord) {
  const error = packetError(packet);
  return {
    from: packet.direction,
    sequence: packet.sequence,
    number: packet.message?.number ?? null,
    name: packet.message?.name ?? null,
    fields: packet.message ? jsonValue(packet.message.value) : null,
    ...(error ? { error } : {}),
  };
}

function channel(c: ChannelRecord) {
  return {
    type: c.type,
    clientId: c.clientId,
    serverId: c.serverId,
    requests: c.requests.map((r) => ({ from: r.direction, request: r.request, wantReply: r.wantReply, ...(r.reply ? { reply: r.reply } : {}), fields: jsonValue(r.value) })),
    clientData: concatBase64(c.clientData),
    serverData: concatBase64(c.serverData),
    clientExtendedData: concatBase64(c.clientExtendedData),
    serverExtendedData: concatBase64(c.serverExtendedData),
    exitStatus: c.exitStatus,
    ...(c.exitSignal ? { exitSignal: c.exitSignal } : {}),
  };
}

export function sessionToDecodeJson(s: SessionRecord) {
  return {
    client: { address: s.client.address, port: s.client.port, version: s.identification.client?.line ?? null },
    server: { address: s.server.address, port: s.server.port, version: s.identification.server?.line ?? null },
    kex: s.kex.map((k) => ({
      kex: k.algorithms?.kex ?? null,
      hostKey: k.algorithms?.hostKey ?? null,
      cipherClientToServer: k.algorithms?.cipherClientToServer ?? null,
      cipherServerToClient: k.algorithms?.cipherServerToClient ?? null,
      macClientToServer: k.algorithms?.macClientToServer ?? null,
      macServerToClient: k.algorithms?.macServerToClient ?? null,
      compressionClientToServer: k.algorithms?.compressionClientToServer ?? null,
      compressionServerToClient: k.algorithms?.compressionServerToClient ?? null,
      strict: k.strict,
      hostKeyVerified: k.hostKey?.verified === true,
      ...(k.hostKey ? { hostKeyType: k.hostKey.keyType, hostKeyFingerprint: k.hostKey.fingerprint } : {}),
      ...(k.exchangeHash ? { exchangeHash: toHex(k.exchangeHash) } : {}),
      ...(k.sessionId ? { sessionId: toHex(k.sessionId) } : {}),
      ...(k.secretSource ? { secretSource: k.secretSource } : {}),
      ...(k.problems.length ? { problems: k.problems.map((p) => p.message) } : {}),
    })),
    messages: s.packets.map(message),
    channels: s.channels.map(channel),
    problems: s.problems.map((p) => ({ code: p.code, severity: p.severity, message: p.message, ...(p.direction ? { direction: p.direction } : {}), ...(p.packet !== undefined ? { packet: p.packet } : {}) })),
  };
}

export function traceToDecodeJson(trace: Trace) {
  return {
    sessions: trace.sessions.map(sessionToDecodeJson),
    problems: trace.problems.map((p) => ({ code: p.code, severity: p.severity, message: p.message, ...(p.frame !== undefined ? { frame: p.frame } : {}) })),
  };
}
