/**
 * @module fuzz/transport-targets
 * Fuzz targets for the binary packet protocol (RFC 4253 §6) in decoder mode: framing without keys (a direction's
 * cleartext packets, then NEWKEYS with unknown keys), and decryption with keys (decryptStream) on real streams with
 * their real derived keys and on streams written by the engine for every cipher, MAC and compression. Beyond the
 * shared invariant: packets tile the stream (each starts where the one before ended), inside what was fed.
 */
import fc from 'fast-check';
import { CIPHER_ALGORITHMS } from '../crypto/ciphers.ts';
import { MAC_ALGORITHMS } from '../crypto/macs.ts';
import type { Direction, DirectionKeys } from '../transport/binary-packet.ts';
import { decryptStream } from '../transport/decrypt-stream.ts';
import { PacketReader, type ReadPacket } from '../transport/packet-reader.ts';
import { serverStream } from '../transport/test-streams.ts';
import { EDGE_VALUES, mutate, randomChunks } from './mutate.ts';
import type { FuzzRandom } from './random.ts';
import { check, defineTarget, sampleOne } from './target.ts';

export interface StreamInput {
  direction: Direction;
  bytes: Uint8Array;
  startOffset: number;
  chunks?: number[];
  epochs: DirectionKeys[];
  strict: boolean;
}

function checkTiling(packets: ReadPacket[], input: StreamInput): void {
  let at = input.startOffset;
  for (const p of packets) {
    check(p.stream.start === at, `packet #${p.index} starts at stream offset ${p.stream.start}, the one before ended at ${at}`);
    check(p.stream.end > p.stream.start && p.wire.length === p.stream.end - p.stream.start, `packet #${p.index}: span ${p.stream.start}..${p.stream.end} and ${p.wire.length} wire bytes disagree`);
    at = p.stream.end;
  }
  check(at <= input.startOffset + input.bytes.length, `packets end at ${at}, past the ${input.bytes.length} bytes fed`);
}

/** Generated cleartext packets: any packet_length (edges included), padding_length, payload and trailing junk. */
const packetArb = fc.record({
  packetLength: fc.option(fc.oneof(fc.constantFrom(...EDGE_VALUES), fc.nat({ max: 40000 })), { freq: 3 }),
  paddingLength: fc.option(fc.oneof(fc.constantFrom(0, 1, 3, 4, 255), fc.nat({ max: 255 })), { freq: 3 }),
  payload: fc.uint8Array({ maxLength: 600 }),
});
const streamArb = fc.array(packetArb, { minLength: 1, maxLength: 12 });

