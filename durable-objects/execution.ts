/**
 * How the account DO executes an operation under Stripe's idempotency rules.
 *
 * Plain handlers run load → decide → commit in ONE transaction that also writes the idempotency
 * record and the outbox rows. Phased operations (those that await the card processor) commit a
 * recovery point with their saved state first, call out with deterministic downstream keys, then
 * commit the outcome. A request that dies between phases leaves an in-progress key: a retry after
 * the lock timeout, or the completer alarm, resumes it from the saved state, so the effect happens
 * exactly once. Keyless POSTs of phased operations get an internal key so they are recoverable too.
 */
import type { DomainError } from '../src/domain/errors';
import { decideIdempotency } from '../src/domain/idempotency/decide';
import type { Result } from '../src/domain/result';
import { fromDomainError, internalError, wireError, type WireError } from '../src/stripe/errors';
import { newObjectId } from '../src/platform/ids';
import { API_VERSION, type OperationContext, type PhasedOperation, type Services } from './context';
import { applyExpansions } from './expand';
import { operationFor, type AnyOperation, type OperationCall } from './operations';
import {
  appendOutbox,
  completeIdempotencyKey,
  lockIdempotencyKey,
  readIdempotencyRecord,
  readPhaseState,
  readSetting,
  relockIdempotencyKey,
  releaseIdempotencyLock,
  writeSetting,
  type IdempotencyWrite,
} from './store';

export interface CallMeta {
  readonly accountId: string;
  readonly livemode: boolean;
  readonly keyId: string;
  readonly requestId: string;
  readonly apiVersion: string;
  /** `expand[]` paths, validated at the edge. */
  readonly expand: readonly string[];
  /** Present when the POST carried `Idempotency-Key`: the key, endpoint and canonical request text. */
  readonly idempotency: { readonly key: string; readonly endpoint: string; readonly canonical: string } | null;
}

export interface CallResponse {
  readonly status: number;
  /** The exact bytes of the JSON body; replays return the stored bytes unchanged. */
  readonly body: string;
  readonly replayed: boolean;
  /** Sent as `Stripe-Should-Retry` when set. */
  readonly shouldRetry?: boolean;
}

/** An idempotency key with its keyed fingerprint (computed by the DO, see `fingerprint`). */
export interface KeyedRequest {
  readonly key: string;
  readonly endpoint: string;
  readonly fingerprint: string;
  /** False for the internal keys of keyless POSTs. */
  readonly clientSupplied: boolean;
}

/** `after_commit_before_outbox_send`: in the alarm's drain, after commit, before the events queue send. */
export type FaultPoint = 'after_begin' | 'after_call' | 'after_commit_before_outbox_send';

export interface ExecutionHost {
  readonly storage: DurableObjectStorage;
  readonly sql: SqlStorage;
  readonly testMode: boolean;
  readonly services: Services;
  keyedDigest(text: string): string;
  /** Test-only fault injection (inert outside tests): throws or aborts the object when armed. */
  fault(point: FaultPoint): Promise<void>;
}

interface SavedPhase {
  readonly name: OperationCall['name'];
  readonly input: unknown;
  readonly state: unknown;
  readonly meta: Omit<CallMeta, 'idempotency'> & { readonly idempotencyKey: string | null };
}

function toResponse(error: WireError, shouldRetry = error.shouldRetry): CallResponse {
  const response = { status: error.status, body: JSON.stringify({ error: error.error }), replayed: false };
  return shouldRetry === undefined ? response : { ...response, shouldRetry };
}

function isPhased(op: AnyOperation): op is PhasedOperation<unknown, unknown, unknown> {
  return typeof op === 'object' && op.kind === 'phased';
}

function contextFor(host: ExecutionHost, meta: SavedPhase['meta'], nowSeconds: number): OperationContext {
  return {
    sql: host.sql,
    accountId: meta.accountId,
    livemode: meta.livemode,
    nowSeconds,
    newId: newObjectId,
    // Work nobody requested (billing from the alarm runs operations with an empty request id) has no request.
    request: meta.requestId === '' ? null : { id: meta.requestId, idempotencyKey: meta.idempotencyKey, apiVersion: meta.apiVersion || API_VERSION },
    testMode: host.testMode,
    keyedDigest: (text) => host.keyedDigest(text),
  };
}

function savedMeta(meta: CallMeta, keyed: KeyedRequest | null): SavedPhase['meta'] {
  const { idempotency: _omit, ...rest } = meta;
  return { ...rest, idempotencyKey: keyed?.clientSupplied ? keyed.key : null };
}

