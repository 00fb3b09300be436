/**
 * Charges: created by payment attempts, captured in full or in part, refunded. The capture
 * bookkeeping (fee, balance transaction, ledger entry) lives here so confirm (automatic capture)
 * and capture (manual) share it.
 */
import type { AuthorizationApproved, AuthorizationDeclined } from '../../src/domain/cards/processing/protocol';
import type { CardProfile } from '../../src/domain/cards/profile';
import { chargeBalanceTransaction } from '../../src/domain/balance/transactions';
import { resourceMissing, type DomainError } from '../../src/domain/errors';
import { entryForCapture } from '../../src/domain/ledger/entries';
import { isCurrencyCode } from '../../src/domain/money/currency';
import { computeProcessingFee } from '../../src/domain/money/fees';
import type { Charge } from '../../src/domain/payments/charge';
import type { PaymentMethod } from '../../src/domain/payments/payment-method';
import { assert } from '../../src/domain/assert';
import { err, ok, type Result } from '../../src/domain/result';
import type { ListArgs } from '../../src/stripe/list';
import { toChargeJson } from '../../src/stripe/objects/charge';
import { mergeMetadata, type MetadataPatch } from '../../src/stripe/params/common';
import { emit, project, type Handler, type OperationContext } from '../context';
import { insertObject, readObject, updateObject, type StoredObject } from '../store';
import { listPage } from './lists';
import { postEntry, recordBalanceTransaction } from './money';

const TYPE = 'charge';

export function loadCharge(ctx: OperationContext, id: string): StoredObject<Charge> | null {
  return readObject<Charge>(ctx.sql, id, TYPE);
}

function index(charge: Charge) {
  return { customer: charge.customer, parent: charge.paymentIntent, status: charge.status };
}

export function saveCharge(ctx: OperationContext, stored: StoredObject<Charge> | null, charge: Charge): StoredObject<Charge> {
  const saved = stored
    ? (updateObject(ctx.sql, stored, charge, index(charge)) as StoredObject<Charge>)
    : (insertObject(ctx.sql, { id: charge.id, type: TYPE, created: charge.created, data: charge }, index(charge)) as StoredObject<Charge>);
  project(ctx, saved, toChargeJson(charge), { customer: charge.customer, status: charge.status });
  return saved;
}

export interface AttemptInfo {
  readonly chargeId: string;
  readonly amount: number;
  readonly currency: string;
  readonly customer: string | null;
  readonly description: string | null;
  readonly paymentIntent: string | null;
  readonly receiptEmail: string | null;
  readonly method: PaymentMethod;
}

function baseCharge(ctx: OperationContext, info: AttemptInfo, card: CardProfile): Omit<Charge, 'status' | 'outcome' | 'failureCode' | 'failureMessage' | 'authorizationId'> {
  return {
    id: info.chargeId,
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    amount: info.amount,
    amountCaptured: 0,
    amountRefunded: 0,
    amountRefundReserved: 0,
    currency: info.currency,
    customer: info.customer,
    description: info.description,
    paymentIntent: info.paymentIntent,
    paymentMethod: info.method.id,
    card,
    fingerprint: info.method.fingerprint,
    billingDetails: info.method.billingDetails,
    captured: false,
    balanceTransaction: null,
    metadata: {},
    receiptEmail: info.receiptEmail,
    authorizationVoided: false,
  };
}

export function failedCharge(ctx: OperationContext, info: AttemptInfo, decline: AttemptDecline): Charge {
  return {
    ...baseCharge(ctx, info, info.method.card),
    status: 'failed',
    failureCode: decline.code,
    failureMessage: decline.message,
    authorizationId: null,
    outcome: {
      type: decline.outcomeType,
      networkStatus: decline.outcomeType === 'blocked' ? 'not_sent_to_network' : 'declined_by_network',
      reason: decline.declineCode,
      sellerMessage: decline.outcomeType === 'blocked' ? 'Stripe blocked this payment.' : 'The bank did not return any further details with this decline.',
    },
  };
}

export function authorizedCharge(ctx: OperationContext, info: AttemptInfo, approved: AuthorizationApproved): Charge {
  return {
    ...baseCharge(ctx, info, info.method.card),
    status: 'succeeded',
    failureCode: null,
    failureMessage: null,
    authorizationId: approved.authorizationId,
    outcome: { type: 'authorized', networkStatus: 'approved_by_network', reason: null, sellerMessage: 'Payment complete.' },
  };
}

