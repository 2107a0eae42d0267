/**
 * @module messages/connection
 * Connection protocol messages (RFC 4254): global requests, channels, channel requests with their payloads
 * (terminal modes of RFC 4254 §8 decoded opcode by opcode; break of RFC 4335; IUTF8 of RFC 8160), and OpenSSH's
 * extensions from its PROTOCOL file (hostkeys-00/hostkeys-prove-00, streamlocal, tun, eow, no-more-sessions...), and
 * PuTTY's winadj@ / simple@putty.projects.tartarus.org channel requests.
 */
import { publicKeyLayout, signatureLayout } from './blobs.ts';
import type { MessageEntry } from './entry.ts';
import { blob, field, repeat, switchOn, type FieldDecl, type Layout } from './layout.ts';

const OPENSSH = 'OpenSSH PROTOCOL';

/** RFC 4254 §8 (and RFC 8160 for IUTF8): terminal mode opcodes. */
export const TERMINAL_MODES: Readonly<Record<number, string>> = {
  0: 'TTY_OP_END', 1: 'VINTR', 2: 'VQUIT', 3: 'VERASE', 4: 'VKILL', 5: 'VEOF', 6: 'VEOL', 7: 'VEOL2', 8: 'VSTART',
  9: 'VSTOP', 10: 'VSUSP', 11: 'VDSUSP', 12: 'VREPRINT', 13: 'VWERASE', 14: 'VLNEXT', 15: 'VFLUSH', 16: 'VSWTCH',
  17: 'VSTATUS', 18: 'VDISCARD', 30: 'IGNPAR', 31: 'PARMRK', 32: 'INPCK', 33: 'ISTRIP', 34: 'INLCR', 35: 'IGNCR',
  36: 'ICRNL', 37: 'IUCLC', 38: 'IXON', 39: 'IXANY', 40: 'IXOFF', 41: 'IMAXBEL', 42: 'IUTF8', 50: 'ISIG', 51: 'ICANON',
  52: 'XCASE', 53: 'ECHO', 54: 'ECHOE', 55: 'ECHOK', 56: 'ECHONL', 57: 'NOFLSH', 58: 'TOSTOP', 59: 'IEXTEN',
  60: 'ECHOCTL', 61: 'ECHOKE', 62: 'PENDIN', 70: 'OPOST', 71: 'OLCUC', 72: 'ONLCR', 73: 'OCRNL', 74: 'ONOCR',
  75: 'ONLRET', 90: 'CS7', 91: 'CS8', 92: 'PARENB', 93: 'PARODD', 128: 'TTY_OP_ISPEED', 129: 'TTY_OP_OSPEED',
};

/** RFC 4254 §5.1: SSH_MSG_CHANNEL_OPEN_FAILURE reason codes. */
export const OPEN_FAILURE_REASONS: Readonly<Record<number, string>> = {
  1: 'SSH_OPEN_ADMINISTRATIVELY_PROHIBITED',
  2: 'SSH_OPEN_CONNECT_FAILED',
  3: 'SSH_OPEN_UNKNOWN_CHANNEL_TYPE',
  4: 'SSH_OPEN_RESOURCE_SHORTAGE',
};

/** RFC 4254 §8: the encoded terminal modes, a list of (opcode, uint32 argument) ended by TTY_OP_END. */
const terminalModes: Layout = [
  field('modes', repeat([
    field('opcode', 'byte', 'Which terminal setting: a control character (1-18), an input/local/output flag (30-93) or a speed (128, 129).', { rfc: 'RFC 4254 §8', values: TERMINAL_MODES }),
    switchOn('opcode', {
      end: [field('after_end', 'rest', 'Bytes after TTY_OP_END (there should be none).', { rfc: 'RFC 4254 §8', optional: true })],
      argument: [field('argument', 'uint32', 'The setting\'s value: a character code, 0/1 for a flag, or a speed in bits per second.', { rfc: 'RFC 4254 §8' })],
      stop: [field('data', 'rest', 'Opcodes 160 to 255 are not defined and stop the parsing; the rest is shown raw.', { rfc: 'RFC 4254 §8', unknown: true })],
    }, { key: (v) => (v === 0 ? 'end' : (v as number) < 160 ? 'argument' : 'stop') }),
  ], undefined, 'One terminal mode: an opcode and its argument.'), 'The terminal modes the client wants, one opcode at a time.', { rfc: 'RFC 4254 §8' }),
];

