/**
 * @module kex
 * Key exchange: the method registry, both sides of every method, the exchange hash, key-log secrets, negotiation
 * (RFC 4253 §7.1) and key derivation (RFC 4253 §7.2).
 */
export * from './errors.ts';
export * from './hashes.ts';
export * from './methods.ts';
export * from './shared-secret.ts';
export { MODP_GROUPS, modpGroup, modPow, type DhGroup, type ModpGroupName, type ModpGroupSpec } from './modp-groups.ts';
export { chooseGexGroup, checkDhPublicValue, GEX_MIN_BITS, GEX_MAX_BITS, type RandomBytes } from './dh.ts';
export { KEMS, type Kem } from './hybrid.ts';
export { clientKexInit, serverKexReply, clientKexFinish, type KexPublicValue, type KexPrivateValue } from './kex.ts';
export * from './exchange-hash.ts';
export * from './key-log-secret.ts';
export * from './negotiate.ts';
export * from './derive.ts';
export * from './finish.ts';
export * from './key-sizes.ts';
export { seededRandomBytes } from './test-rng.ts';
