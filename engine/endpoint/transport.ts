/**
 * @module endpoint/transport
 * The SSH transport layer as a sans-I/O object, for either role (RFC 4253): identification (§4.2), binary packets
 * (§6, via transport/packet-writer and packet-reader), KEXINIT and negotiation (§7.1), every kex method's messages
 * (§8, RFC 4419, RFC 5656, RFC 8731, RFC 9941), NEWKEYS and per-direction keys (§7.2, §7.3), strict kex
 * (draft-miller-sshm-strict-kex), EXT_INFO (RFC 8308), rekey on request and by volume (§9), DISCONNECT, IGNORE,
 * DEBUG, UNIMPLEMENTED (§11) and OpenSSH's PING. Messages of the upper layers go to `upper`; those sent while this
 * side's key exchange is under way wait until its NEWKEYS (§7.1).
 *
 * Bytes in: receiveData(). Bytes out: dataToSend(). Everything sent and received is kept in `transcript`, with a
 * time from the injected clock, and every K in `keyLog` (SHARED_SECRET form), so a session can become a trace.
 */
import { CIPHER_ALGORITHMS } from '../crypto/ciphers.ts';
import { findHostKeyAlgorithm, signExchangeHash, signingKeyBlob, verifyHostKeySignature, fingerprintSha256, type SigningKey } from '../crypto/hostkey.ts';
import { SshlensError } from '../errors.ts';
import { chooseGexGroup, type RandomBytes } from '../kex/dh.ts';
import { deriveKeys } from '../kex/derive.ts';
import { exchangeHash, type GexParameters } from '../kex/exchange-hash.ts';
import { clientKexFinish, clientKexInit, serverKexReply, type KexPrivateValue, type KexPublicValue } from '../kex/kex.ts';
import { kexMethod } from '../kex/methods.ts';
import { negotiate, type KexInitProposal, type Negotiation } from '../kex/negotiate.ts';
import type { SharedSecret } from '../kex/shared-secret.ts';
import type { KeyLogSecretKind } from '../keys/keylog.ts';
import { decodeMessage, encodeMessage, type DecodedMessage, type MessageContext } from '../messages/index.ts';
import { CHANNEL_DATA, decodeChannelData } from './channel-data.ts';
import type { DirectionKeys } from '../transport/binary-packet.ts';
import { parseIdentification } from '../transport/identification.ts';
import { PacketReader } from '../transport/packet-reader.ts';
import { PacketWriter } from '../transport/packet-writer.ts';
import { buildProposal, hostKeyAlgorithmsFor, type AlgorithmPreferences } from './algorithms.ts';
import { EndpointError, LocalProtocolError, REASON, RemoteProtocolError } from './errors.ts';
import type { EndpointEvent, HostKeyInfo, Role } from './events.ts';
import { directionKeys, encodeKexInit, encodeKexReply, initNumber, keySizes, readKexInit, readKexReply, replyNumber } from './kex-messages.ts';
import { classify, step, type Phase } from './states.ts';
import { paddingSource } from './rng.ts';
import { sharedSecretValue, unsignedBytes } from './values.ts';
import { concatByteList as concat } from '../wire/hex.ts';

export interface TransportOptions {
  role: Role;
  random: RandomBytes;
  /** Milliseconds since some start; injected so simulations are reproducible. */
  clock: () => number;
  preferences?: AlgorithmPreferences;
  /** Server: its host keys. */
  hostKeys?: SigningKey[];
  /** Client: decides whether to trust the server's host key (default: trust any key whose signature verifies). */
  acceptHostKey?: (info: HostKeyInfo) => boolean;
  /** Offer strict kex (default true). */
  strictKex?: boolean;
  /** Offer RFC 8308 extension negotiation (default true). */
  extInfo?: boolean;
  /** The softwareversion of the identification line (default `sshlens_0.1`). */
  software?: string;
  /** Start a new key exchange once this many bytes went either way under one set of keys (default 1 GiB). */
  rekeyBytes?: number;
  /** Server: the signature algorithms announced in server-sig-algs. */
  serverSigAlgs?: string[];
  /**
   * Client: set first_kex_packet_follows and send the INIT of its preferred kex method right after KEXINIT
   * (RFC 4253 §7). When the guess is wrong the server ignores that packet and the client sends the right one.
   */
  guessKex?: boolean;
  /** Group exchange request (min, n, max) the client sends (default 2048, 3072, 8192). */
  gexRequest?: { min: number; n: number; max: number };
  /**
   * Keep every byte sent and received in `transcript` (default true: traces, `--pcap` and the simulator read it).
   * Off, a long bulk transfer holds only what is in flight, and received arrays (those given to receiveData) are
   * decrypted in place: their bytes are overwritten.
   */
  record?: boolean;
}

