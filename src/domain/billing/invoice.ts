/**
 * Invoices and invoice items as the account stores them (camelCase; wire shapes live in
 * src/stripe/objects), the invoice status machine, and totals derived from the lines only —
 * nothing is stored that the lines do not determine, so a shown total can always be re-derived.
 * Pure: no I/O, no clock.
 */
import { assert } from '../assert';
import type { DomainError } from '../errors';
import { AMOUNT_MINOR_MAX } from '../limits';
import { err, ok, type Result } from '../result';

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
export type BillingReason = 'manual' | 'subscription_create' | 'subscription_cycle' | 'subscription_update';
export type CollectionMethod = 'charge_automatically' | 'send_invoice';

export interface Period {
  readonly start: number;
  readonly end: number;
}

/** Where a line came from: a (one-off or proration) invoice item, or a subscription item's period. */
export type LineSource =
  | { readonly type: 'invoice_item'; readonly invoiceItem: string; readonly subscription: string | null }
  | { readonly type: 'subscription_item'; readonly subscriptionItem: string; readonly subscription: string };

export interface InvoiceLine {
  readonly id: string;
  readonly amount: number;
  readonly currency: string;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly quantity: number;
  /** Integer minor units per unit; amount = quantity × unitAmount (a plain amount is quantity 1). */
  readonly unitAmount: number;
  readonly period: Period;
  readonly price: string | null;
  readonly product: string | null;
  readonly proration: boolean;
  readonly source: LineSource;
}

export interface StatusTransitions {
  readonly finalizedAt: number | null;
  readonly markedUncollectibleAt: number | null;
  readonly paidAt: number | null;
  readonly voidedAt: number | null;
}

export interface Invoice {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly customer: string;
  readonly customerEmail: string | null;
  readonly customerName: string | null;
  readonly currency: string;
  readonly status: InvoiceStatus;
  readonly autoAdvance: boolean;
  readonly billingReason: BillingReason;
  readonly collectionMethod: CollectionMethod;
  readonly daysUntilDue: number | null;
  readonly dueDate: number | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly number: string | null;
  readonly defaultPaymentMethod: string | null;
  readonly lines: readonly InvoiceLine[];
  readonly periodStart: number;
  readonly periodEnd: number;
  readonly amountPaid: number;
  readonly attemptCount: number;
  readonly attempted: boolean;
  readonly nextPaymentAttempt: number | null;
  readonly paidOutOfBand: boolean;
  readonly statusTransitions: StatusTransitions;
  readonly effectiveAt: number | null;
  /** The PaymentIntent that collects this invoice (created on the first attempt, reused after). */
  readonly paymentIntent: string | null;
  readonly subscription: string | null;
  readonly testClock: string | null;
  readonly deleted: boolean;
}

export interface InvoiceItem {
  readonly id: string;
  readonly livemode: boolean;
  readonly customer: string;
  readonly date: number;
  readonly amount: number;
  readonly currency: string;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly quantity: number;
  readonly unitAmount: number;
  readonly period: Period;
  readonly price: string | null;
  readonly product: string | null;
  readonly proration: boolean;
  readonly invoice: string | null;
  readonly subscription: string | null;
  readonly testClock: string | null;
  readonly deleted: boolean;
}

export interface InvoiceTotals {
  readonly subtotal: number;
  readonly total: number;
  readonly amountDue: number;
  readonly amountPaid: number;
  readonly amountRemaining: number;
}

/**
 * subtotal = total = Σ line amounts (no taxes or discounts); amount_due = max(total, 0) (a credit
 * total is not carried to the customer balance); amount_remaining = amount_due − amount_paid.
 */
export function invoiceTotals(invoice: Pick<Invoice, 'lines' | 'amountPaid'>): InvoiceTotals {
  let subtotal = 0;
  for (const line of invoice.lines) {
    assert(Number.isSafeInteger(line.amount), `line ${line.id} amount must be an integer`);
    subtotal += line.amount;
  }
  assert(Number.isSafeInteger(subtotal), 'invoice subtotal must be a safe integer');
  const amountDue = Math.max(subtotal, 0);
  assert(invoice.amountPaid >= 0 && invoice.amountPaid <= amountDue, 'amount_paid must lie within amount_due');
  return { subtotal, total: subtotal, amountDue, amountPaid: invoice.amountPaid, amountRemaining: amountDue - invoice.amountPaid };
}

