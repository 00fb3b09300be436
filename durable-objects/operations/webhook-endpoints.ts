/**
 * Webhook endpoints (CONTRACT.md §5.11): objects of this account DO, their signing secrets in
 * `webhook_secrets` (never in the object, which is listed and projected to D1). Plus edgepay's
 * extensions: secret rotation with an overlap window, manual redelivery, the delivery log.
 * URLs arrive already checked against the SSRF policy by the route.
 */
import { err, ok } from '../../src/domain/result';
import { invalidRequestError, resourceMissing } from '../../src/domain/errors';
import { WEBHOOK_ENDPOINTS_MAX, WEBHOOK_SECRET_OVERLAP_DEFAULT_SECONDS } from '../../src/domain/limits';
import { newWebhookSecret } from '../../src/platform/webhook-signature';
import { toDeletedWebhookEndpointJson, toWebhookEndpointJson, type WebhookEndpoint } from '../../src/stripe/objects/webhook-endpoint';
import { applyMetadataPatch, mergeMetadata, type MetadataPatch } from '../../src/stripe/params/common';
import { toListJson, type ListArgs } from '../../src/stripe/list';
import { project, type Handler, type OperationContext } from '../context';
import { appendOutbox, insertObject, readObject, updateObject, type StoredObject } from '../store';
import { WEBHOOK_OUTBOX_KIND, type WebhookOutboxPayload } from '../webhook-fanout';
import { countLiveEndpoints, deleteSecrets, ENDPOINT_TYPE, expireSecrets, insertSecret, listAttempts, readDelivery, type AttemptRow } from '../webhook-store';
import { listPage } from './lists';

export interface WebhookEndpointWrite {
  readonly url?: string;
  readonly enabledEvents?: readonly string[];
  readonly description?: string | null;
  readonly metadata?: MetadataPatch;
  readonly apiVersion?: string;
  readonly disabled?: boolean;
}

function loadEndpoint(ctx: OperationContext, id: string): StoredObject<WebhookEndpoint> | null {
  const stored = readObject<WebhookEndpoint>(ctx.sql, id, ENDPOINT_TYPE);
  return stored && !stored.deleted ? stored : null;
}

function save(ctx: OperationContext, stored: StoredObject<WebhookEndpoint>, endpoint: WebhookEndpoint, deleted = false) {
  const saved = updateObject(ctx.sql, stored, endpoint, { status: endpoint.status }, { deleted });
  project(ctx, saved, toWebhookEndpointJson(endpoint), { status: endpoint.status });
}

export const createWebhookEndpoint: Handler<WebhookEndpointWrite & { url: string; enabledEvents: readonly string[] }> = (ctx, input) => {
  if (countLiveEndpoints(ctx.sql) >= WEBHOOK_ENDPOINTS_MAX) {
    return err(invalidRequestError(`You have reached the maximum of ${WEBHOOK_ENDPOINTS_MAX} webhook endpoints in ${ctx.livemode ? 'live' : 'test'} mode.`));
  }
  const endpoint: WebhookEndpoint = {
    id: ctx.newId('we'),
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    url: input.url,
    enabledEvents: [...new Set(input.enabledEvents)],
    description: input.description ?? null,
    metadata: applyMetadataPatch({}, input.metadata),
    status: 'enabled',
    apiVersion: input.apiVersion ?? null,
  };
  const stored = insertObject(ctx.sql, { id: endpoint.id, type: ENDPOINT_TYPE, created: endpoint.created, data: endpoint }, { status: endpoint.status });
  project(ctx, stored, toWebhookEndpointJson(endpoint), { status: endpoint.status });
  const secret = newWebhookSecret();
  insertSecret(ctx.sql, endpoint.id, secret, ctx.nowSeconds);
  return ok(toWebhookEndpointJson(endpoint, secret));
};

export const retrieveWebhookEndpoint: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadEndpoint(ctx, id);
  return stored ? ok(toWebhookEndpointJson(stored.data)) : err(resourceMissing('webhook_endpoint', id));
};

export const updateWebhookEndpoint: Handler<{ id: string; write: WebhookEndpointWrite }> = (ctx, { id, write }) => {
  const stored = loadEndpoint(ctx, id);
  if (!stored) return err(resourceMissing('webhook_endpoint', id));
  const metadata = mergeMetadata(stored.data.metadata, write.metadata);
  if (!metadata.ok) return metadata;
  const status = write.disabled === undefined ? stored.data.status : write.disabled ? 'disabled' : 'enabled';
  const endpoint: WebhookEndpoint = {
    ...stored.data,
    url: write.url ?? stored.data.url,
    enabledEvents: write.enabledEvents ? [...new Set(write.enabledEvents)] : stored.data.enabledEvents,
    description: write.description === undefined ? stored.data.description : write.description,
    metadata: metadata.value,
    status,
  };
  save(ctx, stored, endpoint);
  return ok(toWebhookEndpointJson(endpoint));
};

