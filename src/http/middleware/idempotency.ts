/**
 * POSTs may carry `Idempotency-Key` (stripe-node sends one on every POST). The request's canonical
 * text (method, path, decoded params — not raw bytes, so re-ordered or re-encoded parameters are
 * the same request) travels to the account DO, which fingerprints it with a keyed HMAC: a request
 * may hold card numbers, so an unkeyed hash would be guessable. GET and DELETE ignore the header,
 * as Stripe does.
 */
import type { MiddlewareHandler } from 'hono';
import { canonicalRequest } from '../../domain/idempotency/canonical';
import { IDEMPOTENCY_KEY_LENGTH_MAX } from '../../domain/limits';
import { invalidRequest } from '../../stripe/errors';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

const PRINTABLE = /^[\x20-\x7e]+$/;

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
    c.set('idempotency', { key, canonical: canonicalRequest('POST', path, c.get('params')), endpoint: `POST ${path}` });
    return next();
  };
}
