/**
 * `POST /v1/invoices/:id/pay`: a phased operation on top of the PaymentIntent machinery, so a
 * retried pay can never charge twice. begin: finalize a draft, settle zero/out-of-band invoices
 * at once, otherwise create (or reuse) the invoice's off-session PaymentIntent and start its
 * confirmation (the intent is locked while the processor is asked); call: authorize with the
 * deterministic charge reference; finish: the PaymentIntent outcome and the invoice bookkeeping
 * (paid + invoice_payment, or a counted failed attempt) in one transaction.
 */
import type { AuthorizeResult } from '../../src/domain/cards/processing/protocol';
import { checkInvoiceAction, invoiceTotals, type Invoice } from '../../src/domain/billing/invoice';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { checkChargeAmount } from '../../src/domain/money/amount';
import { isCurrencyCode } from '../../src/domain/money/currency';
import { checkAction, type PaymentIntent } from '../../src/domain/payments/payment-intent';
import { assert } from '../../src/domain/assert';
import { err, ok, type Result } from '../../src/domain/result';
import { randomBase62 } from '../../src/platform/ids';
import { toInvoiceJson } from '../../src/stripe/objects/invoice';
import type { InvoicePayCommand } from '../../src/stripe/params/invoices';
import { emit, type OperationContext, type PhasedOperation } from '../context';
import type { StoredObject } from '../store';
import { loadCustomer } from './customers';
import { cancelInvoiceIntent, finalizeDraft, markInvoicePaid, openInvoicePayment, recordFailedAttempt } from './invoice-lifecycle';
import { loadInvoice, saveInvoice } from './invoice-store';
import { authorize, beginConfirm, finishAuthorization, type ConfirmState } from './payment-intent-confirm';
import { loadIntent, renderIntent, saveIntent } from './payment-intent-store';
import { loadSubscription } from './subscription-store';

export interface InvoicePayState {
  readonly invoiceId: string;
  readonly confirm: ConfirmState;
  /** Billing time of an automatic attempt (a renewal on its period boundary); null: the invoice's clock. */
  readonly at: number | null;
}

function paymentMethodFor(ctx: OperationContext, invoice: Invoice, given: string | undefined): Result<string, DomainError> {
  const subscription = invoice.subscription === null ? null : loadSubscription(ctx, invoice.subscription);
  const customer = loadCustomer(ctx, invoice.customer);
  const method = given ?? invoice.defaultPaymentMethod ?? subscription?.data.defaultPaymentMethod ?? customer?.data.defaultPaymentMethod ?? null;
  if (method !== null) return ok(method);
  return err(
    invalidRequestError(
      'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
      'payment_method',
    ),
  );
}

function newInvoiceIntent(ctx: OperationContext, invoice: Invoice, amount: number): PaymentIntent {
  const id = ctx.newId('pi');
  return {
    id,
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    amount,
    amountCapturable: 0,
    amountReceived: 0,
    currency: invoice.currency,
    customer: invoice.customer,
    description: `Payment for Invoice ${invoice.number ?? invoice.id}`,
    metadata: {},
    status: 'requires_payment_method',
    captureMethod: 'automatic',
    confirmationMethod: 'automatic',
    paymentMethod: null,
    paymentMethodTypes: ['card'],
    allowedPaymentMethodTypes: ['card'],
    automaticPaymentMethods: null,
    clientSecret: `${id}_secret_${randomBase62(25)}`,
    latestCharge: null,
    lastPaymentError: null,
    nextAction: null,
    canceledAt: null,
    cancellationReason: null,
    receiptEmail: null,
    setupFutureUsage: null,
    statementDescriptorSuffix: null,
    returnUrl: null,
    lockedBy: null,
    attempt: null,
  };
}

/** The invoice's PaymentIntent to confirm: the unfinished one, or a new one (with its invoice_payment). */
export function intentFor(ctx: OperationContext, stored: StoredObject<Invoice>, amount: number): Result<StoredObject<PaymentIntent>, DomainError> {
  const invoice = stored.data;
  const existing = invoice.paymentIntent === null ? null : loadIntent(ctx, invoice.paymentIntent);
  if (existing && existing.data.status !== 'canceled') {
    const allowed = checkAction(existing.data, 'confirm');
    return allowed.ok ? ok(existing) : allowed;
  }
  const intent = newInvoiceIntent(ctx, invoice, amount);
  const saved = saveIntent(ctx, null, intent);
  emit(ctx, 'payment_intent.created', renderIntent(ctx, intent));
  openInvoicePayment(ctx, invoice, intent);
  saveInvoice(ctx, stored, { ...invoice, paymentIntent: intent.id });
  return ok(saved);
}

