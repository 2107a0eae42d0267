/**
 * @module decoder/summary
 * One short line per message for lists and the CLI: the auth method, the exec command, the channel and byte count...
 * Strings from the wire are passed through {@link inert}, so a hostile banner cannot move a terminal's cursor or
 * reorder text (control and bidirectional-override characters become visible escapes).
 */

/** What {@link inert} escapes: the backslash itself, C0 and C1 controls, DEL, and the invisible and bidi controls. */
const NEEDS_ESCAPE = /[\\\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Escapes control characters, bidi controls and invalid text so that a string from the wire is shown, never obeyed. */
export function inert(value: unknown, max = 120): string {
  if (value instanceof Uint8Array) return `<${value.length} bytes, not UTF-8>`;
  const text = String(value ?? '');
  // Most text needs no escape: then it is shown as is (cut at `max`), as the loop below would show it.
  if (!NEEDS_ESCAPE.test(text)) return text.length > max ? text.slice(0, max) + '…' : text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code === 0x5c) out += '\\\\';
    else if (code === 0x0a) out += '\\n';
    else if (code === 0x0d) out += '\\r';
    else if (code === 0x09) out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x200b && code <= 0x200f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0xfeff) {
      out += `\\u{${code.toString(16)}}`;
    } else out += ch;
    if (out.length > max) return out.slice(0, max) + '…';
  }
  return out;
}

const quote = (value: unknown) => `"${inert(value, 80)}"`;
const list = (value: unknown, n = 3) => {
  const names = Array.isArray(value) ? (value as string[]) : [];
  return names.slice(0, n).join(',') + (names.length > n ? `,… (${names.length})` : '');
};
const size = (value: unknown) => (value instanceof Uint8Array ? value.length : 0);

type Summarizer = (v: Record<string, unknown>) => string;

const summaries: Record<string, Summarizer> = {
  SSH_MSG_DISCONNECT: (v) => `reason ${v.reason_code} ${quote(v.description)}`,
  SSH_MSG_IGNORE: (v) => `${size(v.data)} bytes`,
  SSH_MSG_DEBUG: (v) => quote(v.message),
  SSH_MSG_UNIMPLEMENTED: (v) => `seq ${v.sequence_number}`,
  SSH_MSG_SERVICE_REQUEST: (v) => String(v.service_name ?? ''),
  SSH_MSG_SERVICE_ACCEPT: (v) => String(v.service_name ?? ''),
  SSH_MSG_EXT_INFO: (v) => {
    const ext = Array.isArray(v.extensions) ? (v.extensions as { name?: string }[]) : [];
    return ext.map((e) => inert(e.name)).join(', ');
  },
  SSH_MSG_KEXINIT: (v) => `kex ${list(v.kex_algorithms, 2)}; cipher ${list(v.encryption_algorithms_client_to_server, 2)}`,
  SSH_MSG_USERAUTH_REQUEST: (v) => {
    const base = `${inert(v.user, 40)} ${inert(v.method, 40)}`;
    if (String(v.method).startsWith('publickey')) return `${base} ${inert(v.algorithm, 60)}${v.has_signature ? ' (signed)' : ' (query)'}`;
    if (v.method === 'password') return `${base}${v.changing ? ' (change)' : ''}`;
    return base;
  },
  SSH_MSG_USERAUTH_FAILURE: (v) => `can continue: ${list(v.methods, 4)}${v.partial_success ? ' (partial success)' : ''}`,
  SSH_MSG_USERAUTH_BANNER: (v) => quote(v.message),
  SSH_MSG_GLOBAL_REQUEST: (v) => `${inert(v.request_name, 60)}${v.want_reply ? ' (reply wanted)' : ''}`,
  SSH_MSG_CHANNEL_OPEN: (v) => `${inert(v.channel_type, 40)} #${v.sender_channel} window ${v.initial_window_size}`,
  SSH_MSG_CHANNEL_OPEN_CONFIRMATION: (v) => `#${v.recipient_channel} <-> #${v.sender_channel} window ${v.initial_window_size}`,
  SSH_MSG_CHANNEL_OPEN_FAILURE: (v) => `#${v.recipient_channel} reason ${v.reason_code} ${quote(v.description)}`,
  SSH_MSG_CHANNEL_WINDOW_ADJUST: (v) => `#${v.recipient_channel} +${v.bytes_to_add}`,
  SSH_MSG_CHANNEL_DATA: (v) => `#${v.recipient_channel} ${size(v.data)} bytes`,
  SSH_MSG_CHANNEL_EXTENDED_DATA: (v) => `#${v.recipient_channel} ${size(v.data)} bytes (type ${v.data_type_code})`,
  SSH_MSG_CHANNEL_EOF: (v) => `#${v.recipient_channel}`,
  SSH_MSG_CHANNEL_CLOSE: (v) => `#${v.recipient_channel}`,
  SSH_MSG_CHANNEL_SUCCESS: (v) => `#${v.recipient_channel}`,
  SSH_MSG_CHANNEL_FAILURE: (v) => `#${v.recipient_channel}`,
  SSH_MSG_CHANNEL_REQUEST: (v) => {
    const head = `#${v.recipient_channel} ${inert(v.request_type, 40)}`;
    switch (v.request_type) {
      case 'exec': return `${head} ${quote(v.command)}`;
      case 'subsystem': return `${head} ${inert(v.subsystem, 40)}`;
      case 'env': return `${head} ${inert(v.name, 40)}=${inert(v.value, 60)}`;
      case 'pty-req': return `${head} ${inert(v.term, 40)} ${v.width_chars}x${v.height_rows}`;
      case 'window-change': return `${head} ${v.width_chars}x${v.height_rows}`;
      case 'exit-status': return `${head} ${v.exit_status}`;
      case 'exit-signal': case 'signal': return `${head} ${inert(v.signal, 20)}`;
      default: return head;
    }
  },
};

/** A one-line summary of a decoded message (empty when there is nothing more to say than its name). */
export function summarize(name: string, value: Record<string, unknown>): string {
  const summarizer = summaries[name];
  if (!summarizer) return '';
  try {
    return summarizer(value);
  } catch {
    return '';
  }
}
