/**
 * Invoice state changes shared by the API actions, invoice payment and subscription billing:
 * finalize (number, totals frozen; a zero amount due is paid at once), paid (by a PaymentIntent
 * or out of band), a failed attempt, void. Each writes the invoice with its events and tells the
 * subscription (if any) what happened, in the caller's transaction.
 */
import { invoiceTotals, type Invoice, type InvoicePayment } from '../../src/domain/billing/invoice';
import { resourceMissing, type DomainError } from '../../src/domain/errors';
import { SECONDS_PER_DAY } from '../../src/domain/billing/calendar';
import type { PaymentIntent } from '../../src/domain/payments/payment-intent';
import { ok, err, type Result } from '../../src/domain/result';
import { toInvoiceJson, toInvoicePaymentJson } from '../../src/stripe/objects/invoice';
import { emit, type OperationContext } from '../context';
import { listObjects, type StoredObject } from '../store';
import { loadCustomer } from './customers';
import { clockTime, INVOICE_PAYMENT, loadInvoice, nextInvoiceNumber, saveInvoice, saveInvoicePayment } from './invoice-store';
import { loadIntent, renderIntent, saveIntent } from './payment-intent-store';
import { subscriptionAfterFailure, subscriptionAfterPayment } from './subscription-settle';

function reload(ctx: OperationContext, id: string): StoredObject<Invoice> {
  const stored = loadInvoice(ctx, id);
  if (!stored) throw new Error(`invoice ${id} vanished`);
  return stored;
}

/** draft → open with a number (or straight to paid when nothing is due). */
export function finalizeDraft(ctx: OperationContext, stored: StoredObject<Invoice>, autoAdvance?: boolean, at?: number): StoredObject<Invoice> {
  const invoice = stored.data;
  const now = at ?? clockTime(ctx, invoice.testClock);
  const customer = loadCustomer(ctx, invoice.customer);
  const prefix = customer?.data.invoicePrefix ?? invoice.customer.slice(4, 12).toUpperCase();
  const finalized: Invoice = {
    ...invoice,
    status: 'open',
    number: nextInvoiceNumber(ctx, invoice.customer, prefix),
    autoAdvance: autoAdvance ?? invoice.autoAdvance,
    customerEmail: customer?.data.email ?? invoice.customerEmail,
    customerName: customer?.data.name ?? invoice.customerName,
    effectiveAt: now,
    dueDate: invoice.collectionMethod === 'send_invoice' ? (invoice.dueDate ?? now + (invoice.daysUntilDue ?? 0) * SECONDS_PER_DAY) : null,
    statusTransitions: { ...invoice.statusTransitions, finalizedAt: now },
  };
  const saved = saveInvoice(ctx, stored, finalized);
  emit(ctx, 'invoice.finalized', toInvoiceJson(finalized));
  if (invoiceTotals(finalized).amountDue === 0) return markInvoicePaid(ctx, saved, null, false, now);
  return saved;
}

/** Settles the invoice in full: by `intent` (its invoice_payment becomes paid) or, when null, out of band. */
export function markInvoicePaid(ctx: OperationContext, stored: StoredObject<Invoice>, intent: PaymentIntent | null, outOfBand = false, at?: number): StoredObject<Invoice> {
  const invoice = stored.data;
  const now = at ?? clockTime(ctx, invoice.testClock);
  const totals = invoiceTotals(invoice);
  const paid: Invoice = {
    ...invoice,
    status: 'paid',
    amountPaid: totals.amountDue,
    attempted: invoice.attempted || intent !== null,
    attemptCount: invoice.attemptCount + (intent !== null ? 1 : 0),
    nextPaymentAttempt: null,
    paidOutOfBand: outOfBand,
    statusTransitions: { ...invoice.statusTransitions, paidAt: now },
  };
  const saved = saveInvoice(ctx, stored, paid);
  const json = toInvoiceJson(paid);
  emit(ctx, 'invoice.paid', json);
  if (intent !== null) {
    emit(ctx, 'invoice.payment_succeeded', json);
    settleInvoicePayment(ctx, invoice.id, intent.id, 'paid', now, intent.amountReceived);
  }
  subscriptionAfterPayment(ctx, paid);
  return reload(ctx, saved.id);
}