const dims = (rfc: string): FieldDecl[] => [
  field('width_chars', 'uint32', 'Terminal width in characters (columns).', { rfc }),
  field('height_rows', 'uint32', 'Terminal height in rows.', { rfc }),
  field('width_pixels', 'uint32', 'Terminal width in pixels (0 if unknown).', { rfc }),
  field('height_pixels', 'uint32', 'Terminal height in pixels (0 if unknown).', { rfc }),
];

/** RFC 4254 §6 and OpenSSH PROTOCOL: the payload of each channel request type. */
const channelRequests: Record<string, Layout> = {
  'pty-req': [
    field('term', 'text', 'The TERM environment variable, e.g. xterm-256color.', { rfc: 'RFC 4254 §6.2' }),
    ...dims('RFC 4254 §6.2'),
    field('terminal_modes', blob(terminalModes), 'The terminal modes, encoded as opcode/argument pairs.', { rfc: 'RFC 4254 §6.2' }),
  ],
  'x11-req': [
    field('single_connection', 'boolean', 'If true, only one X11 connection is forwarded.', { rfc: 'RFC 4254 §6.3.1' }),
    field('auth_protocol', 'text', 'The X11 authentication protocol, e.g. MIT-MAGIC-COOKIE-1.', { rfc: 'RFC 4254 §6.3.1' }),
    field('auth_cookie', 'text', 'The (fake) X11 authentication cookie, hex-encoded.', { rfc: 'RFC 4254 §6.3.1' }),
    field('screen_number', 'uint32', 'The X11 screen number.', { rfc: 'RFC 4254 §6.3.1' }),
  ],
  env: [
    field('name', 'text', 'The environment variable name, e.g. LANG.', { rfc: 'RFC 4254 §6.4' }),
    field('value', 'text', 'Its value.', { rfc: 'RFC 4254 §6.4' }),
  ],
  shell: [],
  exec: [field('command', 'text', 'The command line to run.', { rfc: 'RFC 4254 §6.5' })],
  subsystem: [field('subsystem', 'text', 'The subsystem to start, e.g. sftp.', { rfc: 'RFC 4254 §6.5' })],
  'window-change': dims('RFC 4254 §6.7'),
  'xon-xoff': [field('client_can_do', 'boolean', 'True if the client can handle ^S/^Q flow control itself.', { rfc: 'RFC 4254 §6.8' })],
  signal: [field('signal', 'text', 'The signal name without "SIG", e.g. INT or TERM.', { rfc: 'RFC 4254 §6.9' })],
  'exit-status': [field('exit_status', 'uint32', 'The command\'s exit status (0 usually means success).', { rfc: 'RFC 4254 §6.10' })],
  'exit-signal': [
    field('signal', 'text', 'The signal that ended the command, without "SIG".', { rfc: 'RFC 4254 §6.10' }),
    field('core_dumped', 'boolean', 'Whether a core file was written.', { rfc: 'RFC 4254 §6.10' }),
    field('error_message', 'text', 'A human-readable explanation.', { rfc: 'RFC 4254 §6.10' }),
    field('language', 'text', 'A language tag for the message.', { rfc: 'RFC 4254 §6.10' }),
  ],
  break: [field('break_length_ms', 'uint32', 'How long the BREAK should last, in milliseconds.', { rfc: 'RFC 4335 §3' })],
  'auth-agent-req@openssh.com': [],
  'keepalive@openssh.com': [],
  'eow@openssh.com': [],
  // PuTTY's own channel requests, neither with data (PuTTY manual, appendix F "SSH-2 names specified for PuTTY"):
  // winadj@ travels beside WINDOW_ADJUST for window-size tuning (servers answer it with CHANNEL_FAILURE, and the
  // time to that reply measures the round trip); simple@ tells the server that no other channel will be opened, so
  // it may use a large window.
  'winadj@putty.projects.tartarus.org': [],
  'simple@putty.projects.tartarus.org': [],
};

