/**
 * Phases of an SSH connection for the ladder and the filters (RFC 4251 §7 number ranges, RFC 4250 §4.1):
 * key exchange 20-49, user authentication 50-79 (with SERVICE_REQUEST/ACCEPT of ssh-userauth), connection 80-127.
 * Generic transport messages (DISCONNECT, IGNORE, DEBUG, UNIMPLEMENTED, EXT_INFO) belong to the phase they occur in.
 */
import type { PacketRecord, SessionRecord } from '../../engine/trace/model.ts';

export type Phase = 'identification' | 'kex' | 'auth' | 'connection' | 'transport';

export const PHASE_LABELS: Record<Phase, string> = {
  identification: 'Identification',
  kex: 'Key exchange',
  auth: 'Authentication',
  connection: 'Connection',
  transport: 'Transport',
};

export function phaseOfNumber(number: number): Phase | null {
  if (number >= 20 && number <= 49) return 'kex';
  if (number === 5 || number === 6 || (number >= 50 && number <= 79)) return 'auth';
  if (number >= 80 && number <= 127) return 'connection';
  return null;
}

/** The phase of every packet of a session, in order (generic messages inherit the phase before them). */
export function packetPhases(packets: readonly PacketRecord[]): Phase[] {
  const phases: Phase[] = new Array(packets.length);
  let current: Phase = 'transport';
  for (let i = 0; i < packets.length; i++) {
    const number = packets[i].message?.number;
    const own = number === undefined ? null : phaseOfNumber(number);
    if (own) current = own;
    phases[i] = own ?? current;
  }
  return phases;
}

/** Which channel (index into session.channels) each packet belongs to, from the channel events. */
export function packetChannels(session: SessionRecord): Map<number, number> {
  const map = new Map<number, number>();
  session.channels.forEach((channel, index) => {
    for (const event of channel.events) map.set(event.packet, index);
    for (const request of channel.requests) map.set(request.packet, index);
  });
  return map;
}

/** A short label for a message name in lists and arrows: SSH_MSG_KEXINIT -> KEXINIT. */
export function shortName(name: string | undefined): string {
  if (!name) return '(not decrypted)';
  return name.replace(/^SSH_MSG_/, '').replace(/^SSH2_MSG_/, '');
}