export const deleteWebhookEndpoint: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadEndpoint(ctx, id);
  if (!stored) return err(resourceMissing('webhook_endpoint', id));
  save(ctx, stored, stored.data, true);
  deleteSecrets(ctx.sql, id);
  return ok(toDeletedWebhookEndpointJson(id));
};

export const listWebhookEndpoints: Handler<{ list: ListArgs }> = (ctx, { list }) =>
  listPage<WebhookEndpoint>(ctx, { type: ENDPOINT_TYPE, url: '/v1/webhook_endpoints', list, equals: {}, render: (e) => toWebhookEndpointJson(e) });

/**
 * Rolls the signing secret: a new one signs from now on; the current ones keep signing too until
 * `expiresIn` seconds from now (0 = retire them at once), so receivers can switch without gaps.
 */
export const rotateWebhookSecret: Handler<{ id: string; expiresIn?: number }> = (ctx, { id, expiresIn }) => {
  const stored = loadEndpoint(ctx, id);
  if (!stored) return err(resourceMissing('webhook_endpoint', id));
  expireSecrets(ctx.sql, id, ctx.nowSeconds + (expiresIn ?? WEBHOOK_SECRET_OVERLAP_DEFAULT_SECONDS));
  const secret = newWebhookSecret();
  insertSecret(ctx.sql, id, secret, ctx.nowSeconds);
  return ok(toWebhookEndpointJson(stored.data, secret));
};

/** Queues one more delivery of an event this endpoint was sent (sent even if delivered; not retried). */
export const redeliverWebhookEvent: Handler<{ id: string; eventId: string }> = (ctx, { id, eventId }) => {
  const stored = loadEndpoint(ctx, id);
  if (!stored) return err(resourceMissing('webhook_endpoint', id));
  if (!readObject(ctx.sql, eventId, 'event')) return err(resourceMissing('event', eventId, 'event'));
  if (readDelivery(ctx.sql, eventId, id) === null) {
    return err(invalidRequestError(`The event ${eventId} was not sent to the webhook endpoint ${id}.`, 'event'));
  }
  if (stored.data.status !== 'enabled') return err(invalidRequestError(`The webhook endpoint ${id} is disabled.`, 'event'));
  const payload: WebhookOutboxPayload = { eventId, endpointId: id, manual: true };
  appendOutbox(ctx.sql, WEBHOOK_OUTBOX_KIND, payload, ctx.nowSeconds);
  return ok({ object: 'webhook_redelivery', event: eventId, webhook_endpoint: id, status: 'queued' });
};

function toAttemptJson(row: AttemptRow) {
  return {
    id: `whatt_${row.seq}`,
    object: 'webhook_delivery_attempt' as const,
    attempt: row.attempt,
    created: row.attemptedAt,
    duration_ms: row.durationMs,
    error: row.error,
    event: row.eventId,
    manual: row.manual,
    outcome: row.outcome,
    status_code: row.statusCode,
    webhook_endpoint: row.endpointId,
  };
}

/** The endpoint's delivery log, newest first: status codes or errors and durations, never bodies. */
export const listWebhookAttempts: Handler<{ id: string; limit: number; eventId?: string; startingAfter?: string }> = (ctx, input) => {
  if (!readObject(ctx.sql, input.id, ENDPOINT_TYPE)) return err(resourceMissing('webhook_endpoint', input.id));
  const cursor = input.startingAfter === undefined ? undefined : Number(/^whatt_([0-9]{1,15})$/.exec(input.startingAfter)?.[1] ?? NaN);
  if (cursor !== undefined && !Number.isSafeInteger(cursor)) return err(invalidRequestError(`No such webhook attempt: '${input.startingAfter}'`, 'starting_after', 'resource_missing'));
  const rows = listAttempts(ctx.sql, input.id, {
    limit: input.limit,
    ...(input.eventId === undefined ? {} : { eventId: input.eventId }),
    ...(cursor === undefined ? {} : { beforeSeq: cursor }),
  });
  return ok(toListJson(`/v1/webhook_endpoints/${input.id}/attempts`, rows.slice(0, input.limit).map(toAttemptJson), rows.length > input.limit));
};
