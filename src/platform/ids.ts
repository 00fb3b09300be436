/** Random object ids (`cus_` + 14, others + 24 base62 characters), from the platform CSPRNG. */
import type { IdPrefix } from '../domain/ids';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(length: number): string {
  const bytes = new Uint8Array(length * 2);
  crypto.getRandomValues(bytes);
  let out = '';
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const b = bytes[i]!;
    if (b < 248) out += ALPHABET[b % 62]; // 248 = 4 × 62: rejection keeps the distribution uniform
  }
  while (out.length < length) out += randomBase62(length - out.length);
  return out;
}

export function newObjectId(prefix: IdPrefix): string {
  return `${prefix}_${randomBase62(prefix === 'cus' ? 14 : 24)}`;
}

export function newRequestId(): string {
  return `req_${randomBase62(14)}`;
}
