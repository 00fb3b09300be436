import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { stripeClient } from '../support/stripe-client';

const noRedirects = { enabled: true, allow_redirects: 'never' as const };
const DAY = 86_400;
/** 10,330 − (2.9 % + 30¢ = 330) leaves exactly 10,000 net. */
const GROSS_FOR_10_000_NET = 10_330;

async function setup() {
  const accountId = newAccountId();
  const stripe = stripeClient(await mintTestKey(accountId));
  const stub = env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`);
  /** Moves the account's clock to `seconds` after real time and runs its alarm. */
  const advance = async (seconds: number) => {
    await stub.setClockOffsetForTest(seconds);
    await runDurableObjectAlarm(stub);
  };
  return { stripe, stub, advance };
}

async function pay(stripe: Stripe, amount: number, paymentMethod = 'pm_card_bypassPending', currency = 'usd') {
  return stripe.paymentIntents.create({ amount, currency, payment_method: paymentMethod, confirm: true, automatic_payment_methods: noRedirects });
}

async function balanceOf(stripe: Stripe, currency = 'usd') {
  const balance = await stripe.balance.retrieve();
  return {
    available: balance.available.find((b) => b.currency === currency)?.amount ?? 0,
    pending: balance.pending.find((b) => b.currency === currency)?.amount ?? 0,
  };
}

async function eventTypes(stripe: Stripe, payoutId: string): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100 });
  return events.data
    .filter((e) => (e.data.object as { id?: string }).id === payoutId)
    .map((e) => e.type)
    .reverse();
}

describe('payouts through the stripe client', () => {
  it('pays out from available, debiting it with a payout balance transaction', async () => {
    const { stripe } = await setup();
    await pay(stripe, GROSS_FOR_10_000_NET);
    expect(await balanceOf(stripe)).toEqual({ available: 10_000, pending: 0 });
    const payout = await stripe.payouts.create({ amount: 4000, currency: 'usd', description: 'weekly', metadata: { run: '1' } });
    expect(payout).toMatchObject({
      object: 'payout',
      amount: 4000,
      currency: 'usd',
      automatic: false,
      status: 'pending',
      method: 'standard',
      source_type: 'card',
      type: 'bank_account',
      destination: 'ba_test_000123456789',
      description: 'weekly',
      metadata: { run: '1' },
      livemode: false,
      failure_code: null,
      failure_balance_transaction: null,
      original_payout: null,
      reversed_by: null,
    });
    expect(payout.id).toMatch(/^po_/);
    expect(payout.arrival_date % DAY).toBe(0);
    expect(payout.arrival_date).toBeGreaterThanOrEqual(payout.created + DAY);
    expect(payout.arrival_date).toBeLessThan(payout.created + 2 * DAY);
    const bt = await stripe.balanceTransactions.retrieve(payout.balance_transaction as string);
    expect(bt).toMatchObject({ amount: -4000, fee: 0, net: -4000, type: 'payout', status: 'available', source: payout.id, reporting_category: 'payout' });
    expect(await balanceOf(stripe)).toEqual({ available: 6000, pending: 0 });
    expect(await stripe.payouts.retrieve(payout.id)).toEqual({ ...payout });
    const updated = await stripe.payouts.update(payout.id, { metadata: { run: '', batch: 'b' } });
    expect(updated.metadata).toEqual({ batch: 'b' });
    const list = await stripe.payouts.list({ status: 'pending' });
    expect(list.data.map((p) => p.id)).toEqual([payout.id]);
    expect((await stripe.payouts.list({ status: 'paid' })).data).toEqual([]);
    expect(await eventTypes(stripe, payout.id)).toEqual(['payout.created', 'payout.updated']);
  });

  it('refuses a payout above the available balance with balance_insufficient', async () => {
    const { stripe } = await setup();
    await pay(stripe, GROSS_FOR_10_000_NET);
    const error = await stripe.payouts.create({ amount: 10_001, currency: 'usd' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'balance_insufficient' });
    await expect(stripe.payouts.create({ amount: 100, currency: 'eur' })).rejects.toMatchObject({ code: 'balance_insufficient' });
    await expect(stripe.payouts.create({ amount: 100, currency: 'usd', source_type: 'bank_account' })).rejects.toMatchObject({ code: 'balance_insufficient' });
    expect(await balanceOf(stripe)).toEqual({ available: 10_000, pending: 0 });
    expect((await stripe.payouts.create({ amount: 10_000, currency: 'usd' })).amount).toBe(10_000);
    expect(await balanceOf(stripe)).toEqual({ available: 0, pending: 0 });
  });

  it('does not count pending funds', async () => {
    const { stripe } = await setup();
    await pay(stripe, 10_000, 'pm_card_visa');
    expect(await balanceOf(stripe)).toEqual({ available: 0, pending: 9680 });
    await expect(stripe.payouts.create({ amount: 100, currency: 'usd' })).rejects.toMatchObject({ code: 'balance_insufficient' });
    await pay(stripe, GROSS_FOR_10_000_NET);
    await expect(stripe.payouts.create({ amount: 10_001, currency: 'usd' })).rejects.toMatchObject({ code: 'balance_insufficient' });
    await stripe.payouts.create({ amount: 10_000, currency: 'usd' });
    expect(await balanceOf(stripe)).toEqual({ available: 0, pending: 9680 });
  });

  it('rejects instant payouts, unknown destinations and reversals with clear 400s', async () => {
    const { stripe } = await setup();
    await pay(stripe, GROSS_FOR_10_000_NET);
    await expect(stripe.payouts.create({ amount: 100, currency: 'usd', method: 'instant' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'instant_payouts_unsupported',
      param: 'method',
    });
    await expect(stripe.payouts.create({ amount: 100, currency: 'usd', destination: 'ba_1234' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'destination',
    });
    await expect(stripe.payouts.create({ amount: 100, currency: 'xyz' })).rejects.toMatchObject({ statusCode: 400, param: 'currency' });
    await expect(stripe.payouts.create({ amount: 0, currency: 'usd' })).rejects.toMatchObject({ statusCode: 400, param: 'amount' });
    const payout = await stripe.payouts.create({ amount: 100, currency: 'usd' });
    await expect(stripe.payouts.reverse(payout.id)).rejects.toMatchObject({ statusCode: 400, code: 'payout_reversal_unsupported' });
    await expect(stripe.payouts.retrieve('po_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect(await balanceOf(stripe)).toEqual({ available: 9900, pending: 0 });
  });

  it('moves pending → in_transit → paid on schedule, once, without touching the balance again', async () => {
    const { stripe, stub, advance } = await setup();
    await pay(stripe, GROSS_FOR_10_000_NET);
    const payout = await stripe.payouts.create({ amount: 3000, currency: 'usd', destination: 'ba_test_000123456789' });
    await advance(30);
    expect((await stripe.payouts.retrieve(payout.id)).status).toBe('pending');
    await advance(120);
    expect((await stripe.payouts.retrieve(payout.id)).status).toBe('in_transit');
    await advance(3 * DAY);
    // A second alarm run (alarms may fire twice) changes nothing.
    await advance(4 * DAY);
    await runDurableObjectAlarm(stub);
    const paid = await stripe.payouts.retrieve(payout.id);
    expect(paid).toMatchObject({ status: 'paid', failure_code: null, failure_balance_transaction: null });
    expect(await eventTypes(stripe, payout.id)).toEqual(['payout.created', 'payout.updated', 'payout.paid']);
    expect(await balanceOf(stripe)).toEqual({ available: 7000, pending: 0 });
    const bts = await stripe.balanceTransactions.list({ source: payout.id } as Stripe.BalanceTransactionListParams);
    expect(bts.data.map((t) => t.type)).toEqual(['payout']);
    expect((await stripe.payouts.list({ status: 'paid' })).data.map((p) => p.id)).toEqual([payout.id]);
  });

  it('fails payouts to failing test bank accounts with their codes and returns the funds', async () => {
    const { stripe, advance } = await setup();
    await pay(stripe, GROSS_FOR_10_000_NET);
    const failing = {
      '000111111116': 'no_account',
      '000111111113': 'account_closed',
      '000222222227': 'insufficient_funds',
      '000333333335': 'debit_not_authorized',
      '000444444440': 'invalid_currency',
    };
    const created = new Map<string, string>();
    for (const [account, code] of Object.entries(failing)) {
      const payout = await stripe.payouts.create({ amount: 1000, currency: 'usd', destination: `ba_test_${account}` });
      created.set(payout.id, code);
    }
    expect(await balanceOf(stripe)).toEqual({ available: 5000, pending: 0 });
    await advance(3 * DAY);
    for (const [id, code] of created) {
      const payout = await stripe.payouts.retrieve(id);
      expect(payout).toMatchObject({ status: 'failed', failure_code: code });
      expect(payout.failure_message).toEqual(expect.any(String));
      const bt = await stripe.balanceTransactions.retrieve(payout.failure_balance_transaction as string);
      expect(bt).toMatchObject({ amount: 1000, net: 1000, type: 'payout_failure', source: id, reporting_category: 'payout_reversal' });
      expect(await eventTypes(stripe, id)).toEqual(['payout.created', 'payout.updated', 'payout.failed']);
    }
    expect(await balanceOf(stripe)).toEqual({ available: 10_000, pending: 0 });
  });

  it('cancels a pending payout, restoring available, and refuses to cancel once in transit', async () => {
    const { stripe, advance } = await setup();
    await pay(stripe, GROSS_FOR_10_000_NET);
    const first = await stripe.payouts.create({ amount: 2500, currency: 'usd' });
    const canceled = await stripe.payouts.cancel(first.id);
    expect(canceled).toMatchObject({ status: 'canceled' });
    const bt = await stripe.balanceTransactions.retrieve(canceled.failure_balance_transaction as string);
    expect(bt).toMatchObject({ amount: 2500, net: 2500, type: 'payout_cancel', source: first.id });
    expect(await balanceOf(stripe)).toEqual({ available: 10_000, pending: 0 });
    await expect(stripe.payouts.cancel(first.id)).rejects.toMatchObject({ statusCode: 400, code: 'payout_unexpected_state' });
    expect(await eventTypes(stripe, first.id)).toEqual(['payout.created', 'payout.canceled']);

    const second = await stripe.payouts.create({ amount: 2500, currency: 'usd' });
    await advance(120);
    const error = await stripe.payouts.cancel(second.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, code: 'payout_unexpected_state' });
    expect((error as Error).message).toContain('in_transit');
    expect(await balanceOf(stripe)).toEqual({ available: 7500, pending: 0 });
    // The canceled payout stays canceled when its old schedule would have moved it on.
    await advance(3 * DAY);
    expect((await stripe.payouts.retrieve(first.id)).status).toBe('canceled');
    expect((await stripe.payouts.retrieve(second.id)).status).toBe('paid');
  });

  it('lets exactly as many of 50 concurrent payouts succeed as the available balance covers', async () => {
    const { stripe } = await setup();
    await pay(stripe, GROSS_FOR_10_000_NET);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => stripe.payouts.create({ amount: 500, currency: 'usd' })));
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    expect(succeeded).toHaveLength(20);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ statusCode: 400, code: 'balance_insufficient' });
    expect(await balanceOf(stripe)).toEqual({ available: 0, pending: 0 });
    const payouts = await stripe.payouts.list({ limit: 100 });
    expect(payouts.data).toHaveLength(20);
  });

  it('keeps Σ balance-transaction net equal to available + pending per currency', async () => {
    const { stripe, advance } = await setup();
    await pay(stripe, GROSS_FOR_10_000_NET);
    await pay(stripe, 5000, 'pm_card_visa');
    const eur = await pay(stripe, 8000, 'pm_card_bypassPending', 'eur');
    await stripe.refunds.create({ payment_intent: eur.id, amount: 1000 });
    await stripe.payouts.create({ amount: 2000, currency: 'usd' });
    await stripe.payouts.create({ amount: 1500, currency: 'usd', destination: 'ba_test_000111111113' });
    const canceled = await stripe.payouts.create({ amount: 1000, currency: 'eur' });
    await stripe.payouts.cancel(canceled.id);
    await stripe.payouts.create({ amount: 3000, currency: 'eur' });
    await advance(3 * DAY);
    await pay(stripe, 2000, 'pm_card_visa');
    const transactions = await stripe.balanceTransactions.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
    const net = new Map<string, number>();
    for (const t of transactions) net.set(t.currency, (net.get(t.currency) ?? 0) + t.net);
    for (const currency of ['usd', 'eur']) {
      const { available, pending } = await balanceOf(stripe, currency);
      expect(available).toBeGreaterThanOrEqual(0);
      expect(net.get(currency)).toBe(available + pending);
    }
    expect(await balanceOf(stripe, 'usd')).toMatchObject({ pending: 2000 - 88 });
  });
});