const address = (name: string, doc: string, rfc: string) => field(name, 'text', doc, { rfc });
const port = (name: string, doc: string, rfc: string) => field(name, 'uint32', doc, { rfc });

/** RFC 4254 §6.1, §6.3.2, §7.2 and OpenSSH PROTOCOL: the type-specific part of each channel open. */
const channelTypes: Record<string, Layout> = {
  session: [],
  x11: [
    address('originator_address', 'The address of the X11 client that connected.', 'RFC 4254 §6.3.2'),
    port('originator_port', 'Its port.', 'RFC 4254 §6.3.2'),
  ],
  'direct-tcpip': [
    address('host', 'The host the server should connect to (local forwarding, ssh -L).', 'RFC 4254 §7.2'),
    port('port', 'The port to connect to.', 'RFC 4254 §7.2'),
    address('originator_address', 'The address of the client-side program that connected.', 'RFC 4254 §7.2'),
    port('originator_port', 'Its port.', 'RFC 4254 §7.2'),
  ],
  'forwarded-tcpip': [
    address('connected_address', 'The forwarded address that was connected to (remote forwarding, ssh -R).', 'RFC 4254 §7.2'),
    port('connected_port', 'The forwarded port that was connected to.', 'RFC 4254 §7.2'),
    address('originator_address', 'The address of the program that connected.', 'RFC 4254 §7.2'),
    port('originator_port', 'Its port.', 'RFC 4254 §7.2'),
  ],
  'auth-agent@openssh.com': [],
  'direct-streamlocal@openssh.com': [
    field('socket_path', 'text', 'The Unix socket the server should connect to.', { rfc: OPENSSH }),
    field('reserved', 'string', 'Reserved, empty.', { rfc: OPENSSH }),
    field('reserved2', 'uint32', 'Reserved, 0.', { rfc: OPENSSH }),
  ],
  'forwarded-streamlocal@openssh.com': [
    field('socket_path', 'text', 'The forwarded Unix socket that was connected to.', { rfc: OPENSSH }),
    field('reserved', 'string', 'Reserved for future use, empty.', { rfc: OPENSSH }),
  ],
  'tun@openssh.com': [
    field('tunnel_mode', 'uint32', 'Whether to forward layer-3 packets (1) or layer-2 frames (2).', { rfc: OPENSSH, values: { 1: 'SSH_TUNMODE_POINTOPOINT', 2: 'SSH_TUNMODE_ETHERNET' } }),
    field('remote_unit', 'uint32', 'The remote tun device number; 0x7fffffff lets the server choose.', { rfc: OPENSSH }),
  ],
};

const forward = (rfc: string): FieldDecl[] => [
  address('bind_address', 'The address the server should listen on ("" or "0.0.0.0" for all, "localhost"...).', rfc),
  port('bind_port', 'The port to listen on; 0 lets the server choose one and report it.', rfc),
];
const hostkeys = (doc: string): FieldDecl => field('hostkeys', repeat([field('key', blob(publicKeyLayout), 'A host key blob.', { rfc: OPENSSH })]), doc, { rfc: OPENSSH });

/** RFC 4254 §4, §7.1 and OpenSSH PROTOCOL: the payload of each global request. */
const globalRequests: Record<string, Layout> = {
  'tcpip-forward': forward('RFC 4254 §7.1'),
  'cancel-tcpip-forward': forward('RFC 4254 §7.1'),
  'keepalive@openssh.com': [],
  'no-more-sessions@openssh.com': [],
  'hostkeys-00@openssh.com': [hostkeys('All the server\'s host keys, so the client can learn new ones (key rotation).')],
  'hostkeys-prove-00@openssh.com': [hostkeys('The host keys the client wants the server to prove it holds.')],
  'streamlocal-forward@openssh.com': [field('socket_path', 'text', 'The Unix socket the server should listen on.', { rfc: OPENSSH })],
  'cancel-streamlocal-forward@openssh.com': [field('socket_path', 'text', 'The Unix socket to stop listening on.', { rfc: OPENSSH })],
};

