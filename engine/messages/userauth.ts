/**
 * @module messages/userauth
 * User authentication messages (RFC 4252; keyboard-interactive RFC 4256; GSS-API RFC 4462 §3-4; OpenSSH's
 * publickey-hostbound-v00 in PROTOCOL). Numbers 60..79 depend on the auth method in progress. Also the data a
 * publickey, hostbound or hostbased signature covers, declared as layouts the engine signs and the decoder checks.
 */
import { publicKeyLayout, signatureLayout } from './blobs.ts';
import type { MessageEntry } from './entry.ts';
import { blob, field, repeat, switchOn, type FieldDecl, type Layout } from './layout.ts';

const PK = 'RFC 4252 §7';
const PW = 'RFC 4252 §8';
const HB = 'RFC 4252 §9';
const KI = 'RFC 4256 §3';
const HOSTBOUND = 'OpenSSH PROTOCOL, publickey-hostbound-v00@openssh.com';

const algorithm = (rfc: string) => field('algorithm', 'text', 'The public key (signature) algorithm name, e.g. rsa-sha2-256 or ssh-ed25519.', { rfc });
const userKey = (rfc: string) => field('public_key', blob(publicKeyLayout), 'The user\'s public key (or certificate) blob.', { rfc });
const serverHostKey = field('server_host_key', blob(publicKeyLayout), 'The server\'s host key, binding the signature to this server (against forwarded-agent abuse).', { rfc: HOSTBOUND });
const userSignature = (rfc: string, what: string) => field('signature', blob(signatureLayout), `The signature, made with the private key, over ${what}.`, { rfc });
const mechanisms: FieldDecl[] = [
  field('mechanism_count', 'uint32', 'How many GSS-API mechanisms the client offers.', { rfc: 'RFC 4462 §3.2' }),
  field('mechanisms', repeat([field('oid', 'string', 'A mechanism OID, DER-encoded (e.g. Kerberos V5).', { rfc: 'RFC 4462 §3.2' })], 'mechanism_count'), 'The mechanisms offered, most preferred first.', { rfc: 'RFC 4462 §3.2' }),
];

/** The method-specific part of USERAUTH_REQUEST, after the method name. */
const methodFields: Record<string, Layout> = {
  none: [],
  password: [
    field('changing', 'boolean', 'True when the client is changing the password (after a PASSWD_CHANGEREQ).', { rfc: PW }),
    field('password', 'text', 'The password, in plaintext (the transport encrypts it); the old one when changing.', { rfc: PW }),
    switchOn('changing', { true: [field('new_password', 'text', 'The new password.', { rfc: PW })], false: [] }),
  ],
  publickey: [
    field('has_signature', 'boolean', 'False to ask whether this key would be accepted (a query); true when a signature follows.', { rfc: PK }),
    algorithm(PK),
    userKey(PK),
    switchOn('has_signature', { true: [userSignature(PK, 'the session id and this request')], false: [] }),
  ],
  'publickey-hostbound-v00@openssh.com': [
    field('has_signature', 'boolean', 'False for a query; true when a signature follows.', { rfc: HOSTBOUND }),
    algorithm(HOSTBOUND),
    userKey(HOSTBOUND),
    serverHostKey,
    switchOn('has_signature', { true: [userSignature(HOSTBOUND, 'the session id, this request and the server host key')], false: [] }),
  ],
  hostbased: [
    algorithm(HB),
    field('host_key', blob(publicKeyLayout), 'The client host\'s public key (or certificate).', { rfc: HB }),
    field('client_host', 'text', 'The client host\'s fully qualified domain name.', { rfc: HB }),
    field('client_user', 'text', 'The user\'s name on the client host.', { rfc: HB }),
    userSignature(HB, 'the session id and this request, made with the client host\'s key'),
  ],
  'keyboard-interactive': [
    field('language', 'text', 'A language tag (deprecated, normally empty).', { rfc: 'RFC 4256 §3.1' }),
    field('submethods', 'text', 'Comma-separated hints of which challenge types the user would like, normally empty.', { rfc: 'RFC 4256 §3.1' }),
  ],
  'gssapi-with-mic': mechanisms,
  'gssapi-keyex': [field('mic', 'string', 'A GSS-API MIC over the session, using the context made during GSS-API key exchange.', { rfc: 'RFC 4462 §4' })],
};

