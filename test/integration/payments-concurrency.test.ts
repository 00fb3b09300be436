/**
 * Issue #4: parallel captures, cancels, refunds and payouts on one account never overspend.
 * Every request has its own idempotency key (these are different requests racing, not retries);
 * the losers get a 4xx — 400 for a lost race, 429 lock_timeout while the winner holds the
 * intent — never a 5xx, and the auditor runs after each race.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { auditAccount } from '../support/audit';
import { directApi as api, json } from '../support/http';

async function account() {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  return { accountId, key, processor: env.CARD_PROCESSOR.getByName(`${accountId}:test`) };
}

type Account = Awaited<ReturnType<typeof account>>;
let keys = 0;

async function post(a: Account, path: string, body?: Record<string, string>) {
  const response = await api('POST', path, { key: a.key, ...(body ? { body } : {}), headers: { 'Idempotency-Key': `race-${++keys}` } });
  return { status: response.status, body: await json(response) };
}

async function pay(a: Account, amount: number, paymentMethod: string, manual = false) {
  const body: Record<string, string> = { amount: String(amount), currency: 'usd', payment_method: paymentMethod, confirm: 'true', 'allowed_payment_method_types[0]': 'card' };
  if (manual) body['capture_method'] = 'manual';
  const paid = await post(a, '/v1/payment_intents', body);
  expect(paid.status).toBe(200);
  return paid.body;
}

/** Runs the requests at once; returns their answers after checking none is a 5xx. */
async function race(requests: Promise<{ status: number; body: any }>[]) {
  const answers = await Promise.all(requests);
  expect(answers.filter((a) => a.status >= 500).map((a) => JSON.stringify(a.body))).toEqual([]);
  return answers;
}

function codes(answers: { status: number; body: any }[]): string[] {
  return [...new Set(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body.error?.code}`))].sort();
}

describe('payments under concurrency', () => {
  it('captures an authorised intent exactly once under 20 parallel captures with distinct keys', async () => {
    const a = await account();
    const intent = await pay(a, 10_000, 'pm_card_visa', true);
    const answers = await race(Array.from({ length: 20 }, (_, i) => post(a, `/v1/payment_intents/${intent.id}/capture`, { amount_to_capture: String(1_000 + i) })));
    const winners = answers.filter((x) => x.status === 200);
    expect(winners).toHaveLength(1);
    expect(codes(answers).every((c) => c === '400 payment_intent_unexpected_state' || c === '429 lock_timeout')).toBe(true);
    const captured = winners[0]!.body.amount_received as number;
    const charge = await json(await api('GET', `/v1/charges/${intent.latest_charge}`, { key: a.key }));
    expect(charge).toMatchObject({ captured: true, amount_captured: captured });
    expect(await a.processor.operationCountForTest()).toBe(2); // one authorisation, one capture
    const snapshot = await auditAccount(a);
    expect(snapshot.balances['usd']).toEqual({ available: 0, pending: captured - (Math.floor((captured * 290 + 5_000) / 10_000) + 30) });
  });

  it('lets either a capture or a cancel win a race on one authorisation, never both', async () => {
    const a = await account();
    const intent = await pay(a, 4_000, 'pm_card_mastercard', true);
    const path = (action: string) => `/v1/payment_intents/${intent.id}/${action}`;
    const answers = await race(Array.from({ length: 16 }, (_, i) => post(a, path(i % 2 === 0 ? 'capture' : 'cancel'))));
    expect(answers.filter((x) => x.status === 200)).toHaveLength(1);
    const final = await json(await api('GET', `/v1/payment_intents/${intent.id}`, { key: a.key }));
    const charge = await json(await api('GET', `/v1/charges/${intent.latest_charge}`, { key: a.key }));
    if (final.status === 'succeeded') expect(charge).toMatchObject({ captured: true, amount_captured: 4_000 });
    else expect([final.status, charge.captured, charge.amount_captured]).toEqual(['canceled', false, 0]);
    await auditAccount(a);
  });

  it('never refunds more than either of two charges under 40 parallel refunds', async () => {
    const a = await account();
    const first = await pay(a, 10_000, 'pm_card_visa');
    const second = await pay(a, 6_000, 'pm_card_bypassPending');
    const targets = [first, second];
    const answers = await race(
      Array.from({ length: 40 }, (_, i) => {
        const intent = targets[i % 2]!;
        return post(a, '/v1/refunds', i % 4 < 2 ? { charge: intent.latest_charge, amount: '1000' } : { payment_intent: intent.id, amount: '1000' });
      }),
    );
    const won = (intent: Record<string, any>) => answers.filter((x) => x.status === 200 && x.body.charge === intent.latest_charge).length;
    expect([won(first), won(second)]).toEqual([10, 6]);
    expect(codes(answers).every((c) => c === '400 amount_too_large' || c === '400 charge_already_refunded')).toBe(true);
    for (const intent of targets) {
      const charge = await json(await api('GET', `/v1/charges/${intent.latest_charge}`, { key: a.key }));
      expect(charge.amount_refunded).toBe(charge.amount_captured);
      expect(charge.refunded).toBe(true);
    }
    await auditAccount(a);
  });

  it('never pays out more than is available under 25 parallel payouts', async () => {
    const a = await account();
    for (let i = 0; i < 3; i++) await pay(a, 10_000, 'pm_card_bypassPending');
    const available = 3 * (10_000 - 320);
    const answers = await race(Array.from({ length: 25 }, () => post(a, '/v1/payouts', { amount: '2000', currency: 'usd' })));
    expect(answers.filter((x) => x.status === 200)).toHaveLength(Math.floor(available / 2_000));
    expect(codes(answers)).toEqual(['400 balance_insufficient']);
    const snapshot = await auditAccount(a);
    expect(snapshot.balances['usd']).toEqual({ available: available % 2_000, pending: 0 });
  });

  it('keeps every payout covered at its commit while captures, refunds and payouts race', async () => {
    const a = await account();
    const paid = [await pay(a, 8_000, 'pm_card_bypassPending'), await pay(a, 6_000, 'pm_card_bypassPending')];
    const held = [await pay(a, 5_000, 'pm_card_bypassPending', true), await pay(a, 7_000, 'pm_card_bypassPending', true)];
    const requests = [
      ...held.map((intent) => post(a, `/v1/payment_intents/${intent.id}/capture`)),
      ...paid.flatMap((intent) => Array.from({ length: 4 }, () => post(a, '/v1/refunds', { payment_intent: intent.id, amount: '1500' }))),
      ...Array.from({ length: 12 }, () => post(a, '/v1/payouts', { amount: '2500', currency: 'usd' })),
    ];
    const answers = await race(requests); // submitted together: the account decides the order
    expect(answers.filter((x) => x.status === 200).length).toBeGreaterThan(0);
    expect(codes(answers).every((c) => c === '400 balance_insufficient' || c === '429 lock_timeout')).toBe(true);
    const snapshot = await auditAccount(a);
    // Every movement here is available at once (bypass-pending cards): replay them in commit order.
    let available = 0;
    for (const bt of snapshot.balanceTransactions) {
      expect(bt.status).toBe('available');
      available += bt.net;
      if (bt.type === 'payout') expect(available, `available right after payout ${bt.sourceId}`).toBeGreaterThanOrEqual(0);
    }
    expect(snapshot.balances['usd']).toEqual({ available, pending: 0 });
  });
});