export interface TranscriptChunk {
  /** Who sent these bytes. */
  sender: Role;
  /** Milliseconds, from the injected clock. */
  time: number;
  bytes: Uint8Array;
}

export interface KeyLogRecord {
  cookie: Uint8Array;
  kind: KeyLogSecretKind;
  value: Uint8Array;
}

interface KexRun {
  index: number;
  ours: { payload: Uint8Array; proposal: KexInitProposal & { cookie: Uint8Array } };
  theirs?: { payload: Uint8Array; proposal: KexInitProposal };
  negotiation?: Negotiation;
  method?: string;
  ignoreGuess?: boolean;
  /** Our guessed INIT (client, first_kex_packet_follows). */
  guess?: { method: string; privateValue: KexPrivateValue; clientPublic: KexPublicValue };
  privateValue?: KexPrivateValue;
  clientPublic?: KexPublicValue;
  gex?: GexParameters;
  K?: SharedSecret;
  keys?: { client: DirectionKeys; server: DirectionKeys };
  sentNewKeys: boolean;
  receivedNewKeys: boolean;
}

const encoder = new TextEncoder();
const other = (r: Role): Role => (r === 'client' ? 'server' : 'client');

export class Transport {
  readonly role: Role;
  readonly transcript: TranscriptChunk[] = [];
  readonly keyLog: KeyLogRecord[] = [];
  /**
   * This side's ephemeral private value per key exchange where it is one number (DH exponent, X25519 scalar) - the
   * `<cookie> <private key>` form, the only one Wireshark 4.0 reads.
   */
  readonly privateKeyLog: KeyLogRecord[] = [];
  /** Set by the auth layer: the method in progress, which decides what 60..79 mean. */
  authMethod: string | undefined;
  /** Set by the connection layer: the global request the next REQUEST_SUCCESS answers. */
  pendingGlobalRequest: (() => string | undefined) | undefined;
  /** Receives every message that is not the transport's own. */
  upper: (message: DecodedMessage, payload: Uint8Array) => void = () => {};
  /** Called once the first key exchange is done on our side (our NEWKEYS sent): the client starts authentication. */
  onFirstKex: () => void = () => {};
  sessionId: Uint8Array | undefined;
  serverSigAlgs: string[] | undefined;
  hostKey: HostKeyInfo | undefined;

  private readonly events: EndpointEvent[] = [];
  private readonly out: Uint8Array[] = [];
  private readonly writer: PacketWriter;
  private readonly reader: PacketReader;
  private readonly phase: Record<Role, Phase> = { client: 'first-kexinit', server: 'first-kexinit' };
  private readonly localLine: string;
  private peerLine: string | undefined;
  private head: Uint8Array = new Uint8Array(0);
  private kex: KexRun | undefined;
  private kexCount = 0;
  private strict: boolean | undefined;
  /** Upper-layer messages waiting for our NEWKEYS: a payload, or a header and its data (see send). */
  private readonly held: { payload: Uint8Array; tail?: Uint8Array }[] = [];
  private bytesThisEpoch = 0;
  private closedFlag = false;
  private started = false;

