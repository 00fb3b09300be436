/**
 * Which endpoints receive a new event, decided inside the transaction that creates it: every
 * enabled endpoint of this account (and so this mode) whose `enabled_events` match. Each gets a
 * delivery row and an outbox row; the alarm's drain turns the outbox rows into queue messages, so
 * the event, its deliveries and the promise to send them commit together or not at all.
 */
import { endpointWantsEvent } from '../src/domain/webhooks/event-types';
import type { WebhookEndpoint } from '../src/stripe/objects/webhook-endpoint';
import { appendOutbox } from './store';
import { insertDelivery, readEnabledEndpoints } from './webhook-store';

export const WEBHOOK_OUTBOX_KIND = 'webhook';

/** The outbox payload of one delivery (and, with the merchant added, the queue message). */
export interface WebhookOutboxPayload {
  readonly eventId: string;
  readonly endpointId: string;
  /** A merchant-requested redelivery: sent even if delivered before, and never retried. */
  readonly manual?: boolean;
}

export function matchingEndpointIds(sql: SqlStorage, type: string): string[] {
  return readEnabledEndpoints<WebhookEndpoint>(sql)
    .filter((endpoint) => endpointWantsEvent(endpoint.data.enabledEvents, type))
    .map((endpoint) => endpoint.id);
}

/** Records one delivery (and its outbox row) per endpoint that receives a new event. */
export function fanOutEvent(sql: SqlStorage, eventId: string, endpointIds: readonly string[], nowSeconds: number): void {
  for (const endpointId of endpointIds) {
    insertDelivery(sql, eventId, endpointId, nowSeconds);
    const payload: WebhookOutboxPayload = { eventId, endpointId };
    appendOutbox(sql, WEBHOOK_OUTBOX_KIND, payload, nowSeconds);
  }
}
