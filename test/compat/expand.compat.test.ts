import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

const noRedirects = { enabled: true, allow_redirects: 'never' as const };

describe('expand[]', () => {
  it('expands latest_charge.balance_transaction on a PaymentIntent (the contract smoke flow)', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const customer = await stripe.customers.create({ email: 'x@example.com' });
    const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', customer: customer.id, payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    const again = await stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge.balance_transaction', 'customer'] });
    const charge = again.latest_charge as Stripe.Charge;
    expect(charge.object).toBe('charge');
    const bt = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(bt.object).toBe('balance_transaction');
    expect(bt.net).toBe(bt.amount - bt.fee);
    expect((again.customer as Stripe.Customer).email).toBe('x@example.com');
  });

  it('expands list items with data.-prefixed paths and on creation responses', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const customer = await stripe.customers.create({});
    const created = await stripe.paymentIntents.create({
      amount: 1500, currency: 'usd', customer: customer.id, payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects, expand: ['latest_charge'],
    });
    expect((created.latest_charge as Stripe.Charge).amount_captured).toBe(1500);
    const charges = await stripe.charges.list({ customer: customer.id, expand: ['data.customer', 'data.balance_transaction'] });
    expect((charges.data[0]!.customer as Stripe.Customer).id).toBe(customer.id);
    expect((charges.data[0]!.balance_transaction as Stripe.BalanceTransaction).object).toBe('balance_transaction');
    const txns = await stripe.balanceTransactions.list({ expand: ['data.source'] });
    expect((txns.data[0]!.source as Stripe.Charge).object).toBe('charge');
  });

  it('refuses unexpandable paths before doing anything', async () => {
    const key = await mintTestKey(newAccountId());
    const res = await api('POST', '/v1/customers', { key, body: { 'expand[0]': 'nope' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ param: 'expand', message: 'This property cannot be expanded (nope).' });
    expect((await json(await api('GET', '/v1/customers', { key }))).data).toHaveLength(0);
    const list = await api('GET', '/v1/charges?expand[]=customer', { key });
    expect(list.status).toBe(400);
  });
});
