import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { lastResponseHeader, stripeClient } from '../support/stripe-client';

async function setup() {
  const accountId = newAccountId();
  const stripe = stripeClient(await mintTestKey(accountId));
  return { stripe, stub: env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`) };
}

/** A customer whose default invoice payment method is a fresh, attached copy of `card`. */
async function customerWithCard(stripe: Stripe, token = 'tok_visa') {
  const customer = await stripe.customers.create({ email: 'billing@example.com', name: 'Ada' });
  const method = await attachCard(stripe, customer.id, token);
  const updated = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: method.id } });
  expect(updated.invoice_settings.default_payment_method).toBe(method.id);
  return { customer, method };
}

async function attachCard(stripe: Stripe, customer: string, token: string) {
  const created = await stripe.paymentMethods.create({ type: 'card', card: { token } });
  return stripe.paymentMethods.attach(created.id, { customer });
}

/** A draft with a 15.00 setup fee and 3 × 2.50 of a one-time price: 22.50 in all. */
async function draftWithTwoItems(stripe: Stripe, customer: string) {
  const invoice = await stripe.invoices.create({ customer, description: 'March' });
  const price = await stripe.prices.create({ currency: 'usd', unit_amount: 250, product_data: { name: 'Widget' } });
  await stripe.invoiceItems.create({ customer, invoice: invoice.id, amount: 1500, currency: 'usd', description: 'Setup fee' });
  await stripe.invoiceItems.create({ customer, invoice: invoice.id, pricing: { price: price.id }, quantity: 3 });
  return { invoice: await stripe.invoices.retrieve(invoice.id), price };
}

async function eventTypesFor(stripe: Stripe, id: string): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100 });
  return events.data.filter((e) => (e.data.object as { id?: string }).id === id).map((e) => e.type).reverse();
}

describe('invoices through the stripe client', () => {
  it('bills two items: draft → finalize → pay → paid with a charge and a balance transaction', async () => {
    const { stripe } = await setup();
    const { customer, method } = await customerWithCard(stripe);
    const { invoice: draft, price } = await draftWithTwoItems(stripe, customer.id);
    expect(draft).toMatchObject({
      object: 'invoice',
      status: 'draft',
      auto_advance: false,
      billing_reason: 'manual',
      collection_method: 'charge_automatically',
      currency: 'usd',
      customer: customer.id,
      number: null,
      subtotal: 2250,
      total: 2250,
      amount_due: 2250,
      amount_paid: 0,
      amount_remaining: 2250,
      attempted: false,
      attempt_count: 0,
      parent: null,
      description: 'March',
    });
    expect(draft.lines.data.map((l) => [l.amount, l.quantity, l.description])).toEqual([
      [1500, 1, 'Setup fee'],
      [750, 3, null],
    ]);
    expect(draft.lines.data[1]!.pricing).toMatchObject({ type: 'price_details', price_details: { price: price.id } });
    expect(String(draft.lines.data[1]!.pricing!.unit_amount_decimal)).toBe('250');
    expect(String(draft.lines.data[1]!.quantity_decimal)).toBe('3');
    const lines = await stripe.invoices.listLineItems(draft.id, { limit: 1 });
    expect(lines).toMatchObject({ object: 'list', url: `/v1/invoices/${draft.id}/lines`, has_more: true });
    const all = await stripe.invoices.listLineItems(draft.id).autoPagingToArray({ limit: 10 });
    expect(all.map((l) => l.amount)).toEqual([1500, 750]);

    const open = await stripe.invoices.finalizeInvoice(draft.id);
    expect(open).toMatchObject({ status: 'open', amount_due: 2250, amount_remaining: 2250 });
    expect(open.number).toMatch(/^[A-Z0-9]{8}-0001$/);
    expect(open.status_transitions.finalized_at).toBeGreaterThan(0);

    const paid = await stripe.invoices.pay(open.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 2250, amount_remaining: 0, attempted: true, attempt_count: 1, total: 2250 });
    expect(paid.status_transitions.paid_at).toBeGreaterThan(0);

    const payments = await stripe.invoicePayments.list({ invoice: paid.id });
    expect(payments.data).toHaveLength(1);
    expect(payments.data[0]).toMatchObject({ object: 'invoice_payment', status: 'paid', amount_paid: 2250, amount_requested: 2250, invoice: paid.id });
    const intent = await stripe.paymentIntents.retrieve(payments.data[0]!.payment.payment_intent as string, { expand: ['latest_charge.balance_transaction'] });
    expect(intent).toMatchObject({ status: 'succeeded', amount: 2250, amount_received: 2250, customer: customer.id, payment_method: method.id });
    const charge = intent.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ amount: 2250, captured: true, paid: true, status: 'succeeded' });
    const bt = charge.balance_transaction as Stripe.BalanceTransaction;
    expect(bt).toMatchObject({ amount: 2250, fee: 95, net: 2155, source: charge.id });

    expect(await eventTypesFor(stripe, paid.id)).toEqual(['invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']);
    const balance = await stripe.balance.retrieve();
    expect(balance.pending.find((b) => b.currency === 'usd')?.amount).toBe(2155);
  });

  it('voids an open invoice and refuses actions that do not fit the status', async () => {
    const { stripe } = await setup();
    const { customer } = await customerWithCard(stripe);
    const { invoice } = await draftWithTwoItems(stripe, customer.id);
    await expect(stripe.invoices.voidInvoice(invoice.id)).rejects.toMatchObject({ statusCode: 400, code: 'invoice_not_editable' });
    await expect(stripe.invoices.markUncollectible(invoice.id)).rejects.toMatchObject({ code: 'invoice_not_editable' });
    const open = await stripe.invoices.finalizeInvoice(invoice.id);
    await expect(stripe.invoices.finalizeInvoice(invoice.id)).rejects.toMatchObject({ code: 'invoice_not_editable', message: expect.stringContaining('status is open') });
    await expect(stripe.invoices.del(invoice.id)).rejects.toMatchObject({ code: 'invoice_not_editable' });
    await expect(stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 100, currency: 'usd' })).rejects.toMatchObject({ code: 'invoice_not_editable' });
    const item = open.lines.data[0]!.parent!.invoice_item_details!.invoice_item;
    await expect(stripe.invoiceItems.update(item, { amount: 1 })).rejects.toMatchObject({ code: 'invoice_not_editable' });
    await expect(stripe.invoices.update(invoice.id, { collection_method: 'send_invoice', days_until_due: 30 })).rejects.toMatchObject({ code: 'invoice_not_editable' });
    const described = await stripe.invoices.update(invoice.id, { description: 'Corrected', metadata: { po: '7' } });
    expect(described).toMatchObject({ description: 'Corrected', metadata: { po: '7' }, status: 'open' });

    const voided = await stripe.invoices.voidInvoice(invoice.id);
    expect(voided).toMatchObject({ status: 'void', amount_paid: 0 });
    expect(voided.status_transitions.voided_at).toBeGreaterThan(0);
    await expect(stripe.invoices.pay(invoice.id)).rejects.toMatchObject({ statusCode: 400, code: 'invoice_not_editable', message: expect.stringContaining('status is void') });
    await expect(stripe.invoices.voidInvoice(invoice.id)).rejects.toMatchObject({ code: 'invoice_not_editable' });
    expect((await stripe.charges.list({ customer: customer.id })).data).toEqual([]);
    expect(await eventTypesFor(stripe, invoice.id)).toEqual(['invoice.created', 'invoice.finalized', 'invoice.updated', 'invoice.voided']);
  });

  it('records a decline on pay, leaves the invoice open, then collects with another card on the same PaymentIntent', async () => {
    const { stripe } = await setup();
    const { customer } = await customerWithCard(stripe, 'tok_chargeDeclined');
    const { invoice } = await draftWithTwoItems(stripe, customer.id);
    const declined = await stripe.invoices.pay(invoice.id).catch((e: unknown) => e);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    const intent = (declined as Stripe.errors.StripeCardError).payment_intent!;
    expect(intent).toMatchObject({ status: 'requires_payment_method', amount: 2250 });
    const failed = await stripe.invoices.retrieve(invoice.id);
    expect(failed).toMatchObject({ status: 'open', attempted: true, attempt_count: 1, amount_paid: 0, amount_remaining: 2250 });
    expect(await eventTypesFor(stripe, invoice.id)).toContain('invoice.payment_failed');

    const good = await attachCard(stripe, customer.id, 'tok_mastercard');
    const paid = await stripe.invoices.pay(invoice.id, { payment_method: good.id });
    expect(paid).toMatchObject({ status: 'paid', attempt_count: 2, amount_paid: 2250 });
    const payments = await stripe.invoicePayments.list({ invoice: invoice.id });
    expect(payments.data.map((p) => [p.status, p.payment.payment_intent])).toEqual([['paid', intent.id]]);
    const charges = await stripe.charges.list({ customer: customer.id });
    expect(charges.data.map((c) => c.status)).toEqual(['succeeded', 'failed']);
  });

  it('never charges twice: a retried pay replays, a second pay is refused', async () => {
    const { stripe } = await setup();
    const { customer } = await customerWithCard(stripe);
    const { invoice } = await draftWithTwoItems(stripe, customer.id);
    const key = `pay-${invoice.id}`;
    const first = await stripe.invoices.pay(invoice.id, {}, { idempotencyKey: key });
    const again = await stripe.invoices.pay(invoice.id, {}, { idempotencyKey: key });
    expect(again).toEqual(first);
    expect(lastResponseHeader(again, 'idempotent-replayed')).toBe('true');
    await expect(stripe.invoices.pay(invoice.id)).rejects.toMatchObject({ statusCode: 400, message: 'Invoice is already paid' });
    const concurrent = await Promise.allSettled([1, 2, 3].map(() => stripe.invoices.pay(invoice.id)));
    expect(concurrent.every((r) => r.status === 'rejected')).toBe(true);
    expect((await stripe.charges.list({ customer: customer.id })).data).toHaveLength(1);
    expect(first.status).toBe('paid');
  });

  it('pays one invoice exactly once under concurrent pay calls with different keys', async () => {
    const { stripe } = await setup();
    const { customer } = await customerWithCard(stripe);
    const { invoice } = await draftWithTwoItems(stripe, customer.id);
    await stripe.invoices.finalizeInvoice(invoice.id);
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => stripe.invoices.pay(invoice.id, {}, { idempotencyKey: `k${n}-${invoice.id}` })));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    expect((await stripe.invoices.retrieve(invoice.id)).amount_paid).toBe(2250);
    expect((await stripe.charges.list({ customer: customer.id })).data).toHaveLength(1);
    const txns = await stripe.balanceTransactions.list({ limit: 100 });
    expect(txns.data.filter((t) => t.type === 'payment' || t.type === 'charge')).toHaveLength(1);
  });

  it('leaves earlier pending items out unless pending_invoice_items_behavior=include', async () => {
    const { stripe } = await setup();
    const { customer } = await customerWithCard(stripe);
    const pending = await stripe.invoiceItems.create({ customer: customer.id, amount: 700, currency: 'usd', description: 'Earlier' });
    expect(pending.invoice).toBeNull();
    expect((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data.map((i) => i.id)).toEqual([pending.id]);
    const excluded = await stripe.invoices.create({ customer: customer.id });
    expect(excluded.lines.data).toEqual([]);
    expect(excluded.amount_due).toBe(0);
    const included = await stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' });
    expect(included.lines.data.map((l) => l.amount)).toEqual([700]);
    expect((await stripe.invoiceItems.retrieve(pending.id)).invoice).toBe(included.id);
    expect((await stripe.invoiceItems.list({ invoice: included.id })).data.map((i) => i.id)).toEqual([pending.id]);
    expect((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).toEqual([]);
    const deleted = await stripe.invoices.del(excluded.id);
    expect(deleted).toEqual(expect.objectContaining({ id: excluded.id, deleted: true }));
    await expect(stripe.invoices.retrieve(excluded.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('edits draft lines through invoice items and keeps totals derived from the lines', async () => {
    const { stripe } = await setup();
    const { customer } = await customerWithCard(stripe);
    const { invoice } = await draftWithTwoItems(stripe, customer.id);
    const [setupFee, widgets] = invoice.lines.data.map((l) => l.parent!.invoice_item_details!.invoice_item);
    const updated = await stripe.invoiceItems.update(widgets!, { quantity: 5 });
    expect(updated).toMatchObject({ amount: 1250, quantity: 5 });
    expect(String(updated.quantity_decimal)).toBe('5');
    await stripe.invoiceItems.update(setupFee!, { unit_amount_decimal: Stripe.Decimal.from('400'), quantity: 2 });
    let current = await stripe.invoices.retrieve(invoice.id);
    expect(current.lines.data.map((l) => l.amount)).toEqual([800, 1250]);
    expect(current).toMatchObject({ subtotal: 2050, total: 2050, amount_due: 2050 });
    await stripe.invoiceItems.del(setupFee!);
    current = await stripe.invoices.retrieve(invoice.id);
    expect(current).toMatchObject({ subtotal: 1250, amount_due: 1250 });
    await expect(stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 99_999_999, currency: 'usd' })).rejects.toMatchObject({
      code: 'amount_too_large',
    });
    await expect(
      stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, unit_amount_decimal: Stripe.Decimal.from('1.5'), currency: 'usd' }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'unit_amount_decimal' });
    await expect(stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 100, currency: 'eur' })).rejects.toMatchObject({
      code: 'currency_mismatch',
    });
  });

  it('settles out of band, pays a zero invoice at finalize, and pays an uncollectible invoice', async () => {
    const { stripe } = await setup();
    const { customer } = await customerWithCard(stripe);
    const { invoice } = await draftWithTwoItems(stripe, customer.id);
    const oob = await stripe.invoices.pay(invoice.id, { paid_out_of_band: true });
    expect(oob).toMatchObject({ status: 'paid', amount_paid: 2250, attempted: false, attempt_count: 0 });
    expect(oob.number).not.toBeNull();
    expect((await stripe.charges.list({ customer: customer.id })).data).toEqual([]);

    const empty = await stripe.invoices.create({ customer: customer.id });
    expect(await stripe.invoices.finalizeInvoice(empty.id)).toMatchObject({ status: 'paid', amount_due: 0 });

    const { invoice: second } = await draftWithTwoItems(stripe, customer.id);
    await stripe.invoices.finalizeInvoice(second.id);
    expect(await stripe.invoices.markUncollectible(second.id)).toMatchObject({ status: 'uncollectible' });
    expect(await stripe.invoices.pay(second.id)).toMatchObject({ status: 'paid', amount_paid: 2250 });
    const numbers = (await stripe.invoices.list({ customer: customer.id, status: 'paid' })).data.map((i) => i.number!.slice(-4)).sort();
    expect(numbers).toEqual(['0001', '0002', '0003']);
  });

  it('refuses a pay without any payment method and a default method the customer does not own', async () => {
    const { stripe } = await setup();
    const customer = await stripe.customers.create({});
    const other = await stripe.customers.create({});
    const foreign = await attachCard(stripe, other.id, 'tok_visa');
    await expect(stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: foreign.id } })).rejects.toMatchObject({
      statusCode: 400,
      param: 'invoice_settings[default_payment_method]',
    });
    const { invoice } = await draftWithTwoItems(stripe, customer.id);
    await expect(stripe.invoices.pay(invoice.id)).rejects.toMatchObject({ statusCode: 400, param: 'payment_method' });
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'open', attempted: false });
  });
});
