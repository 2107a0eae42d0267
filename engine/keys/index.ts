/**
 * @module keys
 * Key material: Wireshark-style SSH key logs (keylog.ts) and sshlens's JSON session-key files (keyfile.ts).
 */
export { KeyLog, parseKeyLog, formatKeyLogLine, writeKeyLog, COOKIE_LENGTH, type KeyLogEntry, type KeyLogForm, type KeyLogProblem, type KeyLogSecretKind } from './keylog.ts';
export { parseKeyFile, writeKeyFile, findSessionKeys, parseHostPort, parseAddress, KEY_FILE_FORMAT, KEY_FILE_VERSION, type KeyFile, type SessionKeys, type DirectionKeys, type HostPort } from './keyfile.ts';
export { KeysError, type KeysErrorCode } from './errors.ts';
