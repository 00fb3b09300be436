/**
 * Exactly-once for operations that await the card processor (issue #3): crashes and failures
 * injected between the phases (test-only fault points, inert in production), lock takeover
 * after the lock timeout, the completer alarm, and concurrent retries — each ends with exactly
 * one authorisation at the processor and one charge on the account.
 */
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { IDEMPOTENCY_LOCK_TIMEOUT_SECONDS } from '../../src/domain/limits';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

async function account() {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  const name = `${accountId}:test`;
  return {
    key,
    stub: env.MERCHANT_ACCOUNT.getByName(name),
    /** A fresh stub: after the object aborts, an old stub keeps failing (Cloudflare's documented behaviour). */
    freshStub: () => env.MERCHANT_ACCOUNT.getByName(name),
    processor: env.CARD_PROCESSOR.getByName(name),
    stripe: stripeClient(key),
  };
}

const PAY = {
  amount: '2000',
  currency: 'usd',
  payment_method: 'pm_card_visa',
  confirm: 'true',
  'automatic_payment_methods[enabled]': 'true',
  'automatic_payment_methods[allow_redirects]': 'never',
};

function pay(key: string, idempotencyKey: string) {
  return api('POST', '/v1/payment_intents', { key, headers: { 'Idempotency-Key': idempotencyKey }, body: PAY });
}

/**
 * Retries 409s as stripe-node does: after the lock timeout the completer alarm and the client may
 * both resume a key, and whichever loses the race is told 409 until the winner has finished.
 */
async function payRetryingConflicts(key: string, idempotencyKey: string): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await pay(key, idempotencyKey);
    if (res.status !== 409 || attempt >= 20) return res;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function chargeCount(key: string): Promise<number> {
  return (await json(await api('GET', '/v1/charges?limit=100', { key }))).data.length;
}

