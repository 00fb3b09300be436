import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { IDEMPOTENCY_KEY_TTL_SECONDS } from '../../src/domain/limits';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { lastResponseHeader, stripeClient } from '../support/stripe-client';

async function account() {
  const accountId = newAccountId();
  return { accountId, key: await mintTestKey(accountId), stub: env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`) };
}

async function customerCount(key: string): Promise<number> {
  const body = await json(await api('GET', '/v1/customers?limit=100', { key }));
  return body.data.length;
}

describe('idempotent POSTs', () => {
  it('replays the stored status and body byte for byte with Idempotent-Replayed', async () => {
    const { key } = await account();
    const headers = { 'Idempotency-Key': 'order-42' };
    const first = await api('POST', '/v1/customers', { key, headers, body: { email: 'x@example.com', 'metadata[a]': '1' } });
    const firstBody = await first.text();
    const again = await api('POST', '/v1/customers', { key, headers, body: 'metadata[a]=1&email=x%40example.com' });
    expect(again.status).toBe(first.status);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.headers.get('idempotency-key')).toBe('order-42');
    expect(first.headers.get('idempotency-key')).toBe('order-42');
    expect(again.headers.get('request-id')).not.toBe(first.headers.get('request-id'));
    expect(await customerCount(key)).toBe(1);
  });

  it('treats a JSON body and the equivalent form body as the same request', async () => {
    const { key } = await account();
    const headers = { 'Idempotency-Key': 'json-vs-form' };
    const form = await api('POST', '/v1/customers', { key, headers, body: 'email=j%40example.com&metadata[k]=v' });
    const asJson = await api('POST', '/v1/customers', {
      key,
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { k: 'v' }, email: 'j@example.com' }),
    });
    expect(await asJson.text()).toBe(await form.text());
    expect(asJson.headers.get('idempotent-replayed')).toBe('true');
  });

  it('rejects the same key with other parameters or another endpoint and leaves the original alone', async () => {
    const { key } = await account();
    const headers = { 'Idempotency-Key': 'k-mismatch' };
    const first = await json(await api('POST', '/v1/customers', { key, headers, body: { email: 'one@example.com' } }));
    const other = await api('POST', '/v1/customers', { key, headers, body: { email: 'two@example.com' } });
    expect(other.status).toBe(400);
    expect((await json(other)).error).toMatchObject({ type: 'idempotency_error' });
    const elsewhere = await api('POST', `/v1/customers/${first.id}`, { key, headers, body: { email: 'one@example.com' } });
    expect(elsewhere.status).toBe(400);
    const error = (await json(elsewhere)).error;
    expect(error.type).toBe('idempotency_error');
    expect(error.message).toContain('same endpoint');
    const list = await json(await api('GET', '/v1/customers', { key }));
    expect(list.data).toHaveLength(1);
    expect(list.data[0].email).toBe('one@example.com');
  });

  it('executes 500 concurrent requests with one key exactly once, without 5xx', async () => {
    const { key } = await account();
    const responses = await Promise.all(
      Array.from({ length: 500 }, () =>
        api('POST', '/v1/customers', { key, headers: { 'Idempotency-Key': 'k-concurrent' }, body: { email: 'c@example.com' } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const bodies = await Promise.all(responses.filter((r) => r.status === 200).map((r) => r.json() as Promise<{ id: string }>));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(await customerCount(key)).toBe(1);
  }, 120_000);

  it('scopes keys per account: the same key on two accounts makes two objects', async () => {
    const a = await account();
    const b = await account();
    const headers = { 'Idempotency-Key': 'shared-key' };
    const ca = await json(await api('POST', '/v1/customers', { key: a.key, headers, body: { email: 'a@example.com' } }));
    const cb = await json(await api('POST', '/v1/customers', { key: b.key, headers, body: { email: 'b@example.com' } }));
    expect(ca.id).not.toBe(cb.id);
    expect(cb.email).toBe('b@example.com');
  });

  it('does not store validation failures, so the corrected request with the same key runs', async () => {
    const { key } = await account();
    const headers = { 'Idempotency-Key': 'k-validation' };
    const bad = await api('POST', '/v1/customers', { key, headers, body: { 'metadata[k]': 'x'.repeat(501) } });
    expect(bad.status).toBe(400);
    const good = await api('POST', '/v1/customers', { key, headers, body: { 'metadata[k]': 'ok' } });
    expect(good.status).toBe(200);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('stores and replays business errors (4xx after execution began)', async () => {
    const { key } = await account();
    const headers = { 'Idempotency-Key': 'k-missing' };
    const first = await api('POST', '/v1/customers/cus_doesnotexist', { key, headers, body: { name: 'n' } });
    expect(first.status).toBe(404);
    const again = await api('POST', '/v1/customers/cus_doesnotexist', { key, headers, body: { name: 'n' } });
    expect(again.status).toBe(404);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('accepts keys of 255 characters and refuses 256', async () => {
    const { key } = await account();
    const ok = await api('POST', '/v1/customers', { key, headers: { 'Idempotency-Key': 'k'.repeat(255) } });
    expect(ok.status).toBe(200);
    const tooLong = await api('POST', '/v1/customers', { key, headers: { 'Idempotency-Key': 'k'.repeat(256) } });
    expect(tooLong.status).toBe(400);
    expect((await json(tooLong)).error.type).toBe('invalid_request_error');
  });

  it('ignores the header on GET and DELETE', async () => {
    const { key } = await account();
    const created = await json(await api('POST', '/v1/customers', { key }));
    const headers = { 'Idempotency-Key': 'k-get' };
    const get = await api('GET', `/v1/customers/${created.id}`, { key, headers });
    expect(get.headers.get('idempotency-key')).toBeNull();
    const del = await api('DELETE', `/v1/customers/${created.id}`, { key, headers });
    expect(del.status).toBe(200);
    const post = await api('POST', '/v1/customers', { key, headers });
    expect(post.status).toBe(200);
  });

  it('treats a key as new once it is past the retention window and pruned', async () => {
    const { key, stub } = await account();
    const headers = { 'Idempotency-Key': 'k-expiry' };
    const first = await json(await api('POST', '/v1/customers', { key, headers }));
    await stub.setClockOffsetForTest(IDEMPOTENCY_KEY_TTL_SECONDS - 60);
    const within = await json(await api('POST', '/v1/customers', { key, headers }));
    expect(within.id).toBe(first.id);
    await stub.setClockOffsetForTest(IDEMPOTENCY_KEY_TTL_SECONDS + 1);
    await runDurableObjectAlarm(stub);
    const stored = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec('SELECT COUNT(*) AS n FROM idempotency_keys WHERE key = ?', 'k-expiry').one().n,
    );
    expect(stored).toBe(0);
    const after = await json(await api('POST', '/v1/customers', { key, headers }));
    expect(after.id).not.toBe(first.id);
  });

  it('refuses a revoked key even for a stored replay', async () => {
    const accountId = newAccountId();
    const key = await mintTestKey(accountId, { keyId: 'key_revoke_me' });
    const headers = { 'Idempotency-Key': 'k-revoked' };
    expect((await api('POST', '/v1/customers', { key, headers })).status).toBe(200);
    await env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`).revokeApiKey('key_revoke_me');
    expect((await api('POST', '/v1/customers', { key, headers })).status).toBe(401);
  });
});

describe('idempotency through the stripe client', () => {
  it('replays with the same idempotencyKey and raises StripeIdempotencyError on a mismatch', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const c1 = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'sdk-key' });
    const c2 = await stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'sdk-key' });
    expect(c2.id).toBe(c1.id);
    expect(lastResponseHeader(c2, 'idempotent-replayed')).toBe('true');
    expect(c2.lastResponse.idempotencyKey).toBe('sdk-key');
    await expect(stripe.customers.create({ email: 'other@example.com' }, { idempotencyKey: 'sdk-key' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it('keys every POST automatically (stripe-node-retry-…) and echoes it', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const customer = await stripe.customers.create({ email: 'auto@example.com' });
    expect(customer.lastResponse.idempotencyKey).toMatch(/^stripe-node-retry-/);
  });
});