function write(keyed: KeyedRequest, requestId: string, nowSeconds: number): IdempotencyWrite {
  return { key: keyed.key, fingerprint: keyed.fingerprint, endpoint: keyed.endpoint, requestId, nowSeconds };
}

/** Binds the object to its account on first use and registers the account in D1 (via the outbox). */
function bindAccount(sql: SqlStorage, meta: CallMeta, nowSeconds: number): void {
  const bound = readSetting(sql, 'account_id');
  if (bound === null) {
    writeSetting(sql, 'account_id', meta.accountId);
    writeSetting(sql, 'livemode', meta.livemode ? '1' : '0');
    appendOutbox(sql, 'account', { accountId: meta.accountId, livemode: meta.livemode, createdSeconds: nowSeconds }, nowSeconds);
    return;
  }
  if (bound !== meta.accountId || readSetting(sql, 'livemode') !== (meta.livemode ? '1' : '0')) {
    throw new Error('account object reached with another account’s credentials');
  }
}

function resultResponse(result: Result<unknown, DomainError>, ctx?: OperationContext, expand: readonly string[] = []): CallResponse {
  if (!result.ok) return toResponse(fromDomainError(result.error));
  const body = ctx !== undefined && expand.length > 0 ? applyExpansions(ctx, result.value, expand) : result.value;
  return { status: 200, body: JSON.stringify(body), replayed: false };
}

/** Carries a refused result out of a nested transaction so its writes are rolled back. */
class Refused {
  constructor(readonly result: Result<never, DomainError>) {}
}

/**
 * Runs a handler (or a phased `begin`) in a nested transaction (a savepoint) and undoes its writes
 * when it answers with an error: a refused request leaves no partial state behind, whatever the
 * handler wrote before it decided to refuse. (`finish` is different: its errors, such as a decline
 * or a released lock, carry writes that must stay.)
 */
