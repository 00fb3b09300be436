/**
 * Stripe's webhook signature (CONTRACT.md §6.2): `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>]`,
 * where each v1 is lowercase-hex HMAC-SHA256 over `<t>.<exact body bytes>`, keyed by the UTF-8 bytes
 * of the whole secret *including* `whsec_`. One v1 per active secret, so a receiver holding either
 * secret verifies during a rotation. No spaces after commas (stripe-node does not trim).
 */
import { WEBHOOK_SECRET_RANDOM_LENGTH } from '../domain/limits';
import { randomBase62 } from './ids';

const encoder = new TextEncoder();

function toHex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
}

/** The `Stripe-Signature` header for `body` sent at `timestampSeconds`. */
export async function signatureHeader(body: string, secrets: readonly string[], timestampSeconds: number): Promise<string> {
  if (secrets.length === 0) throw new Error('a webhook endpoint without a secret cannot be signed');
  const signed = `${timestampSeconds}.${body}`;
  const signatures = await Promise.all(secrets.map((secret) => hmacSha256Hex(secret, signed)));
  return [`t=${timestampSeconds}`, ...signatures.map((hex) => `v1=${hex}`)].join(',');
}

export function newWebhookSecret(): string {
  return `whsec_${randomBase62(WEBHOOK_SECRET_RANDOM_LENGTH)}`;
}
