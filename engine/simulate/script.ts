/**
 * @module simulate/script
 * The client's side of a scenario: after USERAUTH_SUCCESS it performs the actions one after another, each waiting
 * for its outcome (a channel closed, a reply, a finished rekey) before the next; then it disconnects (RFC 4253
 * §11.1, SSH_DISCONNECT_BY_APPLICATION). What each action saw is kept in `results`.
 */
import type { Client } from '../endpoint/client.ts';
import type { EndpointEvent } from '../endpoint/events.ts';

export type Action =
  /** exec a built-in command (RFC 4254 §6.5), optionally with standard input, environment and a pty. */
  | { do: 'exec'; command: string; stdin?: string | Uint8Array; env?: Record<string, string>; pty?: { columns: number; rows: number } }
  /** An interactive shell with a pty (§6.2, §6.5): lines typed in, optionally a resize (§6.7) before them. */
  | { do: 'shell'; lines: string[]; pty?: { columns: number; rows: number }; resize?: { columns: number; rows: number } }
  | { do: 'subsystem'; name: string }
  /** A new key exchange (RFC 4253 §9). */
  | { do: 'rekey' }
  | { do: 'keepalive' }
  /** Local forwarding (§7.2): open direct-tcpip to host:port, send data, read the answer. */
  | { do: 'direct-tcpip'; host: string; port: number; data: string }
  /** Remote forwarding (§7.1): tcpip-forward, then take the connection the server forwards. */
  | { do: 'tcpip-forward'; port: number }
  /** Open a session and send a signal to the command (§6.9). */
  | { do: 'signal'; command: string; signal: string };

export interface ActionResult {
  action: Action;
  stdout: string;
  stderr: string;
  exitStatus: number | null;
  exitSignal?: string;
  refused?: string;
  replies: { request: string; success: boolean }[];
}

export class ClientScript {
  readonly results: ActionResult[] = [];
  private index = -1;
  private channel = -1;
  private current: ActionResult | undefined;
  private readonly decoder = new TextDecoder();

  constructor(private readonly client: Client, private readonly actions: Action[]) {}

  handle(e: EndpointEvent): void {
    const c = this.client;
    const r = this.current;
    switch (e.type) {
      case 'auth-success': return this.next();
      case 'kex-complete': if (e.index > 0 && r?.action.do === 'rekey') this.next(); return;
      case 'global-reply':
        if (r && (r.action.do === 'keepalive' || r.action.do === 'tcpip-forward')) {
          r.replies.push({ request: e.name, success: e.success });
          if (r.action.do === 'keepalive' || !e.success) this.next();
        }
        return;
      case 'channel-open':
        // The server forwards a connection to us (tcpip-forward): read it like a session.
        if (r?.action.do === 'tcpip-forward') this.channel = e.channel;
        return;
      case 'channel-open-failed':
        if (r && e.channel === this.channel) {
          r.refused = e.description;
          this.next();
        }
        return;
      case 'channel-open-confirmed': return this.opened();
      case 'channel-reply':
        if (!r || e.channel !== this.channel) return;
        r.replies.push({ request: e.request, success: e.success });
        if (!e.success && e.request !== 'pty-req' && e.request !== 'env') c.close(this.channel);
        else if (e.request === 'exec' || e.request === 'shell') this.started();
        return;
      case 'channel-data':
        if (r && e.channel === this.channel) r[e.stream] += this.decoder.decode(e.data, { stream: true });
        return;
      case 'channel-request':
        if (r && e.channel === this.channel && e.request === 'exit-status') r.exitStatus = e.value.exit_status as number;
        if (r && e.channel === this.channel && e.request === 'exit-signal') r.exitSignal = String(e.value.signal);
        return;
      case 'channel-close':
        if (r && e.channel === this.channel) this.next();
        return;
    }
  }

  private next(): void {
    if (this.index >= 0 && this.current) this.results.push(this.current);
    this.index++;
    const action = this.actions[this.index];
    if (!action) {
      this.current = undefined;
      if (!this.client.closed) this.client.disconnect('session finished');
      return;
    }
    this.current = { action, stdout: '', stderr: '', exitStatus: null, replies: [] };
    const c = this.client;
    switch (action.do) {
      case 'rekey': return c.rekey();
      case 'keepalive': return c.keepalive();
      case 'tcpip-forward': return c.forwardPort('127.0.0.1', action.port);
      case 'direct-tcpip':
        this.channel = c.openDirectTcpip(action.host, action.port);
        return;
      default:
        this.channel = c.openSession();
    }
  }

  private opened(): void {
    const a = this.current!.action;
    const c = this.client;
    const ch = this.channel;
    switch (a.do) {
      case 'exec':
        for (const [k, v] of Object.entries(a.env ?? {})) c.env(ch, k, v);
        if (a.pty) c.pty(ch, a.pty);
        return c.exec(ch, a.command);
      case 'shell':
        c.pty(ch, a.pty ?? { columns: 80, rows: 24 });
        return c.shell(ch);
      case 'subsystem': return c.subsystem(ch, a.name);
      case 'signal': return c.exec(ch, a.command);
      case 'direct-tcpip':
        c.write(ch, a.data);
        return c.eof(ch);
    }
  }

  /** exec or shell accepted: feed input. */
  private started(): void {
    const a = this.current!.action;
    const c = this.client;
    const ch = this.channel;
    if (!c.connection.isOpen(ch)) return; // the command already finished and closed the channel
    if (a.do === 'exec') {
      if (a.stdin !== undefined) c.write(ch, a.stdin);
      c.eof(ch);
    } else if (a.do === 'shell') {
      if (a.resize) c.resize(ch, a.resize.columns, a.resize.rows);
      for (const line of a.lines) c.write(ch, `${line}\r`);
    } else if (a.do === 'signal') c.signal(ch, a.signal);
  }
}
