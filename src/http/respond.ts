/** Turning wire errors and DO responses into HTTP responses with Stripe's headers. */
import type { Context } from 'hono';
import type { CallResponse } from '../../durable-objects/merchant-account';
import type { WireError } from '../stripe/errors';
import type { AppEnv } from './context';

export const JSON_HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-cache, no-store',
} as const;

export function errorResponse(c: Context<AppEnv>, error: WireError): Response {
  return new Response(JSON.stringify({ error: error.error }), { status: error.status, headers: JSON_HEADERS });
}

export function callResponse(c: Context<AppEnv>, result: CallResponse): Response {
  const headers = new Headers(JSON_HEADERS);
  const idempotency = c.get('idempotency');
  if (idempotency) headers.set('Idempotency-Key', idempotency.key);
  if (result.replayed) headers.set('Idempotent-Replayed', 'true');
  if (result.shouldRetry !== undefined) headers.set('Stripe-Should-Retry', String(result.shouldRetry));
  return new Response(result.body, { status: result.status, headers });
}
