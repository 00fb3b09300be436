/** The events CLI (scripts/events.mjs) polling the real Worker and forwarding to a local receiver. */
import { exports } from 'cloudflare:workers';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { describeEvent, eventsSince, forwardEvent, latestEventId, newLocalSecret } from '../../scripts/lib/events-cli.mjs';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, BASE } from '../support/http';
import { newReceiver, testNetworkFetch } from '../support/webhook-receiver';

const workerFetch = (input: string | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init));

async function account() {
  const key = await mintTestKey(newAccountId());
  const create = async (name: string) => (await (await api('POST', '/v1/customers', { key, body: { name } })).json()) as { id: string };
  return { key, create, options: { api: BASE, key } };
}

describe('events CLI', () => {
  it('tails only events newer than its starting point, oldest first', async () => {
    const { create, options } = await account();
    await create('before');
    const start = await latestEventId(workerFetch, options);
    const made = [await create('a'), await create('b'), await create('c')];
    const events = await eventsSince<{ id: string; type: string; created: number; data: { object: { id: string } } }>(workerFetch, options, start);
    expect(events.map((e) => e.data.object.id)).toEqual(made.map((c) => c.id));
    expect(await eventsSince(workerFetch, options, events.at(-1)!.id)).toEqual([]);
  });

  it('pages through more than one page, and filters by type', async () => {
    const { key, create, options } = await account();
    for (let i = 0; i < 105; i++) await create(`c${i}`);
    const customer = await create('updated');
    await api('POST', `/v1/customers/${customer.id}`, { key, body: { name: 'changed' } });
    const all = await eventsSince(workerFetch, options, null);
    expect(all).toHaveLength(107);
    expect(all.map((e) => e.created)).toEqual([...all.map((e) => e.created)].sort((a, b) => a - b));
    expect((await eventsSince(workerFetch, { ...options, types: ['customer.updated'] }, null)).map((e) => e.type)).toEqual(['customer.updated']);
    const second = all[1]!.id;
    expect(await eventsSince(workerFetch, options, second)).toHaveLength(105);
  });

  it('forwards an event signed so that constructEventAsync verifies it', async () => {
    const { create, options } = await account();
    await create('forward me');
    const [event] = await eventsSince(workerFetch, options, null);
    const receiver = newReceiver(() => new Response(null, { status: 204 }), { host: 'localhost:4242', scheme: 'http' });
    const secret = newLocalSecret();
    expect(await forwardEvent(testNetworkFetch, event!, { to: receiver.url, secret })).toEqual({ status: 204 });
    const [sent] = receiver.received;
    const verified = await new Stripe('sk_test_unused').webhooks.constructEventAsync(sent!.body, sent!.headers.get('stripe-signature')!, secret, 300, Stripe.createSubtleCryptoProvider());
    expect(verified.id).toBe(event!.id);
    expect(describeEvent(event!, { status: 204 })).toContain('customer.created');
    expect(await forwardEvent(testNetworkFetch, event!, { to: 'http://nowhere.invalid/x', secret })).toMatchObject({ error: expect.any(String) });
  });
});