/** quantity × unit amount, refused when it leaves Stripe's eight-digit bound. */
export function lineAmount(quantity: number, unitAmount: number, param: string): Result<number, DomainError> {
  assert(Number.isSafeInteger(quantity) && quantity >= 0, 'quantity is a non-negative integer');
  assert(Number.isSafeInteger(unitAmount), 'unit amount is an integer');
  const amount = quantity * unitAmount;
  if (!Number.isSafeInteger(amount) || Math.abs(amount) > AMOUNT_MINOR_MAX) {
    return err({ reason: 'amount_too_large', param, message: `The amount (quantity × unit amount) must be at most ${AMOUNT_MINOR_MAX} in absolute value.` });
  }
  return ok(amount);
}

/** Whether adding `amount` keeps the invoice total chargeable (within ±AMOUNT_MINOR_MAX). */
export function checkInvoiceTotal(lines: readonly InvoiceLine[], amount: number, param: string): Result<number, DomainError> {
  const next = lines.reduce((sum, line) => sum + line.amount, amount);
  if (Math.abs(next) > AMOUNT_MINOR_MAX) {
    return err({ reason: 'amount_too_large', param, message: `This would bring the invoice total to ${next}, beyond the maximum of ${AMOUNT_MINOR_MAX}.` });
  }
  return ok(next);
}

export type InvoiceAction = 'update' | 'delete' | 'finalize' | 'pay' | 'void' | 'mark_uncollectible' | 'edit_lines' | 'send';

const ALLOWED: Readonly<Record<InvoiceAction, readonly InvoiceStatus[]>> = {
  update: ['draft', 'open', 'uncollectible'],
  delete: ['draft'],
  finalize: ['draft'],
  pay: ['draft', 'open', 'uncollectible'],
  void: ['open', 'uncollectible'],
  mark_uncollectible: ['open'],
  edit_lines: ['draft'],
  send: ['draft', 'open'],
};

const ACTION_WORDS: Readonly<Record<InvoiceAction, string>> = {
  update: 'update it',
  delete: 'delete it',
  finalize: 'finalize it',
  pay: 'pay it',
  void: 'void it',
  mark_uncollectible: 'mark it uncollectible',
  edit_lines: 'change its line items',
  send: 'send it',
};

/** Stripe answers wrong-state invoice actions with `invoice_not_editable`, naming the status. */
export function checkInvoiceAction(invoice: Pick<Invoice, 'id' | 'status'>, action: InvoiceAction): Result<true, DomainError> {
  if (ALLOWED[action].includes(invoice.status)) return ok(true);
  if (action === 'pay' && invoice.status === 'paid') {
    return err({ reason: 'invalid_request', message: 'Invoice is already paid', param: null, code: 'invoice_not_editable' });
  }
  return err({
    reason: 'unexpected_state',
    resource: 'Invoice',
    id: invoice.id,
    status: invoice.status,
    action: ACTION_WORDS[action],
    allowed: ALLOWED[action],
    code: 'invoice_not_editable',
  });
}

/** `<customer prefix>-0001`: the customer's invoice prefix and its next sequence number. */
export function invoiceNumber(prefix: string, sequence: number): string {
  assert(Number.isSafeInteger(sequence) && sequence >= 1, 'invoice sequence starts at 1');
  return `${prefix}-${String(sequence).padStart(4, '0')}`;
}

/** The record of one collection attempt series through a PaymentIntent (`invoice_payment`). */
export interface InvoicePayment {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly invoice: string;
  readonly amountRequested: number;
  readonly amountPaid: number | null;
  readonly currency: string;
  readonly paymentIntent: string;
  readonly status: 'open' | 'paid' | 'canceled';
  readonly paidAt: number | null;
  readonly canceledAt: number | null;
}
