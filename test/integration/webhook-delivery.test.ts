import { createExecutionContext, createMessageBatch, getQueueResult, runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_ATTEMPTS_TEST_MAX } from '../../src/domain/limits';
import { retryDelaySeconds } from '../../src/domain/webhooks/delivery';
import { recordDeadWebhooks, USER_AGENT } from '../../src/queue/webhooks';
import { api, json } from '../support/http';
import { eventually, failingThenOk, newReceiver } from '../support/webhook-receiver';
import { createEndpoint, deliverTry, latestEvent, newAccount, verifySignature, waitForAttempts } from '../support/webhooks';

describe('webhook delivery pipeline', () => {
  it('delivers a signed event end to end: emit → outbox → queue → consumer → receiver', async () => {
    const { key, stub } = await newAccount();
    const receiver = newReceiver();
    const endpoint = await createEndpoint(key, receiver.url);
    const customer = await json(await api('POST', '/v1/customers', { key, body: { email: 'a@example.com' } }));
    await runDurableObjectAlarm(stub);
    await eventually(() => (receiver.received.length > 0 ? true : undefined), 'a delivery');
    const [delivery] = receiver.received;
    expect(delivery!.method).toBe('POST');
    expect(delivery!.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(delivery!.headers.get('user-agent')).toBe(USER_AGENT);
    expect(delivery!.redirect).toBe('manual');
    const event = await verifySignature(delivery!, endpoint.secret);
    expect(event).toMatchObject({ object: 'event', type: 'customer.created', livemode: false, data: { object: { id: customer.id } } });
    const [logged] = await waitForAttempts(key, endpoint.id, 1);
    expect(logged).toMatchObject({ event: event.id, outcome: 'delivered', status_code: 200, attempt: 1, manual: false, error: null });
    expect(logged!.duration_ms).toEqual(expect.any(Number));
    expect((await json(await api('GET', `/v1/events/${event.id}`, { key }))).pending_webhooks).toBe(0);
  });

  it('sends only the types an endpoint enabled, to every matching endpoint, and counts them in pending_webhooks', async () => {
    const { key, stub } = await newAccount();
    const [all, customersOnly, chargesOnly] = [newReceiver(), newReceiver(), newReceiver()];
    await createEndpoint(key, all.url);
    await createEndpoint(key, customersOnly.url, ['customer.created', 'customer.updated']);
    await createEndpoint(key, chargesOnly.url, ['charge.succeeded']);
    const customer = await json(await api('POST', '/v1/customers', { key, body: { name: 'x' } }));
    await api('POST', `/v1/customers/${customer.id}`, { key, body: { name: 'y' } });
    const updated = await latestEvent(key, 'customer.updated');
    expect(updated.pending_webhooks).toBe(2);
    await runDurableObjectAlarm(stub);
    await eventually(() => (all.received.length === 2 && customersOnly.received.length === 2 ? true : undefined), 'both deliveries');
    expect(chargesOnly.received).toEqual([]);
    await eventually(async () => ((await latestEvent(key, 'customer.updated')).pending_webhooks === 0 ? true : undefined), 'pending_webhooks to reach 0');
  });

  it('sends a failing receiver exactly one more request per retry, backs off, and logs every try until the success', async () => {
    const account = await newAccount();
    const receiver = newReceiver(failingThenOk(2, 503));
    const endpoint = await createEndpoint(account.key, receiver.url);
    await api('POST', '/v1/customers', { key: account.key, body: { name: 'retry me' } });
    await runDurableObjectAlarm(account.stub);
    await waitForAttempts(account.key, endpoint.id, 1); // try 1, by the background consumer: 503
    const message = { merchant: account.merchant, eventId: (await latestEvent(account.key, 'customer.created')).id, endpointId: endpoint.id };

    const second = await deliverTry(message, 2);
    expect(second.acked).toBe(false);
    expect(second.retry?.delaySeconds).toBe(retryDelaySeconds(2, 0.5));
    expect(receiver.received.length).toBe(2);

    const third = await deliverTry(message, 3);
    expect(third).toMatchObject({ acked: true, retry: null });
    expect(receiver.received.length).toBe(3);

    const ids = await Promise.all(receiver.received.map(async (r) => (await verifySignature(r, endpoint.secret)).id));
    expect(new Set(ids)).toEqual(new Set([message.eventId])); // a stable id for receivers to dedupe on
    const log = await waitForAttempts(account.key, endpoint.id, 3);
    expect(log.map((r) => [r.attempt, r.outcome, r.status_code])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 503],
      [3, 'delivered', 200],
    ]);

    const duplicate = await deliverTry(message, 1); // at-least-once: a redelivered message is harmless
    expect(duplicate.acked).toBe(true);
    expect(receiver.received.length).toBe(3);
  });

  it('dead-letters after the last test-mode try, and the DLQ consumer marks the delivery dead', async () => {
    const account = await newAccount();
    const receiver = newReceiver(() => new Response('down', { status: 500 }));
    const endpoint = await createEndpoint(account.key, receiver.url);
    await api('POST', '/v1/customers', { key: account.key, body: { name: 'doomed' } });
    await runDurableObjectAlarm(account.stub);
    await waitForAttempts(account.key, endpoint.id, 1);
    const message = { merchant: account.merchant, eventId: (await latestEvent(account.key, 'customer.created')).id, endpointId: endpoint.id };

    for (let attempt = 2; attempt < WEBHOOK_ATTEMPTS_TEST_MAX; attempt++) expect((await deliverTry(message, attempt)).retry).not.toBeNull();
    const last = await deliverTry(message, WEBHOOK_ATTEMPTS_TEST_MAX);
    expect(last).toMatchObject({ acked: true, retry: null }); // handed to edgepay-events-dlq, not retried
    expect(receiver.received.length).toBe(WEBHOOK_ATTEMPTS_TEST_MAX);

    const log = await waitForAttempts(account.key, endpoint.id, WEBHOOK_ATTEMPTS_TEST_MAX + 1); // the real DLQ consumer ran
    expect(log.at(-1)).toMatchObject({ outcome: 'dead', attempt: WEBHOOK_ATTEMPTS_TEST_MAX, status_code: null });
    expect((await deliverTry(message, 1)).acked).toBe(true); // a dead delivery is not sent again
    expect(receiver.received.length).toBe(WEBHOOK_ATTEMPTS_TEST_MAX);
  });

  it('records platform dead letters through the DLQ consumer and acks malformed ones', async () => {
    const account = await newAccount();
    const receiver = newReceiver(() => new Response(null, { status: 500 }));
    const endpoint = await createEndpoint(account.key, receiver.url);
    await api('POST', '/v1/customers', { key: account.key, body: { name: 'dlq' } });
    await runDurableObjectAlarm(account.stub);
    await waitForAttempts(account.key, endpoint.id, 1);
    const eventId = (await latestEvent(account.key, 'customer.created')).id;
    const batch = createMessageBatch('edgepay-events-dlq', [
      { id: 'dead-1', timestamp: new Date(), attempts: 1, body: { merchant: account.merchant, eventId, endpointId: endpoint.id } },
      { id: 'junk', timestamp: new Date(), attempts: 1, body: 'not a webhook message' },
    ]);
    const ctx = createExecutionContext();
    await recordDeadWebhooks(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['dead-1', 'junk']);
    expect((await waitForAttempts(account.key, endpoint.id, 2)).at(-1)).toMatchObject({ outcome: 'dead' });
  });
});
