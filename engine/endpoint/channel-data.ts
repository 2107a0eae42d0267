/**
 * @module endpoint/channel-data
 * The bulk path's one message, SSH_MSG_CHANNEL_DATA (RFC 4254 §5.2: byte 94 | uint32 recipient channel | string
 * data), read without the generic catalog decoder: a bulk transfer is almost nothing else, and building its field
 * tree per packet cost about as much as the rest of the endpoint's work on it. The result is the catalog's own
 * DecodedMessage - same entry, same value - with the field tree built from the catalog only if someone asks for it
 * (channel-data.test.ts checks both against decodeMessage).
 */
import { decodeMessage, lookupMessage, type DecodedMessage } from '../messages/index.ts';

export const CHANNEL_DATA = 94;
const entry = lookupMessage(CHANNEL_DATA)!;

/** A decoded CHANNEL_DATA whose field tree is built from the catalog on first use. */
class ChannelDataMessage implements DecodedMessage {
  readonly number = CHANNEL_DATA;
  readonly name = entry.name;
  readonly entry = entry;
  readonly unknown = false;
  readonly value: Record<string, unknown>;
  private tree: DecodedMessage['fields'] | undefined;
  constructor(private readonly payload: Uint8Array, recipient: number) {
    this.value = { recipient_channel: recipient, data: payload.subarray(9) };
  }
  get fields(): DecodedMessage['fields'] {
    return (this.tree ??= decodeMessage(this.payload).fields);
  }
}

/** CHANNEL_DATA decoded directly, or undefined when the payload is not well formed (the catalog then says why). */
export function decodeChannelData(payload: Uint8Array): DecodedMessage | undefined {
  if (payload.length < 9) return undefined;
  const length = ((payload[5] << 24) | (payload[6] << 16) | (payload[7] << 8) | payload[8]) >>> 0;
  if (9 + length !== payload.length) return undefined;
  return new ChannelDataMessage(payload, ((payload[1] << 24) | (payload[2] << 16) | (payload[3] << 8) | payload[4]) >>> 0);
}
