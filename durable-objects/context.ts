/**
 * What an operation handler sees: the account's SQL, the injected clock and id generator,
 * and the two ways to record effects besides its own rows — `emit` (an event, stored for
 * /v1/events and queued for webhooks) and `project` (a D1 read-model upsert). Both write
 * outbox rows in the caller's transaction, so an effect and its notifications commit together.
 */
import type { DomainError } from '../src/domain/errors';
import type { NewId } from '../src/domain/ids';
import type { Result } from '../src/domain/result';
import type { CardProcessorClient } from '../src/platform/processor';
import { appendOutbox, insertObject, type StoredObject } from './store';
import { fanOutEvent, matchingEndpointIds } from './webhook-fanout';

export const API_VERSION = '2026-10-28.endive';

export interface RequestInfo {
  readonly id: string;
  readonly idempotencyKey: string | null;
  readonly apiVersion: string;
}

export interface OperationContext {
  readonly sql: SqlStorage;
  readonly accountId: string;
  readonly livemode: boolean;
  readonly nowSeconds: number;
  readonly newId: NewId;
  readonly request: RequestInfo | null;
  readonly testMode: boolean;
  /** HMAC-SHA256 (hex) under the account's secret: for card fingerprints. */
  readonly keyedDigest: (text: string) => string;
}

/** A handler returns the JSON body of a 200, or a domain error; it throws only on bugs. */
export type Handler<I> = (ctx: OperationContext, input: I) => Result<unknown, DomainError>;

/** What phased operations may call outside the account DO (filled in by the DO). */
export interface Services {
  /** This account object's name (`acct_…:test`): the processor's merchant reference. */
  readonly merchant: string;
  readonly processor: CardProcessorClient;
}

/**
 * An operation that must await something outside the DO (the card processor). Three atomic
 * phases (Brandur's recovery points): `begin` decides and reserves in one transaction and returns
 * the state to save; `call` does the outside work and MUST be safely repeatable (it carries
 * deterministic downstream idempotency keys derived from the saved state); `finish` records the
 * outcome in a second transaction. A crash between phases leaves the key in progress with its
 * state saved, so a retry (or the completer alarm) re-runs `call` + `finish` exactly once.
 */
export interface PhasedOperation<I, S, X> {
  readonly kind: 'phased';
  /**
   * Optional effects that happen whatever `begin` then decides (e.g. an invoice draft is finalized
   * before a payment attempt, even one that is refused). Writes made by `begin` itself are undone
   * when it refuses; writes made here are not.
   */
  prepare?(ctx: OperationContext, input: I): void;
  begin(ctx: OperationContext, input: I): Result<{ readonly state: S } | { readonly done: unknown }, DomainError>;
  call(state: S, services: Services): Promise<X>;
  finish(ctx: OperationContext, state: S, outcome: X): Result<unknown, DomainError>;
}

export interface RecordProjection {
  readonly object: string;
  readonly id: string;
  readonly version: number;
  readonly created: number;
  readonly customer: string | null;
  readonly status: string | null;
  readonly deleted: boolean;
  readonly data: unknown;
}

/** Queues a D1 upsert of the object's current wire shape (applied only if `version` is newer). */
export function project(
  ctx: OperationContext,
  stored: StoredObject,
  json: unknown,
  index: { customer?: string | null; status?: string | null } = {},
): void {
  const projection: RecordProjection = {
    object: stored.type,
    id: stored.id,
    version: stored.version,
    created: stored.created,
    customer: index.customer ?? null,
    status: index.status ?? null,
    deleted: stored.deleted,
    data: json,
  };
  appendOutbox(ctx.sql, 'record', projection, ctx.nowSeconds);
}

export interface EventJson {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  livemode: boolean;
  pending_webhooks: number;
  type: string;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: unknown; previous_attributes?: Record<string, unknown> };
}

/**
 * Records an event with a snapshot of the object (never mutated afterwards, except its
 * `pending_webhooks` count) and, in the same transaction, one delivery per subscribed endpoint.
 */
export function emit(ctx: OperationContext, type: string, object: unknown, previousAttributes?: Record<string, unknown>): EventJson {
  const endpointIds = matchingEndpointIds(ctx.sql, type);
  const event: EventJson = {
    id: ctx.newId('evt'),
    object: 'event',
    api_version: ctx.request?.apiVersion ?? API_VERSION,
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    pending_webhooks: endpointIds.length,
    type,
    request: { id: ctx.request?.id ?? null, idempotency_key: ctx.request?.idempotencyKey ?? null },
    data: previousAttributes === undefined ? { object } : { object, previous_attributes: previousAttributes },
  };
  const stored = insertObject(ctx.sql, { id: event.id, type: 'event', created: event.created, data: event }, { status: type });
  project(ctx, stored, event, { status: type });
  fanOutEvent(ctx.sql, event.id, endpointIds, ctx.nowSeconds);
  return event;
}
