/** Shared steps of the webhook tests: accounts, endpoints, the attempt log, consumer batches. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import Stripe from 'stripe';
import { expect } from 'vitest';
import type { CallMeta } from '../../durable-objects/merchant-account';
import { deliverWebhookBatch, type WebhookTransport } from '../../src/queue/webhooks';
import { mintTestKey, newAccountId } from './api-keys';
import { api, json } from './http';
import { eventually, testTransport, type ReceivedRequest } from './webhook-receiver';

const stripe = new Stripe('sk_test_unused');
const cryptoProvider = Stripe.createSubtleCryptoProvider();

export async function newAccount(livemode = false) {
  const accountId = newAccountId();
  const merchant = `${accountId}:${livemode ? 'live' : 'test'}`;
  return { accountId, merchant, key: await mintTestKey(accountId, { livemode }), stub: env.MERCHANT_ACCOUNT.getByName(merchant) };
}

export function endpointBody(url: string, events: readonly string[] = ['*']): Record<string, string> {
  const body: Record<string, string> = { url };
  events.forEach((e, i) => (body[`enabled_events[${i}]`] = e));
  return body;
}

export async function createEndpoint(key: string, url: string, events: readonly string[] = ['*']) {
  const response = await api('POST', '/v1/webhook_endpoints', { key, body: endpointBody(url, events) });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

/** Stores an endpoint straight in the account, past the route's URL check (an older, laxer policy). */
export async function storeEndpointUnchecked(account: { accountId: string; stub: ReturnType<typeof env.MERCHANT_ACCOUNT.getByName> }, url: string) {
  const meta: CallMeta = { accountId: account.accountId, livemode: false, keyId: 'key_test', requestId: 'req_test', apiVersion: '', expand: [], idempotency: null } as CallMeta;
  const response = await account.stub.execute({ name: 'webhook_endpoints.create', input: { url, enabledEvents: ['*'] } }, meta);
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as { id: string; secret: string };
}

export async function attemptLog(key: string, endpointId: string): Promise<Array<Record<string, any>>> {
  return (await json(await api('GET', `/v1/webhook_endpoints/${endpointId}/attempts?limit=100`, { key }))).data;
}

/** Waits until the endpoint's log holds at least `count` rows; returns them oldest first. */
export async function waitForAttempts(key: string, endpointId: string, count: number) {
  return eventually(async () => {
    const rows = await attemptLog(key, endpointId);
    return rows.length >= count ? rows.reverse() : undefined;
  }, `${count} logged attempts`);
}

export async function latestEvent(key: string, type: string) {
  const list = await json(await api('GET', `/v1/events?type=${type}&limit=1`, { key }));
  expect(list.data.length, `an event of type ${type}`).toBe(1);
  return list.data[0];
}

export async function verifySignature(received: ReceivedRequest, secret: string) {
  return stripe.webhooks.constructEventAsync(received.body, received.headers.get('stripe-signature')!, secret, 300, cryptoProvider);
}

/** Runs the events consumer on one message the way the queue would deliver its n-th try. */
export async function deliverTry(
  body: { merchant: string; eventId: string; endpointId: string; manual?: boolean },
  attempts: number,
  transport: WebhookTransport = testTransport(),
  queueEnv: Env = env,
) {
  const id = `msg-${attempts}-${Math.random().toString(36).slice(2)}`;
  const batch = createMessageBatch('edgepay-events', [{ id, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  // The pool's result lists retried messages but not their delay: record the options on the way.
  const delays: Array<number | undefined> = [];
  const observed = batch.messages.map((m) => ({
    id: m.id,
    timestamp: m.timestamp,
    body: m.body,
    attempts: m.attempts,
    ack: () => m.ack(),
    retry: (options?: QueueRetryOptions) => {
      delays.push(options?.delaySeconds);
      m.retry(options);
    },
  }));
  await deliverWebhookBatch({ ...batch, queue: batch.queue, messages: observed } as unknown as MessageBatch<unknown>, queueEnv, transport);
  const result = await getQueueResult(batch, ctx);
  const retried = result.retryMessages.some((m: { msgId: string }) => m.msgId === id);
  return { id, acked: result.explicitAcks.includes(id), retry: retried ? { delaySeconds: delays[0] } : null };
}
