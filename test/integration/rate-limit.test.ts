/**
 * The per-account request rate limit (Stripe's 429 `rate_limit`). Off in this test environment
 * (vitest.workers.config.mts), so each test turns it on for its own account (test-only seam).
 */
import { env } from 'cloudflare:workers';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

async function limitedAccount(perSecond: number) {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  const stub = env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`);
  await stub.setRateLimitForTest(perSecond);
  return { accountId, key, stub };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('request rate limit', () => {
  it('answers 429 rate_limit beyond the burst, changes nothing for refused writes and stores no idempotency result', async () => {
    const a = await limitedAccount(3);
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => api('POST', '/v1/customers', { key: a.key, body: { name: `c${i}` }, headers: { 'Idempotency-Key': `rl-${i}` } })),
    );
    const statuses = answers.map((r) => r.status);
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThanOrEqual(3); // the burst, plus what trickles back (3/s) while they run
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15 - ok);
    const refused = answers.find((r) => r.status === 429)!;
    expect(await json(refused)).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'rate_limit',
        doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
        message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      },
    });
    expect(refused.headers.get('stripe-should-retry')).toBeNull();
    await a.stub.setRateLimitForTest(0);
    expect((await json(await api('GET', '/v1/customers?limit=100', { key: a.key }))).data).toHaveLength(ok);
    // A key whose request was refused was not used: the retry executes (and is not a replay).
    const i = statuses.indexOf(429);
    const retried = await api('POST', '/v1/customers', { key: a.key, body: { name: `c${i}` }, headers: { 'Idempotency-Key': `rl-${i}` } });
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([200, null]);
  });

  // 0.5/s: one request, then the next token in 2 s — a wide margin for a slow machine.
  it('refills at the configured rate, limits D1-served reads too, and surfaces as StripeRateLimitError', async () => {
    const a = await limitedAccount(0.5);
    const stripe = stripeClient(a.key);
    await stripe.customers.list();
    const thrown = await stripe.customers.list().catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((await api('GET', '/v1/customers/search?query=name:%22x%22', { key: a.key })).status).toBe(429);
    expect((await api('GET', '/v1/reconciliation/runs', { key: a.key })).status).toBe(429);
    await sleep(2_100);
    expect((await api('GET', '/v1/customers/search?query=name:%22x%22', { key: a.key })).status).toBe(200);
    expect((await api('GET', '/v1/customers', { key: a.key })).status).toBe(429);
    await sleep(2_100);
    expect((await api('GET', '/v1/customers', { key: a.key })).status).toBe(200);
  });

  it('is per account: another account is not held back', async () => {
    const a = await limitedAccount(0.5);
    const b = await limitedAccount(0.5);
    expect((await api('GET', '/v1/customers', { key: a.key })).status).toBe(200);
    expect((await api('GET', '/v1/customers', { key: a.key })).status).toBe(429);
    expect((await api('GET', '/v1/customers', { key: b.key })).status).toBe(200);
  });
});