/** OpenSSH PROTOCOL (hostkeys-prove-00): what the server signs with each host key it is asked to prove. */
export const hostkeysProveSignedDataLayout: Layout = [
  field('request', 'text', 'The request name, "hostkeys-prove-00@openssh.com".', { rfc: OPENSSH }),
  field('session_id', 'string', 'The session identifier (H of the first key exchange).', { rfc: OPENSSH }),
  field('host_key', blob(publicKeyLayout), 'The host key being proven.', { rfc: OPENSSH }),
];

const recipient = field('recipient_channel', 'uint32', 'The receiver\'s number for this channel.', { rfc: 'RFC 4254 §5.1' });
const windowFields = (rfc: string): FieldDecl[] => [
  field('initial_window_size', 'uint32', 'How many bytes the sender may receive before it must send a WINDOW_ADJUST.', { rfc }),
  field('maximum_packet_size', 'uint32', 'The largest data packet the sender accepts.', { rfc }),
];
const channelOnly = (number: number, name: string, rfc: string, summary: string): MessageEntry => ({ number, name, rfc, summary, layout: [recipient] });

export const connectionMessages: MessageEntry[] = [
  {
    number: 80, name: 'SSH_MSG_GLOBAL_REQUEST', rfc: 'RFC 4254 §4', summary: 'A request about the whole connection, not one channel (port forwarding, keepalive...).',
    layout: [
      field('request_name', 'text', 'What is requested, e.g. tcpip-forward or keepalive@openssh.com.', { rfc: 'RFC 4254 §4' }),
      field('want_reply', 'boolean', 'Whether the sender wants a REQUEST_SUCCESS/FAILURE answer.', { rfc: 'RFC 4254 §4' }),
      switchOn('request_name', globalRequests),
    ],
  },
  {
    number: 81, name: 'SSH_MSG_REQUEST_SUCCESS', rfc: 'RFC 4254 §4', summary: 'The global request succeeded.',
    layout: [field('response_data', 'rest', 'Request-specific response data (its layout depends on the request answered).', { rfc: 'RFC 4254 §4', optional: true, unknown: true })],
  },
  {
    number: 81, name: 'SSH_MSG_REQUEST_SUCCESS', rfc: 'RFC 4254 §7.1', context: { globalRequest: 'tcpip-forward' }, summary: 'The port forwarding is set up.',
    layout: [field('bound_port', 'uint32', 'The port the server chose, sent only when the request asked for port 0.', { rfc: 'RFC 4254 §7.1', optional: true })],
  },
  {
    number: 81, name: 'SSH_MSG_REQUEST_SUCCESS', rfc: OPENSSH, context: { globalRequest: 'hostkeys-prove-00@openssh.com' }, summary: 'The server proves it holds the requested host keys.',
    layout: [field('signatures', repeat([field('signature', blob(signatureLayout), 'A signature over "hostkeys-prove-00@openssh.com", the session id and one host key.', { rfc: OPENSSH })]),
      'One signature per requested key, in the order of the request.', { rfc: OPENSSH })],
  },
  { number: 82, name: 'SSH_MSG_REQUEST_FAILURE', rfc: 'RFC 4254 §4', summary: 'The global request failed or is not known.', layout: [] },
  {
    number: 90, name: 'SSH_MSG_CHANNEL_OPEN', rfc: 'RFC 4254 §5.1', summary: 'Opens a channel: a session, a forwarded connection, an agent connection...',
    layout: [
      field('channel_type', 'text', 'The kind of channel: session, direct-tcpip, x11...', { rfc: 'RFC 4254 §5.1' }),
      field('sender_channel', 'uint32', 'The sender\'s own number for this channel.', { rfc: 'RFC 4254 §5.1' }),
      ...windowFields('RFC 4254 §5.1'),
      switchOn('channel_type', channelTypes),
    ],
  },
  {
    number: 91, name: 'SSH_MSG_CHANNEL_OPEN_CONFIRMATION', rfc: 'RFC 4254 §5.1', summary: 'The channel is open; the receiver gives its own channel number and window.',
    layout: [
      recipient,
      field('sender_channel', 'uint32', 'The confirming side\'s own number for this channel.', { rfc: 'RFC 4254 §5.1' }),
      ...windowFields('RFC 4254 §5.1'),
      field('type_specific_data', 'rest', 'Channel-type-specific data (none for the standard types).', { rfc: 'RFC 4254 §5.1', optional: true, unknown: true }),
    ],
  },
  {
    number: 92, name: 'SSH_MSG_CHANNEL_OPEN_FAILURE', rfc: 'RFC 4254 §5.1', summary: 'The channel could not be opened, with a reason code.',
    layout: [
      recipient,
      field('reason_code', 'uint32', 'Why the channel was refused.', { rfc: 'RFC 4254 §5.1', values: OPEN_FAILURE_REASONS }),
      field('description', 'text', 'A human-readable explanation.', { rfc: 'RFC 4254 §5.1' }),
      field('language', 'text', 'A language tag for it.', { rfc: 'RFC 4254 §5.1' }),
    ],
  },
  {
    number: 93, name: 'SSH_MSG_CHANNEL_WINDOW_ADJUST', rfc: 'RFC 4254 §5.2', summary: 'Lets the peer send more data on a channel (flow control).',
    layout: [recipient, field('bytes_to_add', 'uint32', 'How many more bytes the peer may send.', { rfc: 'RFC 4254 §5.2' })],
  },
  {
    number: 94, name: 'SSH_MSG_CHANNEL_DATA', rfc: 'RFC 4254 §5.2', summary: 'Data on a channel (e.g. a program\'s standard input or output).',
    layout: [recipient, field('data', 'string', 'The data; its length counts against the window.', { rfc: 'RFC 4254 §5.2' })],
  },
  {
    number: 95, name: 'SSH_MSG_CHANNEL_EXTENDED_DATA', rfc: 'RFC 4254 §5.2', summary: 'Data of a separate stream on a channel, in practice standard error.',
    layout: [
      recipient,
      field('data_type_code', 'uint32', 'Which stream: 1 is stderr.', { rfc: 'RFC 4254 §5.2', values: { 1: 'SSH_EXTENDED_DATA_STDERR' } }),
      field('data', 'string', 'The data; its length counts against the window.', { rfc: 'RFC 4254 §5.2' }),
    ],
  },
  channelOnly(96, 'SSH_MSG_CHANNEL_EOF', 'RFC 4254 §5.3', 'The sender will send no more data on this channel.'),
  channelOnly(97, 'SSH_MSG_CHANNEL_CLOSE', 'RFC 4254 §5.3', 'Closes the channel; each side sends one.'),
  {
    number: 98, name: 'SSH_MSG_CHANNEL_REQUEST', rfc: 'RFC 4254 §5.4', summary: 'A request on one channel: a pty, a shell, a command, an exit status...',
    layout: [
      recipient,
      field('request_type', 'text', 'What is requested, e.g. pty-req, exec, exit-status.', { rfc: 'RFC 4254 §5.4' }),
      field('want_reply', 'boolean', 'Whether the sender wants a CHANNEL_SUCCESS/FAILURE answer.', { rfc: 'RFC 4254 §5.4' }),
      switchOn('request_type', channelRequests),
    ],
  },
  channelOnly(99, 'SSH_MSG_CHANNEL_SUCCESS', 'RFC 4254 §5.4', 'The channel request succeeded.'),
  channelOnly(100, 'SSH_MSG_CHANNEL_FAILURE', 'RFC 4254 §5.4', 'The channel request failed or is not known.'),
];