  constructor(private readonly options: TransportOptions) {
    this.role = options.role;
    this.writer = new PacketWriter({ direction: this.role, random: paddingSource(options.random) });
    // Without a transcript nothing else holds the received arrays: each packet is decrypted where it lies.
    this.reader = new PacketReader({ direction: other(this.role), mode: 'endpoint', decryptInPlace: !(options.record ?? true) });
    this.localLine = `SSH-2.0-${options.software ?? 'sshlens_0.1'}`;
    if (this.role === 'server' && !(options.hostKeys?.length)) {
      throw new LocalProtocolError('no-host-key', 'a server needs at least one host key');
    }
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Whether this side may send upper-layer messages right now (not inside its own key exchange). */
  get keyed(): boolean {
    return this.phase[this.role] === 'userauth' || this.phase[this.role] === 'connection';
  }

  /** The V_C / V_S lines, once known. */
  get identification(): { client?: string; server?: string } {
    return this.role === 'client' ? { client: this.localLine, server: this.peerLine } : { client: this.peerLine, server: this.localLine };
  }

  /** Sends the identification line and the first KEXINIT (both sides may send both at once, RFC 4253 §7.1). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.emitBytes(encoder.encode(`${this.localLine}\r\n`));
    this.startKex();
  }

  nextEvent(): EndpointEvent | undefined {
    return this.events.shift();
  }

  emit(event: EndpointEvent): void {
    this.events.push(event);
  }

  /** Bytes to put on the wire, concatenated; empty when there are none. */
  dataToSend(): Uint8Array {
    if (this.out.length === 0) return new Uint8Array(0);
    const bytes = this.out.length === 1 ? this.out[0] : concat(this.out);
    this.out.length = 0;
    return bytes;
  }

  /** The same bytes as dataToSend, one array per packet (or identification line), without joining them. */
  takeOutput(): Uint8Array[] {
    if (this.out.length === 0) return [];
    return this.out.splice(0, this.out.length);
  }

  /** Feeds bytes from the peer; events and replies follow. Never throws for the peer's faults: it disconnects. */
  receiveData(bytes: Uint8Array): void {
    if (this.closedFlag || bytes.length === 0) return;
    if (this.recording) this.transcript.push({ sender: other(this.role), time: this.options.clock(), bytes });
    try {
      if (this.peerLine === undefined) {
        this.head = this.head.length ? concat([this.head, bytes]) : bytes;
        const id = parseIdentification(this.head, `${other(this.role)}'s stream`);
        if (!id) return;
        if (id.protoVersion !== '2.0' && id.protoVersion !== '1.99') {
          throw new RemoteProtocolError('protocol-version', `the peer speaks SSH ${id.protoVersion}, not 2.0`, 8);
        }
        this.peerLine = id.line;
        this.emit({ type: 'identification', line: id.line });
        bytes = this.head.subarray(id.end);
        this.head = new Uint8Array(0);
      }
      this.reader.feed(bytes);
      for (let packet = this.reader.next(); packet && !this.closedFlag; packet = this.reader.next()) {
        this.bytesThisEpoch += packet.wire.length;
        this.handle(packet.message!, packet.sequence);
      }
      this.maybeRekeyByVolume();
    } catch (error) {
      if (!(error instanceof SshlensError)) throw error;
      const reason = error instanceof EndpointError ? error.reason
        : error.code === 'bad-mac' ? REASON.macError
        : error.code === 'bad-compression' ? REASON.compressionError
        : this.kex ? REASON.keyExchangeFailed : REASON.protocolError;
      this.disconnect(reason, error.message);
    }
  }

  /** Sends DISCONNECT (RFC 4253 §11.1) and stops. */
  disconnect(reason: number, description: string): void {
    if (this.closedFlag) return;
    if (this.started) {
      try {
        this.write(encodeMessage('SSH_MSG_DISCONNECT', { reason_code: reason, description, language: '' }));
      } catch {
        // Nothing more can be sent (e.g. our NEWKEYS is out and the keys are not): close without it.
      }
    }
    this.closedFlag = true;
    this.emit({ type: 'disconnect', by: 'local', reason, description });
  }

  /**
   * Sends an upper-layer message: now, or after this side's NEWKEYS when a key exchange is under way. The message is
   * `payload`, or `payload | tail` when given in two parts (channel data: the header, then the data itself, which
   * is then copied only once, into the packet).
   */
  send(payload: Uint8Array, tail?: Uint8Array): void {
    if (this.closedFlag) throw new LocalProtocolError('closed', 'the connection is closed');
    const cls = classify(payload[0]);
    if (cls !== 'generic' && cls !== 'DISCONNECT' && (!this.keyed || this.held.length)) {
      this.held.push({ payload, tail });
      this.flushHeld();
      return;
    }
    this.write(payload, tail);
    this.maybeRekeyByVolume();
  }

  /** Sends held messages while this side is keyed and under its volume limit; past it, a rekey comes first. */
  private flushHeld(): void {
    while (this.held.length && this.keyed && !this.closedFlag) {
      if (this.overVolume()) {
        if (!this.kex) this.startKex();
        return;
      }
      const { payload, tail } = this.held.shift()!;
      this.write(payload, tail);
    }
  }

  private overVolume(): boolean {
    return this.kexCount > 0 && this.bytesThisEpoch >= (this.options.rekeyBytes ?? 2 ** 30);
  }

  /** Starts a key exchange (a rekey after the first, RFC 4253 §9); a no-op when one is under way. */
  rekey(): void {
    if (this.closedFlag || this.kex) return;
    this.startKex();
  }

  /** USERAUTH_SUCCESS passed (sent by a server, received by a client): zlib@openssh.com starts (OpenSSH PROTOCOL). */
  private authenticated(): void {
    this.writer.activateDelayedCompression();
    this.reader.activateDelayedCompression();
  }

  decode(payload: Uint8Array): DecodedMessage {
    if (payload[0] === CHANNEL_DATA) {
      const fast = decodeChannelData(payload);
      if (fast) return fast;
    }
    const context: MessageContext = {};
    if (this.kex?.method) context.kex = this.kex.method;
    if (this.authMethod) context.auth = this.authMethod;
    const pending = this.pendingGlobalRequest?.();
    if (pending) context.globalRequest = pending;
    return decodeMessage(payload, context);
  }

  // --- sending -----------------------------------------------------------------------------------------------------

  private get recording(): boolean {
    return this.options.record ?? true;
  }

  private emitBytes(bytes: Uint8Array): void {
    this.out.push(bytes);
    if (this.recording) this.transcript.push({ sender: this.role, time: this.options.clock(), bytes });
  }

  private write(payload: Uint8Array, tail?: Uint8Array): void {
    const moved = step(this.phase[this.role], payload[0], this.strict === true && this.kexCount === 0);
    if (!moved.ok) throw new LocalProtocolError('not-now', `cannot send: ${moved.reason}`);
    this.advance(this.role, moved.to, moved.both);
    const packet = this.writer.writeWire(payload, tail);
    this.bytesThisEpoch += packet.wire.length;
    this.emitBytes(packet.wire);
    if (payload[0] === 52 && this.role === 'server') this.authenticated();
  }

  private advance(direction: Role, to: Phase, both: boolean): void {
    this.phase[direction] = to;
    if (both) {
      const peer = other(direction);
      this.phase[peer] = this.phase[peer].endsWith('-rekey') ? 'connection-rekey' : this.phase[peer] === 'userauth' ? 'connection' : this.phase[peer];
    }
  }

  private maybeRekeyByVolume(): void {
    if (!this.kex && this.overVolume() && !this.closedFlag) this.startKex();
  }

  private startKex(): void {
    const cookie = this.options.random(16);
    const proposal = buildProposal({
      role: this.role, cookie, preferences: this.options.preferences ?? {},
      hostKeyAlgorithms: this.options.hostKeys?.flatMap(hostKeyAlgorithmsFor),
      strictKex: this.options.strictKex ?? true, extInfo: (this.options.extInfo ?? true) && this.kexCount === 0,
    });
    const preferred = proposal.kex_algorithms[0];
    const guess = this.role === 'client' && this.options.guessKex === true && kexMethod(preferred).family !== 'dh-gex';
    if (guess) proposal.first_kex_packet_follows = true;
    const payload = encodeMessage('SSH_MSG_KEXINIT', proposal as unknown as Record<string, unknown>);
    this.kex = { index: this.kexCount, ours: { payload, proposal }, sentNewKeys: false, receivedNewKeys: false };
    this.write(payload);
    if (guess) {
      const { privateValue, clientPublic } = clientKexInit(preferred, this.options.random);
      this.kex.guess = { method: preferred, privateValue, clientPublic };
      this.write(encodeKexInit(preferred, clientPublic));
    }
  }

  // --- receiving ---------------------------------------------------------------------------------------------------

  private handle(payload: Uint8Array, sequence: number): void {
    const n = payload[0];
    const peer = other(this.role);
    const moved = step(this.phase[peer], n, this.strict === true && this.kexCount === 0);
    if (!moved.ok) {
      if (moved.unimplemented) {
        this.write(encodeMessage('SSH_MSG_UNIMPLEMENTED', { sequence_number: sequence }));
        return;
      }
      throw new RemoteProtocolError('unexpected-message', `the ${peer} sent ${moved.reason}`);
    }
    this.advance(peer, moved.to, moved.both);
    const message = this.decode(payload);
    const v = message.value;
    switch (n) {
      case 1:
        this.closedFlag = true;
        this.emit({ type: 'disconnect', by: 'peer', reason: v.reason_code as number, description: String(v.description) });
        return;
      case 2: return;
      case 3: return this.emit({ type: 'unimplemented', sequence: v.sequence_number as number });
      case 4: return this.emit({ type: 'debug', message: String(v.message), alwaysDisplay: v.always_display === true });
      case 192: return this.write(encodeMessage('SSH2_MSG_PONG', { data: v.data as Uint8Array }));
      case 193: return;
      case 7: return this.extInfo(message);
      case 20: return this.peerKexInit(message, payload, sequence);
      case 21: return this.peerNewKeys();
    }
    if (n >= 30 && n <= 49) return this.kexMessage(n, message, payload);
    if (n === 52 && this.role === 'client') this.authenticated();
    this.upper(message, payload);
  }

  private extInfo(message: DecodedMessage): void {
    const extensions = (message.value.extensions as { name: string; value: unknown }[] | undefined) ?? [];
    for (const e of extensions) if (e.name === 'server-sig-algs' && Array.isArray(e.value)) this.serverSigAlgs = e.value as string[];
    this.emit({ type: 'ext-info', extensions: extensions.map((e) => ({ name: e.name, value: e.value })) });
  }

  private peerKexInit(message: DecodedMessage, payload: Uint8Array, sequence: number): void {
    if (message.error) throw new RemoteProtocolError('bad-kexinit', `KEXINIT is malformed: ${message.error.message}`, REASON.keyExchangeFailed);
    if (this.kex?.theirs) throw new RemoteProtocolError('second-kexinit', 'a second KEXINIT arrived within one key exchange');
    const theirs = { payload, proposal: message.value as unknown as KexInitProposal };
    if (!this.kex) {
      this.startKex();
    }
    this.kex!.theirs = theirs;
    this.negotiated();
    if (this.strict && this.kexCount === 0 && sequence !== 0) {
      throw new RemoteProtocolError('strict-kex-violation', `strict kex: the peer's KEXINIT was packet ${sequence}, not its first (draft-miller-sshm-strict-kex §3)`);
    }
  }

  private negotiated(): void {
    const kex = this.kex!;
    const [client, server] = this.role === 'client' ? [kex.ours.proposal, kex.theirs!.proposal] : [kex.theirs!.proposal, kex.ours.proposal];
    const negotiation = negotiate(client, server, {
      isAeadCipher: (name) => CIPHER_ALGORITHMS.find((c) => c.name === name)?.aead ?? false,
      ...(this.strict === undefined ? {} : { strictKexFromFirstKex: this.strict }),
    });
    kex.negotiation = negotiation;
    if (!negotiation.ok) {
      const failed = negotiation.slots.find((s) => s.winner === null && !s.ignored)!;
      throw new RemoteProtocolError('no-common-algorithm', `no common ${failed.label} algorithm: ${failed.reason}`, REASON.keyExchangeFailed);
    }
    if (this.strict === undefined) this.strict = negotiation.strictKex;
    kex.method = negotiation.winners.kex!;
    kex.ignoreGuess = negotiation.guess[other(this.role)].sent && !negotiation.guess[other(this.role)].right;
    if (this.role !== 'client') return;
    if (kex.guess && negotiation.guess.client.right) {
      kex.privateValue = kex.guess.privateValue;
      kex.clientPublic = kex.guess.clientPublic;
      return;
    }
    this.clientFirstStep();
  }

  private clientFirstStep(): void {
    const kex = this.kex!;
    const method = kexMethod(kex.method!);
    if (method.family === 'dh-gex') {
      const { min, n, max } = this.options.gexRequest ?? { min: 2048, n: 3072, max: 8192 };
      kex.gex = { min, n, max, p: 0n, g: 0n };
      this.write(encodeMessage('SSH_MSG_KEX_DH_GEX_REQUEST', { min, n, max }, { kex: method.name }));
      return;
    }
    this.clientSendPublic();
  }

  private clientSendPublic(): void {
    const kex = this.kex!;
    const group = kex.gex ? { p: kex.gex.p, g: kex.gex.g } : undefined;
    const { privateValue, clientPublic } = clientKexInit(kex.method!, this.options.random, group);
    kex.privateValue = privateValue;
    kex.clientPublic = clientPublic;
    this.write(encodeKexInit(kex.method!, clientPublic));
  }

  private kexMessage(n: number, message: DecodedMessage, payload: Uint8Array): void {
    const kex = this.kex;
    if (!kex?.method) throw new RemoteProtocolError('unexpected-kex-message', `kex message ${n} arrived before both KEXINITs`);
    if (kex.ignoreGuess) {
      kex.ignoreGuess = false; // RFC 4253 §7: a wrongly guessed first kex packet is ignored
      return;
    }
    const family = kexMethod(kex.method).family;
    if (this.role === 'client') {
      if (family === 'dh-gex' && n === 31 && kex.privateValue === undefined) {
        kex.gex = { ...kex.gex!, p: message.value.p as bigint, g: message.value.g as bigint };
        return this.clientSendPublic();
      }
      if (n !== replyNumber(kex.method) || kex.privateValue === undefined) throw new RemoteProtocolError('unexpected-kex-message', `unexpected kex message ${message.name} from the server`, REASON.keyExchangeFailed);
      return this.clientReply(message, payload);
    }
    if (family === 'dh-gex' && (n === 34 || n === 30) && !kex.gex) {
      const v = message.value;
      const group = n === 34 ? chooseGexGroup(v.min as number, v.n as number, v.max as number) : chooseGexGroup(1024, v.n as number, 8192);
      kex.gex = n === 34 ? { min: v.min as number, n: v.n as number, max: v.max as number, p: group.p, g: group.g } : { n: v.n as number, p: group.p, g: group.g };
      this.write(encodeMessage('SSH_MSG_KEX_DH_GEX_GROUP', { p: group.p, g: group.g }, { kex: kex.method }));
      return;
    }
    if (n !== initNumber(kex.method) || kex.clientPublic !== undefined) throw new RemoteProtocolError('unexpected-kex-message', `unexpected kex message ${message.name} from the client`, REASON.keyExchangeFailed);
    this.serverReply(readKexInit(kex.method, message, payload));
  }

  private hashInputs(kex: KexRun, K_S: Uint8Array, serverPublic: KexPublicValue, K: SharedSecret) {
    const [I_C, I_S] = this.role === 'client' ? [kex.ours.payload, kex.theirs!.payload] : [kex.theirs!.payload, kex.ours.payload];
    const id = this.identification;
    return exchangeHash({
      method: kex.method!, V_C: id.client!, V_S: id.server!, I_C, I_S, K_S, clientPublic: kex.clientPublic!, serverPublic,
      ...(kex.gex ? { gex: kex.gex } : {}), K,
    }).H;
  }

  private clientReply(message: DecodedMessage, payload: Uint8Array): void {
    const kex = this.kex!;
    const reply = readKexReply(kex.method!, message, payload);
    const group = kex.gex ? { p: kex.gex.p, g: kex.gex.g } : undefined;
    const K = clientKexFinish(kex.method!, kex.privateValue!, reply.serverPublic, group);
    const H = this.hashInputs(kex, reply.hostKeyBlob, reply.serverPublic, K);
    const algorithm = kex.negotiation!.winners.hostKey!;
    const check = verifyHostKeySignature({ algorithm, hostKeyBlob: reply.hostKeyBlob, signatureBlob: reply.signatureBlob, H });
    const info: HostKeyInfo = { algorithm, blob: reply.hostKeyBlob, fingerprint: check.fingerprint, verified: check.verified, reason: check.reason };
    if (!check.verified) throw new RemoteProtocolError('bad-host-signature', `the server's host key signature over H does not verify: ${check.reason}`, REASON.keyExchangeFailed);
    if (this.options.acceptHostKey && !this.options.acceptHostKey(info)) {
      throw new RemoteProtocolError('host-key-rejected', `the host key ${info.fingerprint} (${algorithm}) is not trusted`, REASON.hostKeyNotVerifiable);
    }
    this.hostKey = info;
    this.finishKex(K, H);
  }

  private serverReply(clientPublic: KexPublicValue): void {
    const kex = this.kex!;
    kex.clientPublic = clientPublic;
    const algorithm = kex.negotiation!.winners.hostKey!;
    const alg = findHostKeyAlgorithm(algorithm)!;
    const key = this.options.hostKeys!.find((k) => k.type === alg.plainKeyType)!;
    const K_S = signingKeyBlob(key);
    const group = kex.gex ? { p: kex.gex.p, g: kex.gex.g } : undefined;
    const { serverPublic, K, privateValue } = serverKexReply(kex.method!, clientPublic, this.options.random, group);
    kex.privateValue = privateValue;
    const H = this.hashInputs(kex, K_S, serverPublic, K);
    const signature = signExchangeHash(algorithm, key, H);
    this.hostKey = { algorithm, blob: K_S, fingerprint: fingerprintSha256(K_S), verified: true, reason: 'our own key' };
    this.write(encodeKexReply(kex.method!, K_S, serverPublic, signature));
    this.finishKex(K, H);
  }

  /** K and H known: derive keys (RFC 4253 §7.2), log K, send NEWKEYS, switch our direction (§7.3). */
  private finishKex(K: SharedSecret, H: Uint8Array): void {
    const kex = this.kex!;
    const negotiation = kex.negotiation!;
    const method = kexMethod(kex.method!);
    this.sessionId ??= H;
    kex.K = K;
    const derived = deriveKeys({ hash: method.hash, K: K.wire, H, sessionId: this.sessionId, sizes: keySizes(negotiation.winners) });
    kex.keys = { client: directionKeys(negotiation.winners, derived, 'client'), server: directionKeys(negotiation.winners, derived, 'server') };
    this.keyLog.push({ cookie: kex.ours.proposal.cookie, kind: 'shared-secret', value: sharedSecretValue(K) });
    const family = method.family;
    if (family === 'curve25519' || family === 'dh-group' || family === 'dh-gex') {
      const value = kex.privateValue;
      if (value !== undefined) {
        const bytes = typeof value === 'bigint' ? unsignedBytes(value) : value;
        this.privateKeyLog.push({ cookie: kex.ours.proposal.cookie, kind: 'private-key', value: bytes });
      }
    }
    this.write(encodeMessage('SSH_MSG_NEWKEYS', {}));
    this.writer.newKeys(kex.keys[this.role], this.strict!);
    kex.sentNewKeys = true;
    this.emit({ type: 'kex-complete', index: kex.index, negotiation, strict: this.strict!, H, sessionId: this.sessionId, hostKey: this.hostKey! });
    if (this.role === 'server' && kex.index === 0 && negotiation.extInfo.client) {
      const algs = this.options.serverSigAlgs ?? ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'];
      this.write(encodeMessage('SSH_MSG_EXT_INFO', { extensions: [{ name: 'server-sig-algs', value: algs }] }));
    }
    this.flushHeld();
    if (kex.index === 0) this.onFirstKex();
    this.maybeDone();
  }

  private peerNewKeys(): void {
    const kex = this.kex;
    if (!kex?.keys) throw new RemoteProtocolError('early-newkeys', 'NEWKEYS arrived before the key exchange computed the keys', REASON.keyExchangeFailed);
    this.reader.newKeys(kex.keys[other(this.role)], this.strict!);
    kex.receivedNewKeys = true;
    this.maybeDone();
  }

  private maybeDone(): void {
    const kex = this.kex!;
    if (!kex.sentNewKeys || !kex.receivedNewKeys) return;
    this.kex = undefined;
    this.kexCount++;
    this.bytesThisEpoch = 0;
    this.flushHeld();
  }
}
