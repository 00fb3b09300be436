/**
 * A subscription's billing steps, each applied synchronously in the caller's transaction: the
 * invoice of a period (one line per item, plus the subscription's pending items such as
 * prorations), renewal into the next period, a planned retry, a scheduled cancellation, an
 * incomplete subscription expiring. Steps that must charge a card return `collect`: the caller
 * pays the invoice through the phased `invoices.pay` operation (outside the transaction).
 */
import type { Period } from '../../src/domain/billing/calendar';
import { checkInvoiceTotal, lineAmount, type BillingReason, type Invoice, type InvoiceItem, type InvoiceLine } from '../../src/domain/billing/invoice';
import { currentPeriod, nextSubscriptionStep, type Subscription } from '../../src/domain/billing/subscription';
import { INVOICE_LINES_MAX } from '../../src/domain/limits';
import { toInvoiceJson } from '../../src/stripe/objects/invoice';
import { emit, type OperationContext } from '../context';
import { listObjects, type StoredObject } from '../store';
import { loadCustomer } from './customers';
import { cancelInvoiceIntent, finalizeDraft, recordFailedAttempt } from './invoice-lifecycle';
import { INVOICE_ITEM, lineForItem, loadInvoice, saveInvoice, saveInvoiceItem } from './invoice-store';
import { loadIntent } from './payment-intent-store';
import { loadPrice } from './prices';
import { loadProduct } from './products';
import { commitSubscription, endSubscription, retryTimeOf } from './subscription-settle';
import { loadSubscription } from './subscription-store';

function itemLines(ctx: OperationContext, subscription: Subscription, period: Period): InvoiceLine[] {
  return subscription.items.map((item) => {
    const amount = lineAmount(item.quantity, item.unitAmount, 'items');
    if (!amount.ok) throw new Error(`subscription ${subscription.id} item ${item.id} exceeds the amount bound`);
    const name = loadProduct(ctx, item.product)?.data.name ?? item.product;
    return {
      id: ctx.newId('il'),
      amount: amount.value,
      currency: subscription.currency,
      description: `${item.quantity} × ${name}`,
      metadata: {},
      quantity: item.quantity,
      unitAmount: item.unitAmount,
      period: { start: period.start, end: period.end },
      price: loadPrice(ctx, item.price)?.id ?? item.price,
      product: item.product,
      proration: false,
      source: { type: 'subscription_item', subscriptionItem: item.id, subscription: subscription.id },
    };
  });
}

/** Pending items of this subscription (prorations, one-offs) move onto the invoice while they fit. */
function pullSubscriptionItems(ctx: OperationContext, invoice: Invoice, lines: InvoiceLine[]): InvoiceLine[] {
  const pending = listObjects<InvoiceItem>(ctx.sql, { type: INVOICE_ITEM, limit: INVOICE_LINES_MAX, equals: { customer: invoice.customer, status: 'pending' } });
  const all = [...lines];
  for (const stored of [...pending.objects].reverse()) {
    const item = stored.data;
    if (item.subscription !== invoice.subscription || item.currency !== invoice.currency || all.length >= INVOICE_LINES_MAX) continue;
    if (!checkInvoiceTotal(all, item.amount, 'amount').ok) continue;
    saveInvoiceItem(ctx, stored, { ...item, invoice: invoice.id });
    all.push(lineForItem(item, ctx.newId('il')));
  }
  return all;
}

/** The draft invoice of `period`, created at `at`, with `invoice.created`. */
export function createPeriodInvoice(ctx: OperationContext, subscription: Subscription, reason: BillingReason, period: Period, at: number): StoredObject<Invoice> {
  const customer = loadCustomer(ctx, subscription.customer);
  const invoice: Invoice = {
    id: ctx.newId('in'),
    created: at,
    livemode: ctx.livemode,
    customer: subscription.customer,
    customerEmail: customer?.data.email ?? null,
    customerName: customer?.data.name ?? null,
    currency: subscription.currency,
    status: 'draft',
    autoAdvance: true,
    billingReason: reason,
    collectionMethod: 'charge_automatically',
    daysUntilDue: null,
    dueDate: null,
    description: null,
    metadata: {},
    number: null,
    defaultPaymentMethod: null,
    lines: [],
    periodStart: period.start,
    periodEnd: period.end,
    amountPaid: 0,
    attemptCount: 0,
    attempted: false,
    nextPaymentAttempt: null,
    paidOutOfBand: false,
    statusTransitions: { finalizedAt: null, markedUncollectibleAt: null, paidAt: null, voidedAt: null },
    effectiveAt: null,
    paymentIntent: null,
    subscription: subscription.id,
    testClock: subscription.testClock,
    deleted: false,
  };
  const withLines: Invoice = { ...invoice, lines: pullSubscriptionItems(ctx, invoice, itemLines(ctx, subscription, period)) };
  const saved = saveInvoice(ctx, null, withLines);
  emit(ctx, 'invoice.created', toInvoiceJson(withLines));
  return saved;
}

