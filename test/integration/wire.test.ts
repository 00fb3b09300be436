import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, BASE, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

const REQUEST_ID = /^req_[A-Za-z0-9]{14}$/;

async function expectError(res: Response, status: number, fields: Record<string, unknown> = {}) {
  expect(res.status).toBe(status);
  expect(res.headers.get('request-id')).toMatch(REQUEST_ID);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(res);
  expect(body.error).toMatchObject({ type: expect.any(String), message: expect.any(String), ...fields });
  return body.error as Record<string, string>;
}

describe('response envelope', () => {
  it('sends Request-Id and JSON on success, 401, 404 and unknown paths', async () => {
    const key = await mintTestKey(newAccountId());
    const ok = await api('GET', '/v1/customers', { key });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('request-id')).toMatch(REQUEST_ID);
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
    await expectError(await api('GET', '/v1/customers'), 401);
    await expectError(await api('GET', '/v1/customers', { key: 'sk_test_nonsense_key' }), 401);
    await expectError(await api('GET', '/v1/customers/cus_missing0000000', { key }), 404, { code: 'resource_missing' });
    const route = await expectError(await api('DELETE', '/v1/widgets/wd_1', { key }), 404, { type: 'invalid_request_error' });
    expect(route.message).toContain('DELETE: /v1/widgets/wd_1');
    const outside = await expectError(await api('GET', '/nowhere'), 404);
    expect(outside.message).toContain('GET: /nowhere');
  });

  it('answers a failing operation with a JSON 500 and Request-Id, never an HTML page', async () => {
    const acct = newAccountId();
    const key = await mintTestKey(acct);
    const customer = await json(await api('POST', '/v1/customers', { key, body: { name: 'Corrupt me' } }));
    const stub = env.MERCHANT_ACCOUNT.getByName(`${acct}:test`);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE objects SET data = '{not json' WHERE id = ?", customer.id);
    });
    const res = await api('GET', `/v1/customers/${customer.id}`, { key });
    const error = await expectError(res, 500, { type: 'api_error' });
    expect(error.message).not.toMatch(/SyntaxError|JSON|stack/i);
  });
});

describe('parameter validation', () => {
  it('names unknown parameters in bracket notation', async () => {
    const key = await mintTestKey(newAccountId());
    const res = await api('POST', '/v1/customers', { key, body: { 'address[city]': 'Paris', 'address[foo]': 'x' } });
    await expectError(res, 400, { code: 'parameter_unknown', param: 'address[foo]' });
  });

  it('refuses list limits outside 1..100 and non-integers', async () => {
    const key = await mintTestKey(newAccountId());
    for (const limit of ['0', '101', 'abc', '1e1', ' 5']) {
      await expectError(await api('GET', `/v1/customers?limit=${encodeURIComponent(limit)}`, { key }), 400, { param: 'limit' });
    }
    expect((await api('GET', '/v1/customers?limit=100', { key })).status).toBe(200);
  });

  it('enforces metadata limits (50 keys, 40-char keys, 500-char values)', async () => {
    const key = await mintTestKey(newAccountId());
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`metadata[k${i}]`, 'v']));
    const cases = [tooMany, { [`metadata[${'k'.repeat(41)}]`]: 'v' }, { 'metadata[k]': 'v'.repeat(501) }];
    for (const body of cases) {
      const error = await expectError(await api('POST', '/v1/customers', { key, body }), 400);
      expect(error.param).toMatch(/^metadata/);
    }
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`metadata[${'k'.repeat(38)}${i}]`, 'v'.repeat(500)]));
    expect((await api('POST', '/v1/customers', { key, body: fifty })).status).toBe(200);
  });
});