function undoOnError<T>(host: ExecutionHost, run: () => Result<T, DomainError>): Result<T, DomainError> {
  try {
    return host.storage.transactionSync(() => {
      const result = run();
      if (!result.ok) throw new Refused(result);
      return result;
    });
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

type Begun = { readonly response: CallResponse } | { readonly phase: SavedPhase; readonly keyed: KeyedRequest };

/** Phase 1 (one transaction): idempotency decision, then either a complete answer or saved state. */
function begin(host: ExecutionHost, call: OperationCall, meta: CallMeta, keyed: KeyedRequest | null, nowSeconds: number): Begun {
  bindAccount(host.sql, meta, nowSeconds);
  if (keyed !== null) {
    const decision = decideIdempotency(readIdempotencyRecord(host.sql, keyed.key), keyed, nowSeconds);
    switch (decision.action) {
      case 'replay':
        return { response: { status: decision.status, body: decision.body, replayed: true, ...(decision.status >= 500 ? { shouldRetry: false } : {}) } };
      case 'reject_mismatch':
        return { response: toResponse(fromDomainError({ reason: 'idempotency_key_reused', differs: decision.differs })) };
      case 'reject_in_progress':
        return { response: toResponse(fromDomainError({ reason: 'idempotency_key_in_use' })) };
      case 'resume': {
        const saved = readPhaseState(host.sql, keyed.key);
        if (saved !== null) {
          relockIdempotencyKey(host.sql, keyed.key, nowSeconds);
          return { phase: JSON.parse(saved) as SavedPhase, keyed };
        }
        break; // no saved state: the first attempt died before its begin committed; run afresh
      }
      case 'execute':
        break;
    }
  }
  const op = operationFor(call.name);
  const ctx = contextFor(host, savedMeta(meta, keyed), nowSeconds);
  if (!isPhased(op)) {
    const response = resultResponse(undoOnError(host, () => op(ctx, call.input)), ctx, meta.expand);
    if (keyed !== null) completeIdempotencyKey(host.sql, write(keyed, meta.requestId, nowSeconds), response);
    return { response };
  }
  op.prepare?.(ctx, call.input);
  const started = undoOnError(host, () => op.begin(ctx, call.input));
  if (!started.ok || 'done' in started.value) {
    const response = !started.ok ? resultResponse(started) : resultResponse({ ok: true, value: (started.value as { done: unknown }).done }, ctx, meta.expand);
    if (keyed?.clientSupplied) completeIdempotencyKey(host.sql, write(keyed, meta.requestId, nowSeconds), response);
    return { response };
  }
  const internal = keyed ?? { key: `internal:${meta.requestId}`, endpoint: 'internal', fingerprint: meta.requestId, clientSupplied: false };
  const phase: SavedPhase = { name: call.name, input: call.input, state: started.value.state, meta: savedMeta(meta, keyed) };
  lockIdempotencyKey(host.sql, write(internal, meta.requestId, nowSeconds), 'begun', JSON.stringify(phase));
  return { phase, keyed: internal };
}

/**
 * Phases 2 and 3: the outside call, then the outcome committed with the idempotency record.
 * Once `begin` has committed, the processor may already have moved money, so nothing here stores
 * a final 500: any failure releases the lock and answers a retryable error, and a retry (same key)
 * or the completer resumes from the saved state with the same downstream reference.
 */
async function callAndFinish(host: ExecutionHost, phase: SavedPhase, keyed: KeyedRequest, now: () => number): Promise<CallResponse> {
  const op = operationFor(phase.name);
  if (!isPhased(op)) throw new Error(`operation ${phase.name} is not phased`);
  try {
    await host.fault('after_begin');
    const outcome = await op.call(phase.state, host.services);
    await host.fault('after_call');
    return finish(host, op, phase, keyed, outcome, now());
  } catch (error) {
    console.error(`${phase.name}: interrupted after begin, key left resumable: ${error instanceof Error ? error.message : 'unknown'}`);
    host.storage.transactionSync(() => releaseIdempotencyLock(host.sql, keyed.key));
    return toResponse(
      wireError(503, 'api_error', 'The request was interrupted while talking to the payment processor. Retry it with the same idempotency key.'),
      true,
    );
  }
}

function finish(
  host: ExecutionHost,
  op: PhasedOperation<unknown, unknown, unknown>,
  phase: SavedPhase,
  keyed: KeyedRequest,
  outcome: unknown,
  nowSeconds: number,
): CallResponse {
  return host.storage.transactionSync(() => {
    const record = readIdempotencyRecord(host.sql, keyed.key);
    if (record?.state === 'completed') {
      // Another runner (a racing retry or the completer) finished it while we awaited.
      return { status: record.responseStatus!, body: record.responseBody!, replayed: true };
    }
    const ctx = contextFor(host, phase.meta, nowSeconds);
    const response = resultResponse(op.finish(ctx, phase.state, outcome), ctx, phase.meta.expand);
    completeIdempotencyKey(host.sql, write(keyed, phase.meta.requestId, nowSeconds), response);
    return response;
  });
}

export async function executeCall(
  host: ExecutionHost,
  call: OperationCall,
  meta: CallMeta,
  keyed: KeyedRequest | null,
  now: () => number,
): Promise<CallResponse> {
  let begun: Begun;
  try {
    begun = host.storage.transactionSync(() => begin(host, call, meta, keyed, now()));
  } catch (error) {
    console.error(`operation ${call.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : 'unknown'}`);
    return recordFailure(host, meta, keyed, now());
  }
  if ('response' in begun) return begun.response;
  return callAndFinish(host, begun.phase, begun.keyed, now);
}

/** Drives an abandoned in-progress key to completion (completer alarm). */
export async function resumeStalledKey(host: ExecutionHost, key: string, now: () => number): Promise<void> {
  const saved = host.storage.transactionSync(() => {
    const text = readPhaseState(host.sql, key);
    if (text !== null) relockIdempotencyKey(host.sql, key, now());
    return text;
  });
  if (saved === null) return;
  const record = readIdempotencyRecord(host.sql, key);
  if (record === null) return;
  await callAndFinish(host, JSON.parse(saved) as SavedPhase, { key, endpoint: record.endpoint, fingerprint: record.fingerprint, clientSupplied: !key.startsWith('internal:') }, now);
}

/**
 * A bug (thrown error) rolled the transaction back, so nothing of the effect exists. Stripe stores
 * a 500 raised after execution began and replays it; `Stripe-Should-Retry: false` tells SDKs not
 * to retry a response that cannot change.
 */
function recordFailure(host: ExecutionHost, meta: CallMeta, keyed: KeyedRequest | null, nowSeconds: number): CallResponse {
  const response = toResponse(internalError(), false);
  if (keyed === null) return response;
  try {
    host.storage.transactionSync(() => completeIdempotencyKey(host.sql, write(keyed, meta.requestId, nowSeconds), response));
  } catch (error) {
    console.error(`could not record failure: ${error instanceof Error ? error.message : 'unknown'}`);
  }
  return response;
}

/** The context of work nobody requested (alarms): no request id, the account bound to this object. */
export function systemContext(host: ExecutionHost, nowSeconds: number): OperationContext | null {
  const accountId = readSetting(host.sql, 'account_id');
  if (accountId === null) return null;
  const livemode = readSetting(host.sql, 'livemode') === '1';
  const meta = { accountId, livemode, keyId: '', requestId: '', apiVersion: API_VERSION, expand: [], idempotencyKey: null };
  return { ...contextFor(host, meta, nowSeconds), request: null };
}