export type StepResult =
  | { readonly kind: 'idle' }
  | { readonly kind: 'progressed' }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'collect'; readonly invoiceId: string; readonly attempt: number; readonly at: number };

/** An attempt on the invoice is between its phases (the completer will finish it): wait for it. */
function paymentInFlight(ctx: OperationContext, invoiceId: string | null): boolean {
  const invoice = invoiceId === null ? null : loadInvoice(ctx, invoiceId);
  if (!invoice || invoice.data.status !== 'open' || invoice.data.paymentIntent === null) return false;
  return Boolean(loadIntent(ctx, invoice.data.paymentIntent)?.data.lockedBy);
}

/** Whether the invoice can be charged now: someone must be able to pay, and no attempt is in flight. */
function collect(ctx: OperationContext, invoice: StoredObject<Invoice>, subscription: Subscription, at: number): StepResult {
  if (paymentInFlight(ctx, invoice.id)) return { kind: 'blocked' };
  const customer = loadCustomer(ctx, subscription.customer);
  if (subscription.defaultPaymentMethod === null && !customer?.data.defaultPaymentMethod) {
    recordFailedAttempt(ctx, invoice, at);
    return { kind: 'progressed' };
  }
  return { kind: 'collect', invoiceId: invoice.id, attempt: invoice.data.attemptCount + 1, at };
}

function renew(ctx: OperationContext, stored: StoredObject<Subscription>, at: number): StepResult {
  const next: Subscription = { ...stored.data, periodIndex: stored.data.periodIndex + 1 };
  const draft = createPeriodInvoice(ctx, next, 'subscription_cycle', currentPeriod(next), at);
  const saved = commitSubscription(ctx, stored, { ...next, latestInvoice: draft.id }, null);
  const invoice = finalizeDraft(ctx, draft, undefined, at);
  if (invoice.data.status === 'paid') return { kind: 'progressed' };
  return collect(ctx, invoice, saved.data, at);
}

/** Applies the subscription's next step if it is due at `at` (its own time: clock or account). */
export function takeSubscriptionStep(ctx: OperationContext, subscriptionId: string, at: number): StepResult {
  const stored = loadSubscription(ctx, subscriptionId);
  if (!stored) return { kind: 'idle' };
  if (paymentInFlight(ctx, stored.data.latestInvoice)) return { kind: 'blocked' };
  const step = nextSubscriptionStep(stored.data, retryTimeOf(ctx, stored.data));
  if (step === null || step.at > at) return { kind: 'idle' };
  switch (step.kind) {
    case 'renew':
      return renew(ctx, stored, step.at);
    case 'cancel':
      commitSubscription(ctx, stored, endSubscription(stored.data, step.at, 'cancellation_requested'));
      return { kind: 'progressed' };
    case 'expire_incomplete':
      expireIncomplete(ctx, stored, step.at);
      return { kind: 'progressed' };
    case 'retry_payment': {
      const invoice = loadInvoice(ctx, step.invoice);
      if (!invoice || invoice.data.status !== 'open') {
        commitSubscription(ctx, stored, stored.data, null);
        return { kind: 'progressed' };
      }
      return collect(ctx, invoice, stored.data, step.at);
    }
  }
}

/** An incomplete subscription whose first invoice was never paid: incomplete_expired, invoice voided. */
export function expireIncomplete(ctx: OperationContext, stored: StoredObject<Subscription>, at: number): void {
  const invoice = stored.data.latestInvoice === null ? null : loadInvoice(ctx, stored.data.latestInvoice);
  if (invoice && invoice.data.status === 'open' && cancelInvoiceIntent(ctx, invoice.data, 'void_invoice').ok) {
    const voided: Invoice = { ...invoice.data, status: 'void', nextPaymentAttempt: null, statusTransitions: { ...invoice.data.statusTransitions, voidedAt: at } };
    saveInvoice(ctx, invoice, voided);
    emit(ctx, 'invoice.voided', toInvoiceJson(voided));
  }
  commitSubscription(ctx, stored, { ...stored.data, status: 'incomplete_expired', endedAt: at, incompleteExpiresAt: null }, null);
}
