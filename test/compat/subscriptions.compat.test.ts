import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { stripeClient } from '../support/stripe-client';

const DAY = 86_400;
const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h) / 1000;

async function setup() {
  const accountId = newAccountId();
  const stripe = stripeClient(await mintTestKey(accountId));
  const stub = env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`);
  return { stripe, stub };
}

type Stub = Awaited<ReturnType<typeof setup>>['stub'];

const pause = () => new Promise((resolve) => setTimeout(resolve, 10));

async function attachCard(stripe: Stripe, customer: string, token: string, makeDefault = true) {
  const created = await stripe.paymentMethods.create({ type: 'card', card: { token } });
  const method = await stripe.paymentMethods.attach(created.id, { customer });
  if (makeDefault) await stripe.customers.update(customer, { invoice_settings: { default_payment_method: method.id } });
  return method;
}

/** A clock frozen at `start`, a customer on it paying with `token`, and a 20.00/month price. */
async function clockSetup(stripe: Stripe, start: number, token = 'tok_visa') {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, name: 'billing run' });
  const customer = await stripe.customers.create({ email: 'sub@example.com', test_clock: clock.id });
  await attachCard(stripe, customer.id, token);
  const product = await stripe.products.create({ name: 'Pro plan' });
  const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 2000, recurring: { interval: 'month' } });
  return { clock, customer, product, price };
}

/** Advances the clock and waits (nudging the alarm) until it is ready again. */
async function advance(stripe: Stripe, stub: Stub, clockId: string, to: number) {
  let clock = await stripe.testHelpers.testClocks.advance(clockId, { frozen_time: to });
  expect(clock.status).toBe('advancing');
  for (let i = 0; i < 100 && clock.status !== 'ready'; i++) {
    await runDurableObjectAlarm(stub);
    await pause();
    clock = await stripe.testHelpers.testClocks.retrieve(clockId);
  }
  expect(clock).toMatchObject({ status: 'ready', frozen_time: to });
  return clock;
}

async function invoicesOf(stripe: Stripe, subscription: string) {
  const list = await stripe.invoices.list({ subscription, limit: 100 });
  return list.data.reverse();
}

describe('subscriptions and test clocks through the stripe client', () => {
  it('bills a monthly subscription on a test clock: three periods, three paid invoices, month ends clamped', async () => {
    const { stripe, stub } = await setup();
    const start = utc(2025, 1, 31, 9);
    const { clock, customer, price } = await clockSetup(stripe, start);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(subscription).toMatchObject({ object: 'subscription', status: 'active', customer: customer.id, test_clock: clock.id, billing_cycle_anchor: start, start_date: start, currency: 'usd' });
    expect(subscription.items.data[0]).toMatchObject({ current_period_start: start, current_period_end: utc(2025, 2, 28, 9), quantity: 1 });
    expect(subscription.items.data[0]!.price.id).toBe(price.id);

    await advance(stripe, stub, clock.id, utc(2025, 3, 31, 10));
    const invoices = await invoicesOf(stripe, subscription.id);
    expect(invoices.map((i) => [i.status, i.billing_reason, i.amount_paid, i.lines.data[0]!.period.start, i.lines.data[0]!.period.end])).toEqual([
      ['paid', 'subscription_create', 2000, start, utc(2025, 2, 28, 9)],
      ['paid', 'subscription_cycle', 2000, utc(2025, 2, 28, 9), utc(2025, 3, 31, 9)],
      ['paid', 'subscription_cycle', 2000, utc(2025, 3, 31, 9), utc(2025, 4, 30, 9)],
    ]);
    expect(invoices.map((i) => i.status_transitions.paid_at)).toEqual([start, utc(2025, 2, 28, 9), utc(2025, 3, 31, 9)]);
    expect(invoices.every((i) => i.parent?.subscription_details?.subscription === subscription.id && i.test_clock === clock.id)).toBe(true);
    const current = await stripe.subscriptions.retrieve(subscription.id);
    expect(current).toMatchObject({ status: 'active', latest_invoice: invoices[2]!.id });
    expect(current.items.data[0]).toMatchObject({ current_period_start: utc(2025, 3, 31, 9), current_period_end: utc(2025, 4, 30, 9) });
    const charges = await stripe.charges.list({ customer: customer.id });
    expect(charges.data.map((c) => [c.amount, c.status])).toEqual([
      [2000, 'succeeded'],
      [2000, 'succeeded'],
      [2000, 'succeeded'],
    ]);
    const balance = await stripe.balance.retrieve();
    expect(balance.pending.find((b) => b.currency === 'usd')?.amount).toBe(3 * (2000 - 88));
  });

  it('moves to past_due when the card fails, retries on schedule, and recovers after the payment method is updated', async () => {
    const { stripe, stub } = await setup();
    const start = utc(2025, 6, 1);
    const { clock, customer, price } = await clockSetup(stripe, start);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 2 }] });
    expect(subscription.status).toBe('active');
    await attachCard(stripe, customer.id, 'tok_chargeCustomerFail');

    await advance(stripe, stub, clock.id, utc(2025, 7, 1, 1));
    let sub = await stripe.subscriptions.retrieve(subscription.id);
    expect(sub.status).toBe('past_due');
    let renewal = await stripe.invoices.retrieve(sub.latest_invoice as string);
    expect(renewal).toMatchObject({ status: 'open', attempted: true, attempt_count: 1, amount_due: 4000, next_payment_attempt: utc(2025, 7, 4) });

    await advance(stripe, stub, clock.id, utc(2025, 7, 4, 1));
    renewal = await stripe.invoices.retrieve(renewal.id);
    expect(renewal).toMatchObject({ status: 'open', attempt_count: 2, next_payment_attempt: utc(2025, 7, 9) });

    await attachCard(stripe, customer.id, 'tok_mastercard');
    await advance(stripe, stub, clock.id, utc(2025, 7, 9, 1));
    renewal = await stripe.invoices.retrieve(renewal.id);
    expect(renewal).toMatchObject({ status: 'paid', attempt_count: 3, amount_paid: 4000, next_payment_attempt: null });
    sub = await stripe.subscriptions.retrieve(subscription.id);
    expect(sub.status).toBe('active');
    const events = await stripe.events.list({ limit: 100, type: 'customer.subscription.updated' });
    const statuses = events.data
      .filter((e) => (e.data.object as Stripe.Subscription).id === subscription.id && 'status' in (e.data.previous_attributes ?? {}))
      .map((e) => `${(e.data.previous_attributes as { status: string }).status} → ${(e.data.object as Stripe.Subscription).status}`);
    expect(statuses.reverse()).toEqual(['incomplete → active', 'active → past_due', 'past_due → active']);
    expect((await stripe.charges.list({ customer: customer.id, limit: 100 })).data.map((c) => c.status)).toEqual(['succeeded', 'failed', 'failed', 'succeeded']);
  });

  it('cancels after the last retry fails (or marks it unpaid when the account says so)', async () => {
    for (const action of ['canceled', 'unpaid'] as const) {
      const { stripe, stub } = await setup();
      if (action === 'unpaid') {
        await stripe.customers.create({});
        await runInDurableObject(stub, (_instance, state) => {
          state.storage.sql.exec("INSERT INTO settings (name, value) VALUES ('subscription_failure_action', 'unpaid')");
        });
      }
      const start = utc(2025, 1, 15);
      const { clock, customer, price } = await clockSetup(stripe, start);
      const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      await attachCard(stripe, customer.id, 'tok_chargeCustomerFail');
      // Renewal Feb 15 fails, retries Feb 18, Feb 23 and Mar 2 fail too: the last one ends it.
      await advance(stripe, stub, clock.id, utc(2025, 3, 3));
      const sub = await stripe.subscriptions.retrieve(subscription.id);
      const renewal = await stripe.invoices.retrieve(sub.latest_invoice as string);
      expect(renewal).toMatchObject({ status: 'open', attempt_count: 4, next_payment_attempt: null });
      expect(sub.status).toBe(action);
      if (action === 'canceled') {
        expect(sub).toMatchObject({ ended_at: utc(2025, 3, 2), cancellation_details: { reason: 'payment_failed' } });
        expect((await stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
        expect((await stripe.subscriptions.list({ customer: customer.id, status: 'canceled' })).data.map((s) => s.id)).toEqual([subscription.id]);
      }
    }
  });

  it('prorates a mid-period quantity change onto the next invoice', async () => {
    const { stripe, stub } = await setup();
    const start = utc(2025, 4, 1);
    const { clock, customer, price } = await clockSetup(stripe, start);
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await advance(stripe, stub, clock.id, utc(2025, 4, 16));
    const item = subscription.items.data[0]!;
    const updated = await stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, quantity: 3 }], proration_behavior: 'create_prorations' });
    expect(updated.items.data[0]!.quantity).toBe(3);
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    // April has 30 days; 15 remain: −2000 × 15/30 and +6000 × 15/30.
    expect(pending.data.map((i) => [i.amount, i.proration]).sort()).toEqual([
      [-1000, true],
      [3000, true],
    ]);
    await advance(stripe, stub, clock.id, utc(2025, 5, 1, 1));
    const invoices = await invoicesOf(stripe, subscription.id);
    const may = invoices[1]!;
    expect(may.lines.data.map((l) => l.amount)).toEqual([6000, -1000, 3000]);
    expect(may).toMatchObject({ subtotal: 8000, total: 8000, amount_paid: 8000, status: 'paid' });

    const quiet = await stripe.subscriptions.update(subscription.id, { items: [{ id: item.id, quantity: 1 }], proration_behavior: 'none' });
    expect(quiet.items.data[0]!.quantity).toBe(1);
    expect((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toEqual([]);
  });

  it('cancels at period end, or at once, and lists only live subscriptions by default', async () => {
    const { stripe, stub } = await setup();
    const start = utc(2025, 8, 10);
    const { clock, customer, price } = await clockSetup(stripe, start);
    const atEnd = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const now = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const scheduled = await stripe.subscriptions.update(atEnd.id, { cancel_at_period_end: true });
    expect(scheduled).toMatchObject({ status: 'active', cancel_at_period_end: true, cancel_at: utc(2025, 9, 10) });
    const canceled = await stripe.subscriptions.cancel(now.id);
    expect(canceled).toMatchObject({ status: 'canceled', canceled_at: start, ended_at: start });
    await expect(stripe.subscriptions.cancel(now.id)).rejects.toMatchObject({ statusCode: 400 });
    expect((await stripe.subscriptions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([atEnd.id]);
    await advance(stripe, stub, clock.id, utc(2025, 10, 1));
    const ended = await stripe.subscriptions.retrieve(atEnd.id);
    expect(ended).toMatchObject({ status: 'canceled', ended_at: utc(2025, 9, 10), cancellation_details: { reason: 'cancellation_requested' } });
    expect((await invoicesOf(stripe, atEnd.id)).length).toBe(1);
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(2);
  });

  it('leaves a declined first payment incomplete; paying the invoice activates it, an unpaid one expires', async () => {
    const { stripe, stub } = await setup();
    const start = utc(2025, 2, 1);
    const { clock, customer, price } = await clockSetup(stripe, start, 'tok_chargeCustomerFail');
    const first = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(first.status).toBe('incomplete');
    const invoice = await stripe.invoices.retrieve(first.latest_invoice as string);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, billing_reason: 'subscription_create', next_payment_attempt: null });
    const good = await attachCard(stripe, customer.id, 'tok_visa', false);
    await stripe.invoices.pay(invoice.id, { payment_method: good.id });
    expect((await stripe.subscriptions.retrieve(first.id)).status).toBe('active');

    const second = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(second.status).toBe('incomplete');
    await expect(stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], payment_behavior: 'error_if_incomplete' })).rejects.toMatchObject({
      statusCode: 402,
      code: 'card_declined',
    });
    await advance(stripe, stub, clock.id, start + DAY);
    expect((await stripe.subscriptions.retrieve(second.id)).status).toBe('incomplete_expired');
    expect((await stripe.invoices.retrieve(second.latest_invoice as string)).status).toBe('void');
    expect((await stripe.subscriptions.retrieve(first.id)).status).toBe('active');
  });

  it('renews a subscription without a test clock from the account alarm', async () => {
    const { stripe, stub } = await setup();
    const customer = await stripe.customers.create({});
    await attachCard(stripe, customer.id, 'tok_visa');
    const price = await stripe.prices.create({ currency: 'eur', unit_amount: 500, recurring: { interval: 'day', interval_count: 7 }, product_data: { name: 'Weekly box' } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect(subscription.status).toBe('active');
    await stub.setClockOffsetForTest(7 * DAY + 60);
    // The alarm may already be running (armed by the last request): nudge it until the renewal settles.
    let invoices = await invoicesOf(stripe, subscription.id);
    for (let i = 0; i < 100 && !(invoices.length === 2 && invoices[1]!.status === 'paid'); i++) {
      await runDurableObjectAlarm(stub);
      await pause();
      invoices = await invoicesOf(stripe, subscription.id);
    }
    expect(invoices.map((i) => [i.status, i.amount_paid, i.currency])).toEqual([
      ['paid', 500, 'eur'],
      ['paid', 500, 'eur'],
    ]);
    expect(invoices[1]!.period_start).toBe(subscription.start_date + 7 * DAY);
  });

  // Customers stay counted on their clock after updates made for them (an invoice number issued,
  // a detached default payment method): those writes used to drop the customer's clock index.
  it('keeps counting a clock’s customers after invoicing them: the fourth is still refused', async () => {
    const { stripe } = await setup();
    const { clock, customer } = await clockSetup(stripe, utc(2025, 1, 1));
    await stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: 'usd' });
    const invoice = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    await stripe.invoices.finalizeInvoice(invoice.id);
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ next_invoice_sequence: 2, test_clock: clock.id });
    const method = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    await stripe.paymentMethods.detach(method.invoice_settings.default_payment_method as string);
    await stripe.customers.create({ test_clock: clock.id });
    await stripe.customers.create({ test_clock: clock.id });
    await expect(stripe.customers.create({ test_clock: clock.id })).rejects.toMatchObject({ statusCode: 400, param: 'test_clock' });
  });

  it('refuses mixed intervals, one-time prices, and a clock that is not moving forward', async () => {
    const { stripe } = await setup();
    const { clock, customer, price, product } = await clockSetup(stripe, utc(2025, 1, 1));
    const yearly = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 20_000, recurring: { interval: 'year' } });
    const once = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 });
    await expect(stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }, { price: yearly.id }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe.subscriptions.create({ customer: customer.id, items: [{ price: once.id }] })).rejects.toMatchObject({ statusCode: 400, param: 'items[0][price]' });
    await expect(stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1, recurring: { interval: 'month', interval_count: 13 } })).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: utc(2024, 12, 1) })).rejects.toMatchObject({ statusCode: 400, param: 'frozen_time' });
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toEqual([]);
  });
});