/** A failed automatic or API attempt: attempted, counted, retry time from the subscription, event. */
export function recordFailedAttempt(ctx: OperationContext, stored: StoredObject<Invoice>, at?: number): StoredObject<Invoice> {
  const invoice = stored.data;
  const now = at ?? clockTime(ctx, invoice.testClock);
  const attempted: Invoice = { ...invoice, attempted: true, attemptCount: invoice.attemptCount + 1 };
  const nextPaymentAttempt = subscriptionAfterFailure(ctx, attempted, now);
  const failed: Invoice = { ...attempted, nextPaymentAttempt };
  saveInvoice(ctx, stored, failed);
  emit(ctx, 'invoice.payment_failed', toInvoiceJson(failed));
  return reload(ctx, invoice.id);
}

function openPayment(ctx: OperationContext, invoiceId: string): StoredObject<InvoicePayment> | null {
  const page = listObjects<InvoicePayment>(ctx.sql, { type: INVOICE_PAYMENT, limit: 10, equals: { parent: invoiceId, status: 'open' } });
  return page.objects[0] ?? null;
}

/** Opens the invoice_payment for a new PaymentIntent of the invoice. */
export function openInvoicePayment(ctx: OperationContext, invoice: Invoice, intent: PaymentIntent): void {
  saveInvoicePayment(ctx, null, {
    id: ctx.newId('inpay'),
    created: clockTime(ctx, invoice.testClock),
    livemode: ctx.livemode,
    invoice: invoice.id,
    amountRequested: intent.amount,
    amountPaid: null,
    currency: intent.currency,
    paymentIntent: intent.id,
    status: 'open',
    paidAt: null,
    canceledAt: null,
  });
}

function settleInvoicePayment(ctx: OperationContext, invoiceId: string, intentId: string, status: 'paid' | 'canceled', now: number, amountPaid: number | null): void {
  const stored = openPayment(ctx, invoiceId);
  if (!stored || stored.data.paymentIntent !== intentId) return;
  const payment: InvoicePayment =
    status === 'paid' ? { ...stored.data, status, amountPaid, paidAt: now } : { ...stored.data, status, canceledAt: now };
  saveInvoicePayment(ctx, stored, payment);
  if (status === 'paid') emit(ctx, 'invoice_payment.paid', toInvoicePaymentJson(payment, ctx.livemode));
}

/**
 * Cancels the invoice's unfinished PaymentIntent (void, paid out of band), as Stripe does. A
 * payment attempt in flight refuses the change (lock_timeout, retryable).
 */
export function cancelInvoiceIntent(ctx: OperationContext, invoice: Invoice, reason: 'void_invoice' | 'abandoned'): Result<true, DomainError> {
  if (invoice.paymentIntent === null) return ok(true);
  const stored = loadIntent(ctx, invoice.paymentIntent);
  if (!stored) return err(resourceMissing('payment_intent', invoice.paymentIntent, 'payment_intent'));
  if (stored.data.lockedBy !== null) return err({ reason: 'object_locked', resource: 'invoice', id: invoice.id });
  if (stored.data.status === 'succeeded' || stored.data.status === 'canceled') return ok(true);
  const canceled: PaymentIntent = { ...stored.data, status: 'canceled', canceledAt: ctx.nowSeconds, cancellationReason: reason, nextAction: null, attempt: null };
  saveIntent(ctx, stored, canceled);
  emit(ctx, 'payment_intent.canceled', renderIntent(ctx, canceled));
  settleInvoicePayment(ctx, invoice.id, stored.id, 'canceled', clockTime(ctx, invoice.testClock), null);
  return ok(true);
}