describe('request bodies', () => {
  it('refuses a body over 256 KiB with a JSON 413, declared or streamed', async () => {
    const key = await mintTestKey(newAccountId());
    const big = `name=${'a'.repeat(257 * 1024)}`;
    await expectError(await api('POST', '/v1/customers', { key, body: big }), 413);
    // 16 MiB offered lazily in 64 KiB chunks: the Worker must stop reading soon after 256 KiB.
    const chunk = new TextEncoder().encode('a'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('name='));
        if (sent >= 256) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`${BASE}/v1/customers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: stream,
    });
    expect(request.headers.get('content-length')).toBeNull();
    await expectError(await exports.default.fetch(request), 413);
    expect(sent).toBeLessThan(16);
  });

  it('refuses invalid UTF-8 in the body or its percent-encoding with 400', async () => {
    const key = await mintTestKey(newAccountId());
    const raw = new Uint8Array([...new TextEncoder().encode('name='), 0xff, 0xfe]);
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' };
    await expectError(await exports.default.fetch(new Request(`${BASE}/v1/customers`, { method: 'POST', headers, body: raw })), 400);
    await expectError(await api('POST', '/v1/customers', { key, body: 'name=%FF%FE' }), 400);
  });

  it('refuses text/plain bodies with 415', async () => {
    const key = await mintTestKey(newAccountId());
    await expectError(await api('POST', '/v1/customers', { key, body: 'name=x', headers: { 'Content-Type': 'text/plain' } }), 415);
  });

  it('treats a JSON body like the equivalent form body', async () => {
    const key = await mintTestKey(newAccountId());
    const form = await json(
      await api('POST', '/v1/customers', { key, body: { name: 'Jo', 'metadata[tier]': 'gold', 'address[city]': 'Oslo', 'preferred_locales[0]': 'nb' } }),
    );
    const viaJson = await json(
      await api('POST', '/v1/customers', {
        key,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Jo', metadata: { tier: 'gold' }, address: { city: 'Oslo' }, preferred_locales: ['nb'] }),
      }),
    );
    const comparable = (c: Record<string, unknown>) => ({ ...c, id: undefined, created: undefined, invoice_prefix: undefined });
    expect(comparable(viaJson)).toEqual(comparable(form));
    await expectError(await api('POST', '/v1/customers', { key, headers: { 'Content-Type': 'application/json' }, body: '{"name":' }), 400);
  });
});

describe('headers', () => {
  it('refuses a malformed Stripe-Version and echoes a valid one', async () => {
    const key = await mintTestKey(newAccountId());
    await expectError(await api('GET', '/v1/customers', { key, headers: { 'Stripe-Version': 'yesterday' } }), 400);
    const res = await api('GET', '/v1/customers', { key, headers: { 'Stripe-Version': '2025-03-31.basil' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('stripe-version')).toBe('2025-03-31.basil');
  });

  it('accepts idempotency keys up to 255 characters and refuses 256', async () => {
    const key = await mintTestKey(newAccountId());
    const res = await api('POST', '/v1/customers', { key, body: { name: 'x' }, headers: { 'Idempotency-Key': 'k'.repeat(256) } });
    await expectError(res, 400);
    const okRes = await api('POST', '/v1/customers', { key, body: { name: 'x' }, headers: { 'Idempotency-Key': 'k'.repeat(255) } });
    expect(okRes.status).toBe(200);
    expect(okRes.headers.get('idempotency-key')).toBe('k'.repeat(255));
  });
});

describe('pagination through the stripe client', () => {
  it('auto-paginates 25 customers newest first without duplicates, and pages back with ending_before', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const created: string[] = [];
    for (let i = 0; i < 25; i++) created.push((await stripe.customers.create({ name: `c${i}` })).id);
    const seen: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 10 })) seen.push(customer.id);
    expect(seen).toEqual([...created].reverse());
    const newestFirst = [...created].reverse();
    const page = await stripe.customers.list({ limit: 10, ending_before: newestFirst[15] });
    expect(page.data.map((c) => c.id)).toEqual(newestFirst.slice(5, 15));
    expect(page.has_more).toBe(true);
    const top = await stripe.customers.list({ limit: 10, ending_before: newestFirst[3] });
    expect(top.data.map((c) => c.id)).toEqual(newestFirst.slice(0, 3));
    expect(top.has_more).toBe(false);
  });

  it('filters by created range and by email', async () => {
    const acct = newAccountId();
    const stripe = stripeClient(await mintTestKey(acct));
    const stub = env.MERCHANT_ACCOUNT.getByName(`${acct}:test`);
    await stub.setClockOffsetForTest(-1000);
    const old = await stripe.customers.create({ email: 'old@example.com' });
    await stub.setClockOffsetForTest(0);
    const fresh = await stripe.customers.create({ email: 'new@example.com' });
    const cutoff = fresh.created - 500;
    expect(old.created).toBeLessThan(cutoff);
    expect((await stripe.customers.list({ created: { gte: cutoff } })).data.map((c) => c.id)).toEqual([fresh.id]);
    expect((await stripe.customers.list({ created: { lt: cutoff } })).data.map((c) => c.id)).toEqual([old.id]);
    expect((await stripe.customers.list({ created: old.created })).data.map((c) => c.id)).toEqual([old.id]);
    expect((await stripe.customers.list({ email: 'old@example.com' })).data.map((c) => c.id)).toEqual([old.id]);
    expect((await stripe.customers.list({ email: 'nobody@example.com' })).data).toEqual([]);
  });
});
