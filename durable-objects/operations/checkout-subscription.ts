/**
 * Subscription-mode Checkout Sessions on the billing machinery: at creation, the customer (made
 * from `customer_email` when none is given) gets an `incomplete` subscription whose first invoice
 * is finalized with a PaymentIntent (`payment_behavior=default_incomplete`); the hosted page
 * confirms that PaymentIntent. Its success pays the invoice (the subscription turns `active`) and
 * completes the session; expiring the session expires the incomplete subscription (invoice voided).
 */
import { assert } from '../../src/domain/assert';
import type { CheckoutLineItem, CheckoutSession } from '../../src/domain/checkout/session';
import type { DomainError } from '../../src/domain/errors';
import type { PaymentIntent } from '../../src/domain/payments/payment-intent';
import { err, ok, type Result } from '../../src/domain/result';
import type { OperationContext } from '../context';
import { createCustomer } from './customers';
import { markInvoicePaid } from './invoice-lifecycle';
import { loadInvoice } from './invoice-store';
import { expireIncomplete } from './subscription-billing';
import { loadSubscription } from './subscription-store';
import { createSubscription } from './subscriptions';

export interface SubscriptionStart {
  readonly customer: string;
  readonly subscription: string;
  readonly invoice: string;
  readonly intent: string;
}

/** Subscription-mode rules beyond the plan's: only recurring prices (one-time ones would need invoice items), each price once. */
export function checkSubscriptionItems(items: readonly { readonly recurrence: unknown; readonly existing: { readonly id: string } | null }[]): Result<true, DomainError> {
  if (items.some((item) => item.recurrence === null)) {
    return err({ reason: 'invalid_request', message: 'One-time prices in subscription mode are not supported yet: use only recurring prices.', param: 'line_items', code: 'parameter_invalid' });
  }
  const ids = items.flatMap((item) => (item.existing === null ? [] : [item.existing.id]));
  if (new Set(ids).size !== ids.length) {
    return err({ reason: 'invalid_request', message: 'Cannot add multiple subscription items with the same price.', param: 'line_items', code: 'parameter_invalid' });
  }
  return ok(true);
}

function customerFor(ctx: OperationContext, customer: string | undefined, email: string | undefined): Result<string, DomainError> {
  if (customer !== undefined) return ok(customer);
  const created = createCustomer(ctx, { fields: email === undefined ? {} : { email } });
  if (!created.ok) return created;
  return ok((created.value as { id: string }).id);
}

/** Creates the customer (if needed) and the incomplete subscription with its open first invoice. */
export function startSubscription(
  ctx: OperationContext,
  items: readonly CheckoutLineItem[],
  options: { customer?: string; customerEmail?: string; origin: string },
): Result<SubscriptionStart, DomainError> {
  const customer = customerFor(ctx, options.customer, options.customerEmail);
  if (!customer.ok) return customer;
  const begun = createSubscription.begin(ctx, {
    customer: customer.value,
    items: items.map((item) => ({ price: item.price, quantity: item.quantity })),
    paymentBehavior: 'default_incomplete',
    cancelAtPeriodEnd: false,
    origin: options.origin,
  });
  // Everything createSubscription checks was checked before anything was written: a refusal here is a bug.
  assert(begun.ok, `the planned subscription is valid: ${begun.ok ? '' : JSON.stringify(begun.error)}`);
  assert('done' in begun.value, 'a default_incomplete subscription is created without calling the processor');
  const subscription = (begun.value.done as { id: string }).id;
  const invoiceId = loadSubscription(ctx, subscription)?.data.latestInvoice ?? null;
  const invoice = invoiceId === null ? null : loadInvoice(ctx, invoiceId);
  assert(invoice !== null && invoice.data.paymentIntent !== null, 'an incomplete subscription has an open first invoice with a PaymentIntent');
  return ok({ customer: customer.value, subscription, invoice: invoice.id, intent: invoice.data.paymentIntent });
}

/** The first invoice is paid by the session's PaymentIntent: the subscription becomes active. */
export function payFirstInvoice(ctx: OperationContext, session: CheckoutSession, intent: PaymentIntent): void {
  const invoice = session.invoice === null ? null : loadInvoice(ctx, session.invoice);
  if (invoice !== null && invoice.data.status === 'open') markInvoicePaid(ctx, invoice, intent);
}

/** Expiring the session ends its incomplete subscription (the first invoice is voided). */
export function endIncompleteSubscription(ctx: OperationContext, session: CheckoutSession): void {
  const subscription = session.subscription === null ? null : loadSubscription(ctx, session.subscription);
  if (subscription !== null && subscription.data.status === 'incomplete') expireIncomplete(ctx, subscription, ctx.nowSeconds);
}