describe('phased operations under faults', () => {
  it('resumes after a failure between the processor call and the commit, without a second authorisation', async () => {
    const { key, stub, processor } = await account();
    await stub.armFaultForTest('after_call', 'throw');
    const first = await pay(key, 'k-after-call');
    expect(first.status).toBe(503);
    expect(first.headers.get('stripe-should-retry')).toBe('true');
    expect(await processor.operationCountForTest()).toBe(1);
    const retry = await pay(key, 'k-after-call');
    expect(retry.status).toBe(200);
    expect((await json(retry)).status).toBe('succeeded');
    expect(await processor.operationCountForTest()).toBe(1);
    expect(await chargeCount(key)).toBe(1);
    const replay = await pay(key, 'k-after-call');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('takes over the lock of a request that crashed before calling the processor, once the lock times out', async () => {
    const { key, stub, freshStub, processor } = await account();
    await stub.armFaultForTest('after_begin', 'abort');
    const crashed = await pay(key, 'k-crash').catch(() => null);
    expect(crashed === null || crashed.status >= 500).toBe(true);
    const tooSoon = await pay(key, 'k-crash');
    expect(tooSoon.status).toBe(409);
    expect((await json(tooSoon)).error.code).toBe('idempotency_key_in_use');
    expect(await processor.operationCountForTest()).toBe(0);
    await freshStub().setClockOffsetForTest(IDEMPOTENCY_LOCK_TIMEOUT_SECONDS + 1);
    const resumed = await payRetryingConflicts(key, 'k-crash');
    expect(resumed.status).toBe(200);
    expect((await json(resumed)).status).toBe('succeeded');
    expect(await processor.operationCountForTest()).toBe(1);
    expect(await chargeCount(key)).toBe(1);
  });

  it('lets the completer finish a request abandoned in the ambiguous window, and a late retry gets the replay', async () => {
    const { key, stub, freshStub, processor } = await account();
    await stub.armFaultForTest('after_call', 'abort');
    await pay(key, 'k-abandoned').catch(() => null);
    expect(await processor.operationCountForTest()).toBe(1);
    expect(await chargeCount(key)).toBe(0);
    await freshStub().setClockOffsetForTest(IDEMPOTENCY_LOCK_TIMEOUT_SECONDS + 1);
    await runDurableObjectAlarm(freshStub());
    await runDurableObjectAlarm(freshStub());
    expect(await chargeCount(key)).toBe(1);
    expect(await processor.operationCountForTest()).toBe(1);
    const late = await payRetryingConflicts(key, 'k-abandoned');
    expect(late.status).toBe(200);
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect((await json(late)).status).toBe('succeeded');
  });

  it('answers a processor failure before any effect with a retryable 503, and the retry succeeds once', async () => {
    const { key, processor } = await account();
    await processor.setFaultForTest({ mode: 'fail_before_effect', operations: ['authorize'] });
    const first = await pay(key, 'k-processor-down');
    expect(first.status).toBe(503);
    const retry = await pay(key, 'k-processor-down');
    expect(retry.status).toBe(200);
    expect(await chargeCount(key)).toBe(1);
  });

  it('survives a processor that performed the effect but failed to answer', async () => {
    const { key, processor } = await account();
    await processor.setFaultForTest({ mode: 'fail_after_effect', operations: ['authorize'] });
    expect((await pay(key, 'k-lost-answer')).status).toBe(503);
    const retry = await pay(key, 'k-lost-answer');
    expect((await json(retry)).status).toBe('succeeded');
    expect(await processor.operationCountForTest()).toBe(1);
    expect(await chargeCount(key)).toBe(1);
  });

  it('executes 500 concurrent confirms with one key exactly once, without 5xx', async () => {
    const { key, processor } = await account();
    const responses = await Promise.all(Array.from({ length: 500 }, () => pay(key, 'k-500')));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const ids = new Set((await Promise.all(responses.filter((r) => r.status === 200).map((r) => r.json() as Promise<{ id: string }>))).map((b) => b.id));
    expect(ids.size).toBe(1);
    expect(await processor.operationCountForTest()).toBe(1);
    expect(await chargeCount(key)).toBe(1);
  }, 120_000);

  it('lets the stripe client ride out a 409 from a concurrent duplicate and receive the same intent', async () => {
    const { stripe, processor, key } = await account();
    await processor.setFaultForTest({ mode: 'delay_ms', delayMs: 300, operations: ['authorize'] });
    const params = { amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: 'never' as const } };
    const [a, b] = await Promise.all([
      stripe.paymentIntents.create(params, { idempotencyKey: 'k-sdk-race' }),
      stripe.paymentIntents.create(params, { idempotencyKey: 'k-sdk-race' }),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.status).toBe('succeeded');
    expect(await processor.operationCountForTest()).toBe(1);
    expect(await chargeCount(key)).toBe(1);
  });

  it('refuses a second operation on an intent that is talking to the processor with a retryable 429', async () => {
    const { key, processor } = await account();
    const created = await json(await api('POST', '/v1/payment_intents', { key, body: { amount: '1000', currency: 'usd', 'allowed_payment_method_types[0]': 'card', payment_method: 'pm_card_visa' } }));
    // The processor records the authorisation, then holds its answer: once the operation is
    // recorded, the confirm is certainly between its phases with the intent locked.
    await processor.setFaultForTest({ mode: 'delay_ms', delayMs: 1500, phase: 'after_effect', operations: ['authorize'] });
    const confirmPromise = api('POST', `/v1/payment_intents/${created.id}/confirm`, { key });
    for (let i = 0; i < 200 && (await processor.operationCountForTest()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await processor.operationCountForTest()).toBe(1);
    const cancel = await api('POST', `/v1/payment_intents/${created.id}/cancel`, { key });
    const confirm = await confirmPromise;
    expect(confirm.status).toBe(200);
    expect(cancel.status).toBe(429);
    expect(cancel.headers.get('stripe-should-retry')).toBe('true');
    expect((await json(cancel)).error.code).toBe('lock_timeout');
  });

  it('stores a decline (402) and replays it without calling the processor again', async () => {
    const { key, processor } = await account();
    const body = { ...PAY, payment_method: 'pm_card_chargeDeclined' };
    const first = await api('POST', '/v1/payment_intents', { key, headers: { 'Idempotency-Key': 'k-decline' }, body });
    expect(first.status).toBe(402);
    const again = await api('POST', '/v1/payment_intents', { key, headers: { 'Idempotency-Key': 'k-decline' }, body });
    expect(again.status).toBe(402);
    expect(await again.text()).toBe(await first.text());
    expect(await processor.operationCountForTest()).toBe(1);
    const sdkError = await stripeClient(key)
      .paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, allowed_payment_method_types: ['card'] }, { idempotencyKey: 'k-decline-sdk' })
      .catch((e: unknown) => e);
    expect(sdkError).toBeInstanceOf(Stripe.errors.StripeCardError);
  });
});
