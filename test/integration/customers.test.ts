import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

describe('customers through the stripe client', () => {
  it('creates, retrieves, updates, lists and deletes a customer', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const created = await stripe.customers.create({ email: 'a@example.com', name: 'Ada', metadata: { order: '6735' } });
    expect(created.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
    expect(created.object).toBe('customer');
    expect(created.livemode).toBe(false);
    expect(created.metadata).toEqual({ order: '6735' });
    expect(created.lastResponse.requestId).toMatch(/^req_[A-Za-z0-9]{14}$/);

    const fetched = await stripe.customers.retrieve(created.id);
    expect(fetched).toMatchObject({ id: created.id, email: 'a@example.com', name: 'Ada' });

    const updated = await stripe.customers.update(created.id, { metadata: { order: '', tier: 'gold' }, name: null as any });
    expect(updated.metadata).toEqual({ tier: 'gold' });
    expect(updated.name).toBeNull();

    const list = await stripe.customers.list({ email: 'a@example.com' });
    expect(list.data.map((c) => c.id)).toEqual([created.id]);

    const deleted = await stripe.customers.del(created.id);
    expect(deleted).toMatchObject({ id: created.id, object: 'customer', deleted: true });
    const stub = await stripe.customers.retrieve(created.id);
    expect(stub).toMatchObject({ id: created.id, deleted: true });
  });
});

describe('unknown routes', () => {
  it('answers 404 with a Stripe error naming the verb and path', async () => {
    const key = await mintTestKey(newAccountId());
    const res = await api('GET', '/v1/nope', { key });
    expect(res.status).toBe(404);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const body = await json(res);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('GET: /v1/nope');
  });
});

describe('metadata merge limits', () => {
  it('refuses an update whose merged metadata would exceed 50 keys, leaving the customer unchanged', async () => {
    const key = await mintTestKey(newAccountId());
    const first: Record<string, string> = {};
    for (let i = 0; i < 45; i++) first[`metadata[k${i}]`] = 'v';
    const created = await json(await api('POST', '/v1/customers', { key, body: first }));
    const more: Record<string, string> = {};
    for (let i = 45; i < 55; i++) more[`metadata[k${i}]`] = 'v';
    const res = await api('POST', `/v1/customers/${created.id}`, { key, body: more });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ param: 'metadata', code: 'metadata_too_many_keys' });
    const after = await json(await api('GET', `/v1/customers/${created.id}`, { key }));
    expect(Object.keys(after.metadata)).toHaveLength(45);
    const swap = { ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`metadata[k${i}]`, ''])), ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`metadata[n${i}]`, 'v'])) };
    expect((await api('POST', `/v1/customers/${created.id}`, { key, body: swap })).status).toBe(200);
  });
});