/** RFC 4252 §7, §9 and OpenSSH PROTOCOL: what a user authentication signature covers. */
export const userauthSignedDataLayout: Layout = [
  field('session_id', 'string', 'The session identifier: the exchange hash H of the first key exchange.', { rfc: PK }),
  field('message_number', 'byte', 'The number of SSH_MSG_USERAUTH_REQUEST, 50.', { rfc: PK, values: { 50: 'SSH_MSG_USERAUTH_REQUEST' } }),
  field('user', 'text', 'The user name, as in the request.', { rfc: PK }),
  field('service', 'text', 'The service name, as in the request ("ssh-connection").', { rfc: PK }),
  field('method', 'text', 'The method name, as in the request.', { rfc: PK }),
  switchOn('method', {
    publickey: [field('has_signature', 'boolean', 'TRUE, as in the signed request.', { rfc: PK }), algorithm(PK), userKey(PK)],
    'publickey-hostbound-v00@openssh.com': [field('has_signature', 'boolean', 'TRUE, as in the signed request.', { rfc: HOSTBOUND }), algorithm(HOSTBOUND), userKey(HOSTBOUND), serverHostKey],
    hostbased: methodFields.hostbased.slice(0, 4),
  }),
];

const GSSAPI_MESSAGES = (number: number, name: string, summary: string, layout: Layout): MessageEntry => ({
  number, name, rfc: 'RFC 4462 §3', summary, context: { auth: 'gssapi-with-mic' }, layout,
});