/**
 * Books a capture: processing fee, a `charge` balance transaction (pending until available_on,
 * or available now for bypass-pending cards) and the balanced capture entry.
 */
export function bookCapture(ctx: OperationContext, charge: Charge, amount: number, bypassPending: boolean): Result<Charge, DomainError> {
  assert(isCurrencyCode(charge.currency), `charge ${charge.id} has a supported currency`);
  const fees = computeProcessingFee(amount, charge.currency, { international: charge.card.country !== null && charge.card.country !== 'US' });
  const bt = chargeBalanceTransaction({
    id: ctx.newId('txn'),
    sourceId: charge.id,
    amount,
    currency: charge.currency,
    createdSeconds: ctx.nowSeconds,
    description: charge.description,
    fees,
    bypassPending,
    // Card payments are `charge` balance transactions whether or not a PaymentIntent made them
    // (Stripe's `payment` type belongs to `py_` objects of other payment methods).
    type: 'charge',
  });
  const posted = postEntry(ctx, entryForCapture({ amount, fee: fees.fee, currency: charge.currency, bypassPending }), charge.id);
  if (!posted.ok) return posted;
  recordBalanceTransaction(ctx, bt);
  return ok({ ...charge, captured: true, amountCaptured: amount, balanceTransaction: bt.id });
}

/** Records an approved attempt: the charge (booked when captured in the same step) and charge.succeeded. */
export function recordApprovedCharge(ctx: OperationContext, info: AttemptInfo, approved: AuthorizationApproved, extra: Partial<Charge> = {}): Result<Charge, DomainError> {
  let charge: Charge = { ...authorizedCharge(ctx, info, approved), ...extra };
  if (approved.capturedAmount > 0) {
    const booked = bookCapture(ctx, charge, approved.capturedAmount, approved.availability === 'bypass_pending');
    if (!booked.ok) return booked;
    charge = booked.value;
  }
  saveCharge(ctx, null, charge);
  emit(ctx, 'charge.succeeded', toChargeJson(charge));
  return ok(charge);
}

/** Records a declined attempt: a failed charge (no money moves) and charge.failed. */
export function recordDeclinedCharge(ctx: OperationContext, info: AttemptInfo, decline: AttemptDecline): Charge {
  const charge = failedCharge(ctx, info, decline);
  saveCharge(ctx, null, charge);
  emit(ctx, 'charge.failed', toChargeJson(charge));
  return charge;
}

export type AttemptDecline = Pick<AuthorizationDeclined, 'code' | 'declineCode' | 'message' | 'outcomeType'>;

/** A card that needs 3DS where it cannot be performed (off-session, error_on_requires_action, legacy charges). */
export const AUTHENTICATION_REQUIRED: AttemptDecline = {
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
  outcomeType: 'issuer_declined',
};

export const retrieveCharge: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadCharge(ctx, id);
  if (!stored) return err(resourceMissing('charge', id));
  return ok(toChargeJson(stored.data));
};

export const updateCharge: Handler<{ id: string; description?: string | null; metadata?: MetadataPatch }> = (ctx, input) => {
  const stored = loadCharge(ctx, input.id);
  if (!stored) return err(resourceMissing('charge', input.id));
  const metadata = mergeMetadata(stored.data.metadata, input.metadata);
  if (!metadata.ok) return metadata;
  const charge: Charge = { ...stored.data, metadata: metadata.value, description: input.description === undefined ? stored.data.description : input.description };
  const before = toChargeJson(stored.data);
  saveCharge(ctx, stored, charge);
  const json = toChargeJson(charge);
  emit(ctx, 'charge.updated', json, { metadata: before.metadata, description: before.description });
  return ok(json);
};

export interface ChargeListCommand {
  readonly list: ListArgs;
  readonly customer?: string;
  readonly paymentIntent?: string;
}

export const listCharges: Handler<ChargeListCommand> = (ctx, command) =>
  listPage<Charge>(ctx, {
    type: TYPE,
    url: '/v1/charges',
    list: command.list,
    equals: { customer: command.customer ?? null, parent: command.paymentIntent ?? null },
    render: toChargeJson,
  });
