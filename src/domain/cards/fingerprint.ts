/**
 * Card fingerprints: `card.fingerprint` is stable for one card number within one account and
 * says nothing about the number.
 *
 *  - Keyed: fingerprint = HMAC-SHA-256(secret key, fingerprintInput(scope, number)). Without the
 *    key nobody can test guesses (a plain hash of a 16-digit PAN with a known BIN and Luhn digit
 *    is brute-forced in seconds).
 *  - Per account: the scope (e.g. `acct_123:test`) is inside the MAC, so the same card has
 *    different fingerprints in different accounts and modes, and fingerprints cannot be joined
 *    across merchants.
 *  - Never reversible: only 16 base62 characters (≈95 bits) of the MAC are kept.
 *
 * This module is the pure part: the caller (the account Durable Object) holds the key, computes
 * the HMAC with `crypto.subtle` over these bytes and passes the hex digest to
 * `fingerprintFromDigest`.
 */
import { assert } from '../assert';

const FINGERPRINT_DOMAIN = 'edgepay/card-fingerprint/v1';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const FINGERPRINT_LENGTH = 16;
/** 128 bits of the digest feed the 16 base62 digits (62^16 ≈ 2^95.3, bias < 2^-32). */
const DIGEST_HEX_CHARS_USED = 32;
const HEX = /^[0-9a-f]+$/i;

/**
 * The message to MAC: a domain tag, then the scope and the digits, each length-prefixed so no
 * two (scope, number) pairs can produce the same bytes.
 */
export function fingerprintInput(accountScope: string, number: string): string {
  return `${FINGERPRINT_DOMAIN}|${accountScope.length}:${accountScope}|${number.length}:${number}`;
}

/** 16 base62 characters from a hex digest of at least 128 bits. */
export function fingerprintFromDigest(hex: string): string {
  assert(hex.length >= DIGEST_HEX_CHARS_USED && HEX.test(hex), `fingerprint digest must be ≥ ${DIGEST_HEX_CHARS_USED} hex chars`);
  let value = BigInt(`0x${hex.slice(0, DIGEST_HEX_CHARS_USED)}`);
  let out = '';
  for (let i = 0; i < FINGERPRINT_LENGTH; i++) {
    out = BASE62[Number(value % 62n)]! + out;
    value /= 62n;
  }
  return out;
}
