import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { stripeClient } from '../support/stripe-client';

describe('legacy charges (POST /v1/charges with source)', () => {
  it('charges a test token and books the balance transaction', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const charge = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_visa', description: 'legacy' });
    expect(charge).toMatchObject({ object: 'charge', amount: 2000, captured: true, paid: true, status: 'succeeded', payment_intent: null });
    expect(charge.payment_method).toMatch(/^pm_/);
    expect(charge.balance_transaction).toMatch(/^txn_/);
    const bt = await stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
    expect(bt).toMatchObject({ type: 'charge', amount: 2000, source: charge.id });
  });

  it('declines with 402 and a failed charge, and captures an uncaptured charge later', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const error = await stripe.charges.create({ amount: 2000, currency: 'usd', source: 'tok_chargeDeclined' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect((error as Stripe.errors.StripeCardError).charge).toMatch(/^ch_/);
    const held = await stripe.charges.create({ amount: 3000, currency: 'usd', source: 'tok_mastercard', capture: false });
    expect(held).toMatchObject({ captured: false, amount_captured: 0, balance_transaction: null });
    const captured = await stripe.charges.capture(held.id, { amount: 2500 });
    expect(captured).toMatchObject({ captured: true, amount_captured: 2500 });
    await expect(stripe.charges.capture(held.id)).rejects.toMatchObject({ code: 'charge_already_captured' });
    await expect(stripe.charges.create({ amount: 100, currency: 'usd', source: 'tok_nope' })).rejects.toMatchObject({ code: 'resource_missing', param: 'source' });
  });
});
