import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { stripeClient } from '../support/stripe-client';

const noRedirects = { enabled: true, allow_redirects: 'never' as const };

async function setup() {
  const accountId = newAccountId();
  const stripe = stripeClient(await mintTestKey(accountId));
  return { stripe, stub: env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`), processor: env.CARD_PROCESSOR.getByName(`${accountId}:test`) };
}

async function pay(stripe: Stripe, amount: number, paymentMethod = 'pm_card_visa', currency = 'usd') {
  return stripe.paymentIntents.create({ amount, currency, payment_method: paymentMethod, confirm: true, automatic_payment_methods: noRedirects });
}

describe('refunds and balance through the stripe client', () => {
  it('refunds partially, then the rest, then refuses more', async () => {
    const { stripe } = await setup();
    const pi = await pay(stripe, 2000);
    const refund = await stripe.refunds.create({ payment_intent: pi.id, amount: 500 });
    expect(refund).toMatchObject({ object: 'refund', amount: 500, status: 'succeeded', charge: pi.latest_charge, payment_intent: pi.id });
    let charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 500, refunded: false });
    await expect(stripe.refunds.create({ charge: charge.id, amount: 999_999 })).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      code: 'amount_too_large',
    });
    const rest = await stripe.refunds.create({ charge: charge.id });
    expect(rest.amount).toBe(1500);
    charge = await stripe.charges.retrieve(charge.id);
    expect(charge).toMatchObject({ amount_refunded: 2000, refunded: true });
    await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({ code: 'charge_already_refunded' });
    const list = await stripe.refunds.list({ charge: charge.id });
    expect(list.data.map((r) => r.amount)).toEqual([1500, 500]);
  });

  it('refuses to cancel a card refund (only requires_action refunds can be), and 404s an unknown one', async () => {
    const { stripe } = await setup();
    const pi = await pay(stripe, 1200);
    const refund = await stripe.refunds.create({ payment_intent: pi.id });
    const pending = await stripe.refunds.create({ payment_intent: (await pay(stripe, 900, 'pm_card_pendingRefund')).id });
    expect(pending.status).toBe('pending');
    for (const target of [refund, pending]) {
      await expect(stripe.refunds.cancel(target.id)).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        statusCode: 400,
        message: `You can only cancel a refund with a status of requires_action. This refund (${target.id}) has a status of ${target.status}.`,
      });
      expect(await stripe.refunds.retrieve(target.id)).toEqual(target);
    }
    await expect(stripe.refunds.cancel('re_doesnotexist')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('never refunds more than captured under 30 concurrent refunds', async () => {
    const { stripe } = await setup();
    const pi = await pay(stripe, 10_000);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => stripe.refunds.create({ payment_intent: pi.id, amount: 3000 })),
    );
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    expect(succeeded).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as Stripe.errors.StripeError).statusCode).toBeLessThan(500);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge.amount_refunded).toBe(9000);
  });

  it('keeps captured funds pending until available_on, then makes them available', async () => {
    const { stripe, stub } = await setup();
    const pi = await pay(stripe, 10_000);
    const charge = await stripe.charges.retrieve(pi.latest_charge as string, { expand: [] });
    const bt = await stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(bt).toMatchObject({ amount: 10_000, fee: 320, net: 9680, status: 'pending', type: 'charge', source: charge.id });
    expect(bt.fee_details[0]).toMatchObject({ type: 'stripe_fee', amount: 320 });
    let balance = await stripe.balance.retrieve();
    expect(balance.pending.find((b) => b.currency === 'usd')?.amount).toBe(9680);
    expect(balance.available.find((b) => b.currency === 'usd')?.amount ?? 0).toBe(0);
    await stub.setClockOffsetForTest(3 * 86_400);
    await runDurableObjectAlarm(stub);
    balance = await stripe.balance.retrieve();
    expect(balance.available.find((b) => b.currency === 'usd')?.amount).toBe(9680);
    expect(balance.pending.find((b) => b.currency === 'usd')?.amount ?? 0).toBe(0);
    const after = await stripe.balanceTransactions.retrieve(bt.id);
    expect(after.status).toBe('available');
    const events = await stripe.events.list({ type: 'balance.available' });
    expect(events.data).toHaveLength(1);
  });

  it('sends bypass-pending funds straight to available and refunds debit available', async () => {
    const { stripe } = await setup();
    const pi = await pay(stripe, 10_000, 'pm_card_bypassPending');
    let balance = await stripe.balance.retrieve();
    expect(balance.available.find((b) => b.currency === 'usd')?.amount).toBe(9680);
    await stripe.refunds.create({ payment_intent: pi.id, amount: 1000 });
    balance = await stripe.balance.retrieve();
    expect(balance.available.find((b) => b.currency === 'usd')?.amount).toBe(8680);
    const refundTxns = await stripe.balanceTransactions.list({ type: 'refund' });
    expect(refundTxns.data).toHaveLength(1);
    expect(refundTxns.data[0]).toMatchObject({ amount: -1000, fee: 0, net: -1000, status: 'available' });
  });

  it('handles zero-decimal currencies in whole units', async () => {
    const { stripe } = await setup();
    const pi = await pay(stripe, 1050, 'pm_card_visa', 'jpy');
    expect(pi).toMatchObject({ amount: 1050, currency: 'jpy', status: 'succeeded' });
    await expect(pay(stripe, 10, 'pm_card_visa', 'jpy')).rejects.toMatchObject({ code: 'amount_too_small' });
    await expect(pay(stripe, 1000, 'pm_card_visa', 'kwd')).rejects.toMatchObject({ param: 'currency' });
  });
});
