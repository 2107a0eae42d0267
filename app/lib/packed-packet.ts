/**
 * Packets that cross from the decode worker to the page as a few plain values plus their whole record as JSON text
 * (worker/protocol.ts PackedPacket), and the page's side: a PacketRecord whose light properties (what the list, the
 * ladder and the indexes read for every packet) are its own, and whose heavy ones (layout, bytes, message fields and
 * value, frames, time) are read from the JSON the first time a view asks, then kept. The JSON holds byte arrays as
 * offsets into the batch's one buffer, so nothing is copied; `toJSON` gives the record back exactly, so an exported
 * trace is the decoder's.
 */
import { jsonReplacer, jsonReviver } from '../../engine/trace/json.ts';
import type { MessageRecord, PacketLayout, PacketRecord, Span, Timestamp } from '../../engine/trace/model.ts';
import type { DecodedField } from '../../engine/trace/fields.ts';
import { FIELD_TEXTS, type PackedPacket } from '../worker/protocol.ts';

/** Worker side: the packet (its byte arrays all views into `arena`, see trace-stream.ts) as it will cross. */
export function packPacket(packet: PacketRecord, arena: ArrayBuffer | null): PackedPacket {
  const json = JSON.stringify(packet, (key, value: unknown) => {
    if (value instanceof Uint8Array) {
      if (value.buffer !== arena) throw new Error(`packet ${packet.index}: a byte array outside the batch's buffer (${key})`);
      return { $arena: [value.byteOffset, value.byteLength] };
    }
    return jsonReplacer(key, value);
  });
  const message = packet.message;
  return {
    index: packet.index, direction: packet.direction, sequence: packet.sequence, epoch: packet.epoch, stream: packet.stream,
    cipher: packet.cipher, mac: packet.mac, compression: packet.compression, macStatus: packet.macStatus,
    ...(packet.error === undefined ? {} : { error: packet.error }),
    ...(message ? {
      message: {
        number: message.number, name: message.name, summary: message.summary,
        ...(message.unknown === undefined ? {} : { unknown: message.unknown }), ...(message.error === undefined ? {} : { error: message.error }),
      },
    } : {}),
    json,
  };
}

function unpack(json: string, arena: ArrayBuffer | null, texts: readonly string[]): PacketRecord {
  const record = JSON.parse(json, (key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const at = (value as { $arena?: unknown }).$arena;
      if (Array.isArray(at) && Object.keys(value).length === 1 && arena) return new Uint8Array(arena, at[0] as number, at[1] as number);
    }
    return jsonReviver(key, value);
  }) as PacketRecord;
  if (record.message) restoreTexts(record.message.fields, texts);
  return record;
}

/** Puts the texts back in fields whose text properties travelled as numbers in the stream's table. */
export function restoreTexts(fields: DecodedField[], texts: readonly string[]): void {
  for (const field of fields) {
    const record = field as unknown as Record<string, unknown>;
    for (const key of FIELD_TEXTS) if (typeof record[key] === 'number') record[key] = texts[record[key] as number];
    if (field.children) restoreTexts(field.children, texts);
  }
}

const interned = new Map<string, string>();
/**
 * One copy of a string that thousands of records repeat (a direction, an algorithm, a message name): each record
 * that crosses from the worker brings its own copies, which this lets the garbage collector drop at once.
 */
export function intern<T extends string | null | undefined>(text: T): T {
  if (typeof text !== 'string') return text;
  let one = interned.get(text);
  if (one === undefined) {
    if (interned.size > 50_000) interned.clear();
    interned.set(text, (one = text));
  }
  return one as T;
}

/** Page side: a PacketRecord whose heavy parts are read from its JSON when first asked for. */
export class LazyPacket implements PacketRecord {
  readonly index: number;
  readonly direction: PacketRecord['direction'];
  readonly sequence: number;
  readonly epoch: number;
  readonly stream: Span;
  readonly cipher: string;
  readonly mac: string | null;
  readonly compression: string;
  readonly macStatus: PacketRecord['macStatus'];
  readonly error?: string;
  readonly message?: MessageRecord;
  #json: string;
  #arena: ArrayBuffer | null;
  #texts: readonly string[];
  #record: PacketRecord | null = null;

  constructor(packed: PackedPacket, arena: ArrayBuffer | null, texts: readonly string[]) {
    this.index = packed.index;
    this.direction = intern(packed.direction);
    this.sequence = packed.sequence;
    this.epoch = packed.epoch;
    this.stream = packed.stream;
    this.cipher = intern(packed.cipher);
    this.mac = intern(packed.mac);
    this.compression = intern(packed.compression);
    this.macStatus = intern(packed.macStatus);
    if (packed.error !== undefined) this.error = packed.error;
    if (packed.message) this.message = new LazyMessage(packed.message, this);
    this.#json = packed.json;
    this.#arena = arena;
    this.#texts = texts;
  }

  /** The whole record (read once, then kept: views compare what they get by identity). */
  record(): PacketRecord {
    return (this.#record ??= unpack(this.#json, this.#arena, this.#texts));
  }

  get time(): Timestamp | undefined { return this.record().time; }
  get frames(): number[] { return this.record().frames; }
  get layout(): PacketLayout | null { return this.record().layout; }
  get wire(): Uint8Array | undefined { return this.record().wire; }
  get plaintext(): Uint8Array | undefined { return this.record().plaintext; }
  get decompressed(): Uint8Array | undefined { return this.record().decompressed; }

  /** The decoder's record, exactly (an export reads every packet: those no view opened are not kept). */
  toJSON(): PacketRecord {
    return this.#record ?? unpack(this.#json, this.#arena, this.#texts);
  }
}

class LazyMessage implements MessageRecord {
  readonly number: number;
  readonly name: string;
  readonly summary: string;
  readonly unknown?: boolean;
  readonly error?: string;
  #packet: LazyPacket;

  constructor(light: NonNullable<PackedPacket['message']>, packet: LazyPacket) {
    this.number = light.number;
    this.name = intern(light.name);
    this.summary = light.summary;
    if (light.unknown !== undefined) this.unknown = light.unknown;
    if (light.error !== undefined) this.error = light.error;
    this.#packet = packet;
  }

  get value(): Record<string, unknown> { return this.#packet.record().message!.value; }
  get fields(): DecodedField[] { return this.#packet.record().message!.fields; }

  toJSON(): MessageRecord {
    return this.#packet.toJSON().message!;
  }
}
