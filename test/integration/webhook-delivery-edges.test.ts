import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../../src/domain/webhooks/delivery';
import { api, json } from '../support/http';
import { eventually, networkLog, newReceiver, testTransport } from '../support/webhook-receiver';
import { createEndpoint, deliverTry, latestEvent, newAccount, storeEndpointUnchecked, verifySignature, waitForAttempts } from '../support/webhooks';

/** An account with one endpoint whose first automatic try (by the background consumer) is logged. */
async function accountWithFirstTry(behaviour: Parameters<typeof newReceiver>[0]) {
  const account = await newAccount();
  const receiver = newReceiver(behaviour);
  const endpoint = await createEndpoint(account.key, receiver.url);
  await api('POST', '/v1/customers', { key: account.key, body: { name: 'edge' } });
  await runDurableObjectAlarm(account.stub);
  await waitForAttempts(account.key, endpoint.id, 1);
  const message = { merchant: account.merchant, eventId: (await latestEvent(account.key, 'customer.created')).id, endpointId: endpoint.id };
  return { ...account, receiver, endpoint, message };
}

describe('webhook delivery edge cases', () => {
  it('treats a redirect as a failure and never follows it (even towards metadata addresses)', async () => {
    const redirect = () => new Response(null, { status: 301, headers: { Location: 'http://169.254.169.254/latest/meta-data/' } });
    const { key, endpoint, message, receiver } = await accountWithFirstTry(redirect);
    const again = await deliverTry(message, 2);
    expect(again.retry).not.toBeNull();
    expect(receiver.received.every((r) => r.redirect === 'manual')).toBe(true);
    expect(networkLog.some((url) => url.includes('169.254.169.254'))).toBe(false);
    expect((await waitForAttempts(key, endpoint.id, 2)).map((r) => [r.outcome, r.status_code])).toEqual([
      ['failed', 301],
      ['failed', 301],
    ]);
  });

  it('times out a receiver that does not answer, logs "timeout" and retries', async () => {
    const { key, endpoint, message } = await accountWithFirstTry((n) => (n === 1 ? new Response(null, { status: 500 }) : new Promise<Response>(() => {})));
    const slow = await deliverTry(message, 2, testTransport({ timeoutMs: 50 }));
    expect(slow.retry?.delaySeconds).toBe(retryDelaySeconds(2, 0.5));
    const log = await waitForAttempts(key, endpoint.id, 2);
    expect(log[1]).toMatchObject({ outcome: 'failed', status_code: null, error: 'timeout' });
  });

  it('honours Retry-After on 429 and never stores response bodies', async () => {
    const tooMany = () => new Response('SECRET-RESPONSE-BODY', { status: 429, headers: { 'Retry-After': '7200' } });
    const { key, endpoint, message } = await accountWithFirstTry(tooMany);
    expect((await deliverTry(message, 2)).retry?.delaySeconds).toBe(7200);
    const log = await waitForAttempts(key, endpoint.id, 2);
    expect(JSON.stringify(log)).not.toContain('SECRET-RESPONSE-BODY');
  });

  it('disables the endpoint when the receiver answers 410 Gone, and stops sending to it', async () => {
    const { key, endpoint, message, receiver } = await accountWithFirstTry(() => new Response(null, { status: 410 }));
    await eventually(async () => ((await json(await api('GET', `/v1/webhook_endpoints/${endpoint.id}`, { key }))).status === 'disabled' ? true : undefined), 'the endpoint disabled');
    expect(await deliverTry(message, 2)).toMatchObject({ acked: true, retry: null });
    expect(receiver.received.length).toBe(1);
  });

  it('stops retrying once the endpoint is disabled or deleted', async () => {
    const { key, endpoint, message, receiver } = await accountWithFirstTry(() => new Response(null, { status: 500 }));
    await api('POST', `/v1/webhook_endpoints/${endpoint.id}`, { key, body: { disabled: 'true' } });
    expect(await deliverTry(message, 2)).toMatchObject({ acked: true, retry: null });
    await api('DELETE', `/v1/webhook_endpoints/${endpoint.id}`, { key });
    expect(await deliverTry(message, 3)).toMatchObject({ acked: true, retry: null });
    expect(receiver.received.length).toBe(1);
  });

  it('re-checks the URL at send time: a stored loopback URL is refused without any request', async () => {
    const account = await newAccount();
    const endpoint = await storeEndpointUnchecked(account, 'http://127.0.0.1:9/internal');
    await api('POST', '/v1/customers', { key: account.key, body: { name: 'ssrf' } });
    await runDurableObjectAlarm(account.stub);
    const [first] = await waitForAttempts(account.key, endpoint.id, 1);
    expect(first).toMatchObject({ outcome: 'failed', status_code: null, error: 'url_refused: loopback' });
    expect(networkLog.some((url) => url.includes('127.0.0.1'))).toBe(false);
  });

  it('delivers to localhost in test mode only when WEBHOOKS_ALLOW_LOCALHOST is true', async () => {
    const account = await newAccount();
    const local = newReceiver(() => new Response('ok'), { host: 'localhost:4242', scheme: 'http' });
    const endpoint = await storeEndpointUnchecked(account, local.url);
    await api('POST', '/v1/customers', { key: account.key, body: { name: 'dev' } });
    await runDurableObjectAlarm(account.stub);
    await waitForAttempts(account.key, endpoint.id, 1); // refused: this deployment has no dev setting
    expect(local.received).toEqual([]);
    const message = { merchant: account.merchant, eventId: (await latestEvent(account.key, 'customer.created')).id, endpointId: endpoint.id };
    const devEnv = { ...env, WEBHOOKS_ALLOW_LOCALHOST: 'true' } as Env;
    expect(await deliverTry(message, 2, testTransport(), devEnv)).toMatchObject({ acked: true });
    expect(local.received).toHaveLength(1);
    await verifySignature(local.received[0]!, endpoint.secret);
  });

  it('signs with both secrets during a rotation overlap, then only the new one', async () => {
    const account = await newAccount();
    const receiver = newReceiver();
    const endpoint = await createEndpoint(account.key, receiver.url);
    const rotated = await json(await api('POST', `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, { key: account.key, body: { expires_in: '3600' } }));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    await api('POST', '/v1/customers', { key: account.key, body: { name: 'rotation' } });
    await runDurableObjectAlarm(account.stub);
    await eventually(() => (receiver.received.length === 1 ? true : undefined), 'a delivery');
    expect(receiver.received[0]!.headers.get('stripe-signature')!.match(/v1=/g)).toHaveLength(2);
    await verifySignature(receiver.received[0]!, endpoint.secret);
    await verifySignature(receiver.received[0]!, rotated.secret);

    const again = await json(await api('POST', `/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, { key: account.key, body: { expires_in: '0' } }));
    await api('POST', '/v1/customers', { key: account.key, body: { name: 'after' } });
    await runDurableObjectAlarm(account.stub);
    await eventually(() => (receiver.received.length === 2 ? true : undefined), 'a second delivery');
    expect(receiver.received[1]!.headers.get('stripe-signature')!.match(/v1=/g)).toHaveLength(1);
    await verifySignature(receiver.received[1]!, again.secret);
    await expect(verifySignature(receiver.received[1]!, rotated.secret)).rejects.toThrow();
  });

  it('redelivers an event on request (manual, one try) even after it was delivered', async () => {
    const { key, stub, endpoint, message, receiver } = await accountWithFirstTry(() => new Response('ok'));
    const queued = await json(await api('POST', `/v1/webhook_endpoints/${endpoint.id}/redeliver`, { key, body: { event: message.eventId } }));
    expect(queued).toEqual({ object: 'webhook_redelivery', event: message.eventId, webhook_endpoint: endpoint.id, status: 'queued' });
    await runDurableObjectAlarm(stub);
    await eventually(() => (receiver.received.length === 2 ? true : undefined), 'the redelivery');
    const [a, b] = await Promise.all(receiver.received.map((r) => verifySignature(r, endpoint.secret)));
    expect(a!.id).toBe(b!.id);
    expect((await waitForAttempts(key, endpoint.id, 2))[1]).toMatchObject({ manual: true, outcome: 'delivered' });
    const unknown = await api('POST', `/v1/webhook_endpoints/${endpoint.id}/redeliver`, { key, body: { event: 'evt_missing' } });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error).toMatchObject({ code: 'resource_missing', param: 'event' });
  });

  it('pages the attempt log and filters it by event', async () => {
    const { key, endpoint, message } = await accountWithFirstTry(() => new Response(null, { status: 500 }));
    await deliverTry(message, 2);
    await deliverTry(message, 3);
    const first = await json(await api('GET', `/v1/webhook_endpoints/${endpoint.id}/attempts?limit=2`, { key }));
    expect(first.has_more).toBe(true);
    expect(first.data.map((r: { attempt: number }) => r.attempt)).toEqual([3, 2]);
    const rest = await json(await api('GET', `/v1/webhook_endpoints/${endpoint.id}/attempts?limit=2&starting_after=${first.data[1].id}`, { key }));
    expect(rest.data.map((r: { attempt: number }) => r.attempt)).toEqual([1]);
    const other = await json(await api('GET', `/v1/webhook_endpoints/${endpoint.id}/attempts?event=evt_other`, { key }));
    expect(other.data).toEqual([]);
  });
});
