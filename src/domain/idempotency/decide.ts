/**
 * What to do with a POST carrying an idempotency key, given the stored record (if any).
 * Stripe's rules: same key + same request → replay the stored response; same key + other
 * parameters or endpoint → idempotency_error; key still executing → 409 in progress; a record
 * past its retention window is pruned and the key treated as new. A lock older than the lock
 * timeout belonged to a request that died mid-way: the caller may take it over and resume.
 */
import { IDEMPOTENCY_KEY_TTL_SECONDS, IDEMPOTENCY_LOCK_TIMEOUT_SECONDS } from '../limits';
import { assert } from '../assert';
import type { UnixSeconds } from '../clock';

export interface IdempotencyRecord {
  readonly key: string;
  readonly fingerprint: string;
  readonly endpoint: string;
  readonly state: 'in_progress' | 'completed';
  readonly recoveryPoint: string;
  readonly lockedAtSeconds: UnixSeconds | null;
  readonly createdSeconds: UnixSeconds;
  readonly responseStatus: number | null;
  readonly responseBody: string | null;
}

export type IdempotencyDecision =
  | { readonly action: 'execute' }
  | { readonly action: 'replay'; readonly status: number; readonly body: string }
  | { readonly action: 'resume'; readonly recoveryPoint: string }
  | { readonly action: 'reject_mismatch'; readonly differs: 'parameters' | 'endpoint' }
  | { readonly action: 'reject_in_progress' };

export function isExpired(record: IdempotencyRecord, nowSeconds: UnixSeconds): boolean {
  return nowSeconds - record.createdSeconds >= IDEMPOTENCY_KEY_TTL_SECONDS && record.state === 'completed';
}

export function decideIdempotency(
  record: IdempotencyRecord | null,
  request: { readonly fingerprint: string; readonly endpoint: string },
  nowSeconds: UnixSeconds,
): IdempotencyDecision {
  if (record === null || isExpired(record, nowSeconds)) return { action: 'execute' };
  if (record.endpoint !== request.endpoint) return { action: 'reject_mismatch', differs: 'endpoint' };
  if (record.fingerprint !== request.fingerprint) return { action: 'reject_mismatch', differs: 'parameters' };
  if (record.state === 'completed') {
    assert(record.responseStatus !== null && record.responseBody !== null, 'completed idempotency record has a response');
    return { action: 'replay', status: record.responseStatus, body: record.responseBody };
  }
  const lockAge = record.lockedAtSeconds === null ? Infinity : nowSeconds - record.lockedAtSeconds;
  if (lockAge < IDEMPOTENCY_LOCK_TIMEOUT_SECONDS) return { action: 'reject_in_progress' };
  return { action: 'resume', recoveryPoint: record.recoveryPoint };
}