/**
 * Starts collecting an open invoice through its PaymentIntent: `done` when nothing is left to
 * charge, otherwise the saved state of a started confirmation (call `authorize`, then finish).
 */
export function startInvoicePayment(
  ctx: OperationContext,
  stored: StoredObject<Invoice>,
  paymentMethod: string | undefined,
  origin: string,
  at: number | null = null,
): Result<{ readonly state: InvoicePayState } | { readonly done: unknown }, DomainError> {
  const invoice = stored.data;
  if (invoice.status === 'paid') return ok({ done: toInvoiceJson(invoice) });
  const amount = invoiceTotals(invoice).amountRemaining;
  assert(isCurrencyCode(invoice.currency), `invoice ${invoice.id} has a supported currency`);
  const chargeable = checkChargeAmount(amount, invoice.currency, 'amount_remaining');
  if (!chargeable.ok) return chargeable;
  const method = paymentMethodFor(ctx, invoice, paymentMethod);
  if (!method.ok) return method;
  const intent = intentFor(ctx, stored, amount);
  if (!intent.ok) return intent;
  const started = beginConfirm(ctx, intent.value, { paymentMethod: method.value, offSession: true, errorOnRequiresAction: true }, origin);
  if (!started.ok) return started;
  return ok({ state: { invoiceId: invoice.id, confirm: started.value.state, at } });
}

/** Records the attempt's outcome: the PaymentIntent's, then the invoice paid or its failed attempt. */
export function finishInvoicePayment(ctx: OperationContext, state: InvoicePayState, outcome: AuthorizeResult): Result<unknown, DomainError> {
  const result = finishAuthorization(ctx, state.confirm, outcome);
  const stored = loadInvoice(ctx, state.invoiceId);
  const intent = loadIntent(ctx, state.confirm.intentId);
  if (!stored || !intent) throw new Error(`invoice payment of ${state.invoiceId} lost its objects`);
  const at = state.at ?? undefined;
  // Already paid when the intent's success settled it (a Checkout Session collecting this invoice).
  if (intent.data.status === 'succeeded') return ok(toInvoiceJson(stored.data.status === 'paid' ? stored.data : markInvoicePaid(ctx, stored, intent.data, false, at).data));
  recordFailedAttempt(ctx, stored, at);
  if (!result.ok) return result;
  return err(invalidRequestError(`The invoice payment did not complete (PaymentIntent status ${intent.data.status}).`, null, 'invoice_payment_intent_requires_action'));
}

export const payInvoice: PhasedOperation<InvoicePayCommand, InvoicePayState, AuthorizeResult> = {
  kind: 'phased',
  /** A draft is finalized before the payment attempt, and stays finalized if the attempt is refused. */
  prepare(ctx, command) {
    const stored = loadInvoice(ctx, command.id);
    if (stored && stored.data.status === 'draft' && checkInvoiceAction(stored.data, 'pay').ok) finalizeDraft(ctx, stored, undefined, command.at);
  },
  begin(ctx, command) {
    const stored = loadInvoice(ctx, command.id);
    if (!stored) return err(resourceMissing('invoice', command.id));
    const allowed = checkInvoiceAction(stored.data, 'pay');
    if (!allowed.ok) return allowed;
    if (command.paidOutOfBand && stored.data.status !== 'paid') {
      const canceled = cancelInvoiceIntent(ctx, stored.data, 'abandoned');
      if (!canceled.ok) return canceled;
      return ok({ done: toInvoiceJson(markInvoicePaid(ctx, loadInvoice(ctx, stored.id)!, null, true).data) });
    }
    return startInvoicePayment(ctx, stored, command.paymentMethod, command.origin, command.at ?? null);
  },
  call: (state, services) => authorize(state.confirm, services),
  finish: finishInvoicePayment,
};
