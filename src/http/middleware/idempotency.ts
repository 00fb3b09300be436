/**
 * POSTs may carry `Idempotency-Key` (stripe-node sends one on every POST). Its fingerprint is the
 * SHA-256 of the canonical (method, path, decoded params) — not the raw bytes — so re-ordered or
 * re-encoded parameters are the same request. GET and DELETE ignore the header, as Stripe does.
 */
import type { MiddlewareHandler } from 'hono';
import { canonicalRequest } from '../../domain/idempotency/canonical';
import { IDEMPOTENCY_KEY_LENGTH_MAX } from '../../domain/limits';
import { invalidRequest } from '../../stripe/errors';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

const PRINTABLE = /^[\x20-\x7e]+$/;

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function idempotencyKey(): MiddlewareHandler<AppEnv> {
  return async function idempotencyKeyMiddleware(c, next) {
    c.set('idempotency', null);
    const key = c.req.header('idempotency-key');
    if (c.req.method !== 'POST' || key === undefined) return next();
    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_LENGTH_MAX || !PRINTABLE.test(key)) {
      return errorResponse(
        c,
        invalidRequest(
          `Invalid Idempotency-Key: keys must be 1 to ${IDEMPOTENCY_KEY_LENGTH_MAX} printable ASCII characters.`,
          null,
          'idempotency_key_invalid',
        ),
      );
    }
    const path = new URL(c.req.url).pathname;
    const fingerprint = await sha256Hex(canonicalRequest('POST', path, c.get('params')));
    c.set('idempotency', { key, fingerprint, endpoint: `POST ${path}` });
    return next();
  };
}
