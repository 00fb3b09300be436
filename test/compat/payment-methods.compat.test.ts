import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { stripeClient } from '../support/stripe-client';

describe('payment methods and the customer they belong to', () => {
  it('attaches a magic test id as a new PaymentMethod', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const customer = await stripe.customers.create({});
    const attached = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    expect(attached.id).toMatch(/^pm_/);
    expect(attached.id).not.toBe('pm_card_visa');
    expect(attached.customer).toBe(customer.id);
    const listed = await stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((m) => m.id)).toEqual([attached.id]);
  });

  it('clears the customer default when that method is detached', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const customer = await stripe.customers.create({});
    const method = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    const updated = await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: method.id } });
    expect(updated.invoice_settings.default_payment_method).toBe(method.id);
    await stripe.paymentMethods.detach(method.id);
    const after = await stripe.customers.retrieve(customer.id);
    expect(!after.deleted && after.invoice_settings.default_payment_method).toBeNull();
  });

  it('advances next_invoice_sequence as invoices are finalized', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const customer = await stripe.customers.create({});
    expect(customer.next_invoice_sequence).toBe(1);
    const invoice = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id, amount: 1000, currency: 'usd' });
    const finalized = await stripe.invoices.finalizeInvoice(invoice.id);
    expect(finalized.number).toMatch(/-0001$/);
    const after = await stripe.customers.retrieve(customer.id);
    expect(!after.deleted && after.next_invoice_sequence).toBe(2);
  });
});
