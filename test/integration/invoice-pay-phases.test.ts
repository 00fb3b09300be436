/**
 * Paying invoices can never charge twice (issue #8): crashes injected between the phases of
 * `invoices.pay` and of an automatic renewal attempt end with exactly one authorisation at the
 * processor and one charge, and the ledger still balances (Σ balance transaction net = balance).
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import { IDEMPOTENCY_LOCK_TIMEOUT_SECONDS } from '../../src/domain/limits';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000;
const pause = () => new Promise((resolve) => setTimeout(resolve, 10));

async function account() {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  const name = `${accountId}:test`;
  return { key, stripe: stripeClient(key), freshStub: () => env.MERCHANT_ACCOUNT.getByName(name), processor: env.CARD_PROCESSOR.getByName(name) };
}

async function customerWithCard(stripe: Stripe, clock?: string) {
  const customer = await stripe.customers.create(clock === undefined ? {} : { test_clock: clock });
  const created = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
  const method = await stripe.paymentMethods.attach(created.id, { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: method.id } });
  return customer;
}

async function openInvoice(stripe: Stripe, customer: string, amount = 4200) {
  const invoice = await stripe.invoices.create({ customer });
  await stripe.invoiceItems.create({ customer, invoice: invoice.id, amount, currency: 'usd' });
  return stripe.invoices.finalizeInvoice(invoice.id);
}

/** The ledger invariant: Σ net of all balance transactions = available + pending, per currency. */
async function expectBalanced(stripe: Stripe) {
  const transactions = await stripe.balanceTransactions.list({ limit: 100 });
  const balance = await stripe.balance.retrieve();
  const sum = (rows: Array<{ amount: number; currency: string }>) => rows.filter((r) => r.currency === 'usd').reduce((s, r) => s + r.amount, 0);
  expect(transactions.data.filter((t) => t.currency === 'usd').reduce((s, t) => s + t.net, 0)).toBe(sum(balance.available) + sum(balance.pending));
}

describe('invoice payment under faults', () => {
  it('resumes a pay that failed after the processor answered, with one authorisation', async () => {
    const { key, stripe, freshStub, processor } = await account();
    const customer = await customerWithCard(stripe);
    const invoice = await openInvoice(stripe, customer.id);
    await freshStub().armFaultForTest('after_call', 'throw');
    const pay = () => api('POST', `/v1/invoices/${invoice.id}/pay`, { key, headers: { 'Idempotency-Key': 'pay-1' }, body: {} });
    const first = await pay();
    expect(first.status).toBe(503);
    expect(await processor.operationCountForTest()).toBe(1);
    const otherKey = await api('POST', `/v1/invoices/${invoice.id}/pay`, { key, headers: { 'Idempotency-Key': 'pay-2' }, body: {} });
    expect(otherKey.status).toBe(429);
    const retry = await pay();
    expect(retry.status).toBe(200);
    expect(await json(retry)).toMatchObject({ status: 'paid', amount_paid: 4200, attempt_count: 1 });
    expect(await processor.operationCountForTest()).toBe(1);
    expect((await stripe.charges.list({ customer: customer.id })).data).toHaveLength(1);
    await expectBalanced(stripe);
  });

  it('lets the completer finish a pay abandoned by a crash, and a late retry replays it', async () => {
    const { key, stripe, freshStub, processor } = await account();
    const customer = await customerWithCard(stripe);
    const invoice = await openInvoice(stripe, customer.id);
    await freshStub().armFaultForTest('after_call', 'abort');
    await api('POST', `/v1/invoices/${invoice.id}/pay`, { key, headers: { 'Idempotency-Key': 'pay-crash' }, body: {} }).catch(() => null);
    expect(await processor.operationCountForTest()).toBe(1);
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('open');
    await freshStub().setClockOffsetForTest(IDEMPOTENCY_LOCK_TIMEOUT_SECONDS + 1);
    await runDurableObjectAlarm(freshStub());
    await runDurableObjectAlarm(freshStub());
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', attempt_count: 1 });
    const late = await api('POST', `/v1/invoices/${invoice.id}/pay`, { key, headers: { 'Idempotency-Key': 'pay-crash' }, body: {} });
    expect(late.headers.get('idempotent-replayed')).toBe('true');
    expect(await processor.operationCountForTest()).toBe(1);
    expect((await stripe.charges.list({ customer: customer.id })).data).toHaveLength(1);
    await expectBalanced(stripe);
  });

  it('finishes a renewal whose attempt was interrupted, before the clock reports ready, charging once', async () => {
    const { stripe, freshStub, processor } = await account();
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: utc(2025, 1, 10) });
    const customer = await customerWithCard(stripe, clock.id);
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 1500, recurring: { interval: 'month' }, product_data: { name: 'Plan' } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(await processor.operationCountForTest()).toBe(1);
    await freshStub().armFaultForTest('after_call', 'throw');
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: utc(2025, 2, 11) });
    let status = 'advancing';
    for (let i = 0; i < 100 && status !== 'ready'; i++) {
      await runDurableObjectAlarm(freshStub());
      await pause();
      status = (await stripe.testHelpers.testClocks.retrieve(clock.id)).status;
      // The interrupted attempt blocks the clock until the completer has finished it.
      if (status !== 'ready') await freshStub().setClockOffsetForTest(60 * (i + 1));
    }
    expect(status).toBe('ready');
    const armed = await runInDurableObject(freshStub(), (_i, state) => state.storage.sql.exec("SELECT name FROM settings WHERE name LIKE 'fault:%'").toArray());
    expect(armed).toEqual([]);
    const invoices = (await stripe.invoices.list({ subscription: subscription.id })).data;
    expect(invoices.map((i) => [i.status, i.attempt_count])).toEqual([
      ['paid', 1],
      ['paid', 1],
    ]);
    expect(await processor.operationCountForTest()).toBe(2);
    expect((await stripe.charges.list({ customer: customer.id })).data).toHaveLength(2);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    await expectBalanced(stripe);
  });

  it('expands invoice and subscription references', async () => {
    const { stripe } = await account();
    const customer = await customerWithCard(stripe);
    const invoice = await openInvoice(stripe, customer.id);
    const expanded = await stripe.invoices.retrieve(invoice.id, { expand: ['customer'] });
    expect((expanded.customer as Stripe.Customer).id).toBe(customer.id);
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 900, recurring: { interval: 'week' }, product_data: { name: 'Weekly' } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], expand: ['latest_invoice'] });
    expect((subscription.latest_invoice as Stripe.Invoice).status).toBe('paid');
    const withProduct = await stripe.prices.retrieve(price.id, { expand: ['product'] });
    expect((withProduct.product as Stripe.Product).name).toBe('Weekly');
    await expect(stripe.invoices.retrieve(invoice.id, { expand: ['lines'] })).rejects.toMatchObject({ statusCode: 400 });
  });
});