function generatedStream(random: FuzzRandom): Uint8Array {
  const parts = sampleOne(streamArb, random).map(({ packetLength, paddingLength, payload }) => {
    const aligned = (8 - ((5 + payload.length) % 8)) % 8;
    const padding = paddingLength ?? (aligned < 4 ? aligned + 8 : aligned);
    const length = packetLength ?? 1 + payload.length + padding;
    const body = new Uint8Array(5 + payload.length + Math.min(padding, 255));
    new DataView(body.buffer).setUint32(0, length >>> 0);
    body[4] = padding & 0xff;
    body.set(payload, 5);
    return body;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

export const sshFramingTarget = defineTarget<StreamInput>({
  name: 'ssh-framing',
  about: 'PacketReader (decoder mode) without keys: mutated real cleartext streams and generated packets, fed in random chunks',
  generate(corpus, random) {
    let bytes: Uint8Array;
    let steps: string[];
    let direction: Direction = random.chance(0.5) ? 'client' : 'server';
    if (random.chance(0.6) && corpus.streams.length) {
      const seed = random.pick(corpus.streams);
      direction = seed.direction;
      ({ bytes, steps } = mutate(seed.bytes, random, { lengthFields: seed.lengthFields, donors: { length: corpus.streams.length, at: (i) => corpus.streams[i].bytes } }));
      steps.unshift(`${seed.name} ${seed.direction} stream`);
    } else {
      bytes = generatedStream(random);
      steps = ['generated packets'];
    }
    const input: StreamInput = { direction, bytes, startOffset: random.below(64), epochs: [], strict: random.chance(0.5) };
    if (random.chance(0.5)) input.chunks = randomChunks(bytes, random).map((c) => c.length);
    return { input, steps };
  },
  run(input) {
    const reader = new PacketReader({ direction: input.direction, mode: 'decoder', startOffset: input.startOffset });
    const packets: ReadPacket[] = [];
    let at = 0;
    for (const n of input.chunks ?? [input.bytes.length]) {
      reader.feed(input.bytes.subarray(at, at + n));
      at += n;
      for (let p = reader.next(); p || reader.state === 'awaiting-keys'; p = reader.next()) {
        if (p) packets.push(p);
        else reader.newKeys(null, input.strict);
      }
    }
    reader.end();
    checkTiling(packets, input);
  },
  save: (input) => ({ bytes: input.bytes, extension: `${input.direction}.ssh` }),
  size: (input) => input.bytes.length,
});

const MACS = [null, ...MAC_ALGORITHMS.map((m) => m.name)];

/** Payload seeds per cipher x MAC x compression x strict: each stream is written once and mutated in many cases. */
const STREAM_SEEDS = 2;
const written = new Map<string, ReturnType<typeof serverStream>>();
function engineStream(cipher: string, mac: string | null, compression: string, strict: boolean, seed: number) {
  const key = `${cipher} ${mac} ${compression} ${strict} ${seed}`;
  let sent = written.get(key);
  if (!sent) written.set(key, (sent = serverStream(cipher, mac, compression, strict, seed)));
  return sent;
}

export const sshDecryptTarget = defineTarget<StreamInput>({
  name: 'ssh-decrypt',
  about: 'decryptStream with keys: mutated real streams with their derived keys, and engine-written streams for every cipher x MAC x compression',
  generate(corpus, random) {
    let input: StreamInput;
    const steps: string[] = [];
    if (random.chance(0.5) && corpus.streams.length) {
      const seed = random.pick(corpus.streams);
      const m = mutate(seed.bytes, random, { lengthFields: seed.lengthFields });
      input = { direction: seed.direction, bytes: m.bytes, startOffset: seed.startOffset, epochs: seed.epochs, strict: seed.strict };
      steps.push(`${seed.name} ${seed.direction} stream with its keys`, ...m.steps);
    } else {
      const cipher = random.pick(CIPHER_ALGORITHMS).name;
      const mac = random.pick(MACS);
      const compression = random.pick(['none', 'zlib', 'zlib@openssh.com']);
      const strict = random.chance(0.5);
      const sent = engineStream(cipher, mac, compression, strict, 1 + 4 * random.below(STREAM_SEEDS));
      const m = mutate(sent.wire, random, { maxMutations: 2 });
      input = { direction: 'server', bytes: m.bytes, startOffset: 0, epochs: sent.epochs, strict };
      steps.push(`engine stream ${cipher} ${mac ?? '(aead/none)'} ${compression}${strict ? ' strict' : ''}`, ...m.steps);
    }
    if (random.chance(0.2) && input.epochs.length) {
      const epochs = input.epochs.map((k) => ({ ...k }));
      const first = epochs[0];
      const what = random.below(6);
      if (what === 0 && first.key.length) { first.key = first.key.slice(); first.key[random.below(first.key.length)] ^= 1; }
      else if (what === 1) epochs.shift();
      else if (what === 2) first.key = first.key.subarray(0, random.below(first.key.length + 1));
      else if (what === 3) first.iv = random.bytes(random.below(40));
      else if (what === 4) first.cipher = random.pick(CIPHER_ALGORITHMS).name;
      else { first.mac = random.pick(MACS); first.macKey = random.bytes(random.below(70)); }
      input.epochs = epochs;
      steps.push(['a bit of the first epoch key flipped', 'the first epoch keys missing', 'the first epoch key cut short', 'another IV length', 'another cipher for the same keys', 'another MAC and MAC key'][what]);
    }
    if (random.chance(0.1)) { input.strict = !input.strict; steps.push('strict flag inverted'); }
    return { input, steps };
  },
  run(input) {
    const { packets, failure } = decryptStream(input.bytes, { direction: input.direction, epochs: input.epochs, strictKex: input.strict, startOffset: input.startOffset });
    check(!failure || failure.code, 'a failure without a code');
    checkTiling(packets, input);
  },
  save: (input) => ({ bytes: input.bytes, extension: `${input.direction}.ssh` }),
  size: (input) => input.bytes.length,
});
