/**
 * The account DO's side of webhook delivery, called by the queue consumer over RPC: what to send
 * for a (event, endpoint) pair right now, and recording what happened. The DO never does network
 * I/O for webhooks; the consumer signs and sends, so a slow receiver never holds the account.
 */
import { EVENT_PRUNE_BATCH_MAX, EVENT_RETENTION_SECONDS, WEBHOOK_ERROR_TEXT_LENGTH_MAX } from '../src/domain/limits';
import type { WebhookEndpoint } from '../src/stripe/objects/webhook-endpoint';
import { toWebhookEndpointJson } from '../src/stripe/objects/webhook-endpoint';
import { project, type EventJson, type OperationContext } from './context';
import { PURGE_OUTBOX_KIND, type RecordPurge } from '../src/platform/records';
import { appendOutbox, readObject, updateObject } from './store';
import {
  activeSecrets,
  ENDPOINT_TYPE,
  insertAttempt,
  oldestEventSeconds,
  pruneEvents,
  pruneExpiredSecrets,
  readDelivery,
  updateDelivery,
  type AttemptOutcome,
  type DeliveryState,
} from './webhook-store';

export type DeliverySkip = 'event_gone' | 'endpoint_gone' | 'endpoint_disabled' | 'not_subscribed' | 'already_delivered' | 'dead';

export type DeliveryPlan =
  | { readonly action: 'skip'; readonly reason: DeliverySkip }
  | {
      readonly action: 'send';
      readonly url: string;
      readonly livemode: boolean;
      /** Every secret active now, newest first: one `v1` signature each. */
      readonly secrets: readonly string[];
      /** The exact bytes to POST (and sign). */
      readonly body: string;
    };

export interface AttemptReport {
  readonly eventId: string;
  readonly endpointId: string;
  readonly manual: boolean;
  readonly outcome: AttemptOutcome;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number | null;
}

export function planDelivery(sql: SqlStorage, nowSeconds: number, eventId: string, endpointId: string, manual: boolean): DeliveryPlan {
  const event = readObject<EventJson>(sql, eventId, 'event');
  if (!event) return { action: 'skip', reason: 'event_gone' };
  const endpoint = readObject<WebhookEndpoint>(sql, endpointId, ENDPOINT_TYPE);
  if (!endpoint || endpoint.deleted) return { action: 'skip', reason: 'endpoint_gone' };
  if (endpoint.data.status !== 'enabled') return { action: 'skip', reason: 'endpoint_disabled' };
  const delivery = readDelivery(sql, eventId, endpointId);
  if (delivery === null) return { action: 'skip', reason: 'not_subscribed' };
  if (!manual && delivery.state === 'delivered') return { action: 'skip', reason: 'already_delivered' };
  if (!manual && delivery.state === 'dead') return { action: 'skip', reason: 'dead' };
  return {
    action: 'send',
    url: endpoint.data.url,
    livemode: endpoint.data.livemode,
    secrets: activeSecrets(sql, endpointId, nowSeconds),
    body: JSON.stringify(event.data),
  };
}

function nextState(current: DeliveryState, outcome: AttemptOutcome): DeliveryState {
  if (current === 'delivered' || outcome === 'delivered') return 'delivered';
  if (outcome === 'dead') return 'dead';
  return 'failed';
}

/** One less endpoint waiting: `pending_webhooks` counts endpoints that have not acknowledged. */
function acknowledgeOnEvent(ctx: OperationContext, eventId: string): void {
  const event = readObject<EventJson>(ctx.sql, eventId, 'event');
  if (!event) return;
  const data: EventJson = { ...event.data, pending_webhooks: Math.max(0, event.data.pending_webhooks - 1) };
  const saved = updateObject(ctx.sql, event, data, { status: data.type });
  project(ctx, saved, data, { status: data.type });
}

/** A receiver answering 410 Gone says the endpoint no longer exists: stop sending to it. */
function disableEndpoint(ctx: OperationContext, endpointId: string): void {
  const stored = readObject<WebhookEndpoint>(ctx.sql, endpointId, ENDPOINT_TYPE);
  if (!stored || stored.deleted || stored.data.status === 'disabled') return;
  const endpoint: WebhookEndpoint = { ...stored.data, status: 'disabled' };
  const saved = updateObject(ctx.sql, stored, endpoint, { status: 'disabled' });
  project(ctx, saved, toWebhookEndpointJson(endpoint), { status: 'disabled' });
}

/** Appends the attempt to the log and moves the delivery's state; idempotent enough for retries. */
export function recordAttempt(ctx: OperationContext, report: AttemptReport): void {
  const delivery = readDelivery(ctx.sql, report.eventId, report.endpointId);
  if (delivery === null) return; // the event was pruned (or never meant for this endpoint)
  const counted = report.outcome !== 'dead';
  const attempts = delivery.attempts + (counted ? 1 : 0);
  insertAttempt(ctx.sql, {
    eventId: report.eventId,
    endpointId: report.endpointId,
    attemptedAt: ctx.nowSeconds,
    attempt: attempts,
    outcome: report.outcome,
    statusCode: report.statusCode,
    error: report.error === null ? null : report.error.slice(0, WEBHOOK_ERROR_TEXT_LENGTH_MAX),
    durationMs: report.durationMs,
    manual: report.manual,
  });
  const state = nextState(delivery.state, report.outcome);
  updateDelivery(ctx.sql, report.eventId, report.endpointId, { state, attempts }, ctx.nowSeconds);
  if (state === 'delivered' && delivery.state !== 'delivered') acknowledgeOnEvent(ctx, report.eventId);
  if (report.outcome === 'gone') disableEndpoint(ctx, report.endpointId);
}

/**
 * Retention (Stripe keeps events 30 days): deletes a bounded batch of older events, deliveries and
 * log rows, and expired secrets, and — in the same transaction, through the outbox — their D1
 * copies. Returns when to run again: soon if a full batch went, else when the oldest remaining
 * event comes of age (null when there are no events).
 */
export function pruneExpiredEvents(sql: SqlStorage, nowSeconds: number): number | null {
  pruneExpiredSecrets(sql, nowSeconds);
  const cutoff = nowSeconds - EVENT_RETENTION_SECONDS;
  const { eventIds, removed } = pruneEvents(sql, cutoff, EVENT_PRUNE_BATCH_MAX);
  if (eventIds.length > 0) appendOutbox(sql, PURGE_OUTBOX_KIND, { object: 'event', ids: eventIds } satisfies RecordPurge, nowSeconds);
  if (removed >= EVENT_PRUNE_BATCH_MAX) return nowSeconds;
  const oldest = oldestEventSeconds(sql);
  return oldest === null ? null : oldest + EVENT_RETENTION_SECONDS + 1;
}
