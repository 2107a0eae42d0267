/**
 * How one packet was protected: which keys of which key exchange (RFC 4253 §7.2 letters A-F), the sequence number,
 * and where the nonce or IV comes from for its cipher - chacha20-poly1305 (OpenSSH PROTOCOL.chacha20poly1305),
 * AES-GCM (RFC 5647 §7.1), CTR (RFC 4344 §4), CBC (RFC 4253 §6.3) - and what the MAC covers (RFC 4253 §6.4, EtM).
 */
import type { PacketRecord, SessionRecord } from '../../engine/trace/model.ts';
import { toHex } from '../lib/format.ts';

function nonceExplanation(cipher: string, sequence: number): string {
  if (cipher.startsWith('chacha20-poly1305')) {
    return `Nonce = the sequence number ${sequence} as a uint64. The second half of the 64-byte key encrypts packet_length, the first half the rest; the Poly1305 key comes from the first ChaCha20 block.`;
  }
  if (cipher.includes('-gcm')) {
    return 'IV = the 12-byte initial IV, its last 8 bytes (the invocation counter) incremented once per packet of this direction since the keys took effect; packet_length stays in the clear as the AAD (RFC 5647 §7.1).';
  }
  if (cipher.endsWith('-ctr')) return 'CTR mode: the counter starts at the initial IV and runs on from packet to packet, never reset (RFC 4344 §4).';
  if (cipher.endsWith('-cbc')) return 'CBC: the first packet chains from the initial IV, each later one from the last ciphertext block before it (RFC 4253 §6.3).';
  return '';
}

/** `scope` tells two of these apart when several layer stacks share a page (it is added to the region's name). */
export function PacketCrypto({ session, packet, scope }: { session: SessionRecord; packet: PacketRecord; scope?: string }) {
  if (packet.cipher === 'none' && !packet.mac) {
    return <p className="muted">Not encrypted: this packet was sent before its direction's first NEWKEYS (key epoch 0).</p>;
  }
  const kex = session.kex[packet.epoch - 1];
  const c2s = packet.direction === 'client';
  const key = (name: keyof NonNullable<typeof kex.keys>, letter: string, what: string) => {
    const bytes = kex?.keys?.[name];
    return (
      <li key={letter}>
        <strong>{letter}</strong> {what}: <code>{bytes ? (bytes.length ? toHex(bytes, 24) : '(none)') : 'unknown'}</code>
      </li>
    );
  };
  const etm = packet.mac?.endsWith('-etm@openssh.com');
  return (
    <section className="packet-crypto" aria-label={`How this packet was protected${scope ? ` (${scope})` : ''}`}>
      <p>
        Keys of key exchange {packet.epoch}, {c2s ? 'client → server' : 'server → client'}; sequence number {packet.sequence}; cipher <code>{packet.cipher}</code>
        {packet.mac ? <>, MAC <code>{packet.mac}</code></> : null}.
      </p>
      <ul>
        {key(c2s ? 'ivClientToServer' : 'ivServerToClient', c2s ? 'A' : 'B', 'initial IV')}
        {key(c2s ? 'keyClientToServer' : 'keyServerToClient', c2s ? 'C' : 'D', 'encryption key')}
        {packet.mac && key(c2s ? 'macKeyClientToServer' : 'macKeyServerToClient', c2s ? 'E' : 'F', 'integrity key')}
      </ul>
      <p className="muted">{nonceExplanation(packet.cipher, packet.sequence)}</p>
      {packet.mac && (
        <p className="muted">
          MAC = {packet.mac}(key {c2s ? 'E' : 'F'}, sequence_number {packet.sequence} ‖ {etm ? 'packet_length ‖ the encrypted rest (encrypt-then-MAC: the length stays in the clear)' : 'the whole unencrypted packet'}) (RFC 4253 §6.4).
        </p>
      )}
      <p>MAC or tag check: <strong>{packet.macStatus === 'ok' ? '✓ verified' : packet.macStatus === 'bad' ? '✗ does not verify' : packet.macStatus}</strong></p>
    </section>
  );
}