export const userauthMessages: MessageEntry[] = [
  {
    number: 50, name: 'SSH_MSG_USERAUTH_REQUEST', rfc: 'RFC 4252 §5', summary: 'The client asks to log in as a user, with one authentication method.',
    layout: [
      field('user', 'text', 'The user name to log in as.', { rfc: 'RFC 4252 §5' }),
      field('service', 'text', 'The service to start after authentication, normally "ssh-connection".', { rfc: 'RFC 4252 §5' }),
      field('method', 'text', 'The authentication method: none, password, publickey, keyboard-interactive, hostbased...', { rfc: 'RFC 4252 §5' }),
      switchOn('method', methodFields),
    ],
  },
  {
    number: 51, name: 'SSH_MSG_USERAUTH_FAILURE', rfc: 'RFC 4252 §5.1', summary: 'The server refuses (or needs more): it lists the methods that may continue.',
    layout: [
      field('methods', 'name-list', 'The authentication methods that may productively continue.', { rfc: 'RFC 4252 §5.1' }),
      field('partial_success', 'boolean', 'True if this method succeeded but more are required.', { rfc: 'RFC 4252 §5.1' }),
    ],
  },
  { number: 52, name: 'SSH_MSG_USERAUTH_SUCCESS', rfc: 'RFC 4252 §5.1', summary: 'The user is authenticated; the service starts.', layout: [] },
  {
    number: 53, name: 'SSH_MSG_USERAUTH_BANNER', rfc: 'RFC 4252 §5.4', summary: 'A message the server wants shown to the user before login.',
    layout: [
      field('message', 'text', 'The banner text.', { rfc: 'RFC 4252 §5.4' }),
      field('language', 'text', 'A language tag for the text, usually empty.', { rfc: 'RFC 4252 §5.4' }),
    ],
  },
  {
    number: 60, name: 'SSH_MSG_USERAUTH_PASSWD_CHANGEREQ', rfc: PW, context: { auth: 'password' }, summary: 'The server asks the user to choose a new password.',
    layout: [
      field('prompt', 'text', 'The text to show the user.', { rfc: PW }),
      field('language', 'text', 'A language tag for the prompt.', { rfc: PW }),
    ],
  },
  {
    number: 60, name: 'SSH_MSG_USERAUTH_PK_OK', rfc: PK, context: { auth: 'publickey' }, summary: 'The server would accept this key: the client may now sign.',
    layout: [algorithm(PK), userKey(PK)],
  },
  {
    number: 60, name: 'SSH_MSG_USERAUTH_INFO_REQUEST', rfc: KI, context: { auth: 'keyboard-interactive' }, summary: 'The server asks the user some questions (prompts).',
    layout: [
      field('name', 'text', 'A title for the prompts, may be empty.', { rfc: 'RFC 4256 §3.2' }),
      field('instruction', 'text', 'Instructions to show the user, may be empty.', { rfc: 'RFC 4256 §3.2' }),
      field('language', 'text', 'A language tag (deprecated, normally empty).', { rfc: 'RFC 4256 §3.2' }),
      field('prompt_count', 'uint32', 'How many prompts follow (0 is allowed).', { rfc: 'RFC 4256 §3.2' }),
      field('prompts', repeat([
        field('prompt', 'text', 'The question, e.g. "Password: ".', { rfc: 'RFC 4256 §3.2' }),
        field('echo', 'boolean', 'Whether the answer may be shown as it is typed.', { rfc: 'RFC 4256 §3.2' }),
      ], 'prompt_count', 'One prompt and whether to echo its answer.'), 'The prompts.', { rfc: 'RFC 4256 §3.2' }),
    ],
  },
  {
    number: 61, name: 'SSH_MSG_USERAUTH_INFO_RESPONSE', rfc: KI, context: { auth: 'keyboard-interactive' }, summary: 'The client answers the prompts, in order.',
    layout: [
      field('response_count', 'uint32', 'How many answers follow: one per prompt.', { rfc: 'RFC 4256 §3.4' }),
      field('responses', repeat([field('response', 'text', 'An answer, in plaintext (the transport encrypts it).', { rfc: 'RFC 4256 §3.4' })], 'response_count'), 'The answers.', { rfc: 'RFC 4256 §3.4' }),
    ],
  },
  GSSAPI_MESSAGES(60, 'SSH_MSG_USERAUTH_GSSAPI_RESPONSE', 'The server picks one of the offered GSS-API mechanisms.', [
    field('oid', 'string', 'The chosen mechanism OID.', { rfc: 'RFC 4462 §3.3' }),
  ]),
  GSSAPI_MESSAGES(61, 'SSH_MSG_USERAUTH_GSSAPI_TOKEN', 'A GSS-API context token, in either direction.', [
    field('token', 'string', 'The token from GSS_Init_sec_context or GSS_Accept_sec_context.', { rfc: 'RFC 4462 §3.4' }),
  ]),
  GSSAPI_MESSAGES(63, 'SSH_MSG_USERAUTH_GSSAPI_EXCHANGE_COMPLETE', 'The client\'s context is built, and no MIC follows.', []),
  GSSAPI_MESSAGES(64, 'SSH_MSG_USERAUTH_GSSAPI_ERROR', 'GSS-API error details.', [
    field('major_status', 'uint32', 'The GSS-API major status code.', { rfc: 'RFC 4462 §3.8' }),
    field('minor_status', 'uint32', 'The mechanism-specific minor status code.', { rfc: 'RFC 4462 §3.8' }),
    field('message', 'text', 'A human-readable error message.', { rfc: 'RFC 4462 §3.8' }),
    field('language', 'text', 'A language tag for the message.', { rfc: 'RFC 4462 §3.8' }),
  ]),
  GSSAPI_MESSAGES(65, 'SSH_MSG_USERAUTH_GSSAPI_ERRTOK', 'A GSS-API error token from the client.', [
    field('token', 'string', 'The error token for GSS_Init_sec_context.', { rfc: 'RFC 4462 §3.9' }),
  ]),
  GSSAPI_MESSAGES(66, 'SSH_MSG_USERAUTH_GSSAPI_MIC', 'The client proves the GSS-API context with a MIC over the session.', [
    field('mic', 'string', 'The MIC token over the session id and the request.', { rfc: 'RFC 4462 §3.5' }),
  ]),
];
