/**
 * Refunds: a phased operation. `begin` decides the amount against what is still refundable AND
 * reserves it on the charge (one transaction), so concurrent refunds can never exceed the
 * captured amount while the processor is being called; `finish` books the refund (balance
 * transaction, ledger entry, charge totals, events) and releases the reservation.
 * Pending / failing refunds (test cards) change status later, driven by the alarm.
 */
import type { RefundResult, RefundStatusResult } from '../../src/domain/cards/processing/protocol';
import { decideRefundAmount } from '../../src/domain/balance/decide';
import { refundBalanceTransaction, refundFailureBalanceTransaction } from '../../src/domain/balance/transactions';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { entryForRefund, entryForRefundFailure } from '../../src/domain/ledger/entries';
import { isCurrencyCode } from '../../src/domain/money/currency';
import type { Refund, RefundReason } from '../../src/domain/payments/refund';
import { assert } from '../../src/domain/assert';
import { err, ok, type Result } from '../../src/domain/result';
import type { ListArgs } from '../../src/stripe/list';
import { toChargeJson } from '../../src/stripe/objects/charge';
import { toRefundJson } from '../../src/stripe/objects/refund';
import { applyMetadataPatch, mergeMetadata, type MetadataPatch } from '../../src/stripe/params/common';
import { emit, project, type Handler, type OperationContext, type PhasedOperation, type Services } from '../context';
import { scheduleDueCheck } from '../ledger-store';
import { insertObject, readObject, updateObject, type StoredObject } from '../store';
import { loadCharge, saveCharge } from './charges';
import { listPage } from './lists';
import { postEntry, recordBalanceTransaction } from './money';
import { loadIntent } from './payment-intent-store';

const TYPE = 'refund';

export interface RefundCreateCommand {
  readonly charge?: string;
  readonly paymentIntent?: string;
  readonly amount?: number;
  readonly reason?: RefundReason;
  readonly metadata?: MetadataPatch;
}

export interface RefundState {
  readonly refundId: string;
  readonly chargeId: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly currency: string;
  readonly reason: RefundReason | null;
  readonly metadata: MetadataPatch | undefined;
}

function chargeIdFor(ctx: OperationContext, command: RefundCreateCommand): Result<string, DomainError> {
  if (command.charge !== undefined) return ok(command.charge);
  if (command.paymentIntent === undefined) return err(invalidRequestError('One of `charge` or `payment_intent` is required.', 'charge', 'parameter_missing'));
  const intent = loadIntent(ctx, command.paymentIntent);
  if (!intent) return err(resourceMissing('payment_intent', command.paymentIntent, 'payment_intent'));
  if (intent.data.latestCharge === null || intent.data.amountReceived === 0) {
    return err(invalidRequestError(`This PaymentIntent (${intent.data.id}) does not have a successful charge to refund.`, 'payment_intent', 'charge_not_refundable'));
  }
  return ok(intent.data.latestCharge);
}

function saveRefund(ctx: OperationContext, stored: StoredObject<Refund> | null, refund: Refund): void {
  const index = { parent: refund.charge, status: refund.status };
  const saved = stored
    ? updateObject(ctx.sql, stored, refund, index)
    : insertObject(ctx.sql, { id: refund.id, type: TYPE, created: refund.created, data: refund }, index);
  project(ctx, saved, toRefundJson(refund), { status: refund.status });
}

export const createRefund: PhasedOperation<RefundCreateCommand, RefundState, RefundResult> = {
  kind: 'phased',
  begin(ctx, command) {
    if (command.charge !== undefined && command.paymentIntent !== undefined) {
      return err(invalidRequestError('You may only specify one of these parameters: charge, payment_intent.', 'payment_intent', 'parameters_exclusive'));
    }
    const chargeId = chargeIdFor(ctx, command);
    if (!chargeId.ok) return chargeId;
    const stored = loadCharge(ctx, chargeId.value);
    if (!stored) return err(resourceMissing('charge', chargeId.value, 'charge'));
    const charge = stored.data;
    assert(isCurrencyCode(charge.currency), `charge ${charge.id} has a supported currency`);
    if (!charge.captured || charge.authorizationId === null) {
      return err(invalidRequestError(`Charge ${charge.id} has not been captured; cancel its PaymentIntent to release the authorization.`, 'charge', 'charge_not_refundable'));
    }
    const amount = decideRefundAmount({
      chargeId: charge.id,
      currency: charge.currency,
      captured: charge.amountCaptured,
      refunded: charge.amountRefunded + charge.amountRefundReserved,
      requested: command.amount,
    });
    if (!amount.ok) return amount;
    saveCharge(ctx, stored, { ...charge, amountRefundReserved: charge.amountRefundReserved + amount.value });
    return ok({
      state: {
        refundId: ctx.newId('re'),
        chargeId: charge.id,
        authorizationId: charge.authorizationId,
        amount: amount.value,
        currency: charge.currency,
        reason: command.reason ?? null,
        metadata: command.metadata,
      },
    });
  },
  call(state: RefundState, services: Services) {
    return services.processor.refund({
      reference: `${state.refundId}:refund`,
      merchant: services.merchant,
      authorizationId: state.authorizationId,
      amount: state.amount,
      currency: state.currency,
    });
  },
  finish(ctx, state, result) {
    const stored = loadCharge(ctx, state.chargeId);
    if (!stored) throw new Error(`charge ${state.chargeId} vanished during a refund`);
    const released = { ...stored.data, amountRefundReserved: stored.data.amountRefundReserved - state.amount };
    assert(released.amountRefundReserved >= 0, 'refund reservations never go negative');
    if (result.outcome === 'rejected') {
      saveCharge(ctx, stored, released);
      return err(invalidRequestError(`The refund could not be processed: ${result.message}`, 'amount', result.reason === 'amount_exceeds_refundable' ? 'amount_too_large' : 'processing_error'));
    }
    assert(isCurrencyCode(state.currency), 'refund currency is supported');
    const bt = refundBalanceTransaction({ id: ctx.newId('txn'), sourceId: state.refundId, amount: state.amount, currency: state.currency, createdSeconds: ctx.nowSeconds, description: null });
    const posted = postEntry(ctx, entryForRefund({ amount: state.amount, currency: state.currency }), state.refundId);
    if (!posted.ok) {
      saveCharge(ctx, stored, released);
      return posted;
    }
    recordBalanceTransaction(ctx, bt);
    const refund: Refund = {
      id: state.refundId,
      created: ctx.nowSeconds,
      livemode: ctx.livemode,
      amount: state.amount,
      currency: state.currency,
      charge: state.chargeId,
      paymentIntent: stored.data.paymentIntent,
      reason: state.reason,
      status: result.status === 'pending' ? 'pending' : 'succeeded',
      failureReason: null,
      balanceTransaction: bt.id,
      failureBalanceTransaction: null,
      metadata: applyMetadataPatch({}, state.metadata),
      processorRefundId: result.refundId,
      transitionDueSeconds: result.transition?.atSeconds ?? null,
    };
    saveRefund(ctx, null, refund);
    if (refund.transitionDueSeconds !== null) scheduleDueCheck(ctx.sql, 'refund', refund.id, refund.transitionDueSeconds);
    const charge = { ...released, amountRefunded: released.amountRefunded + state.amount };
    saveCharge(ctx, stored, charge);
    const json = toRefundJson(refund);
    emit(ctx, 'refund.created', json);
    emit(ctx, 'charge.refunded', toChargeJson(charge));
    return ok(json);
  },
};

export function loadRefund(ctx: OperationContext, id: string): StoredObject<Refund> | null {
  return readObject<Refund>(ctx.sql, id, TYPE);
}

export const retrieveRefund: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadRefund(ctx, id);
  if (!stored) return err(resourceMissing('refund', id));
  return ok(toRefundJson(stored.data));
};

/**
 * Stripe cancels only refunds waiting in `requires_action`, a state that refunds of payment methods
 * needing customer action reach; card refunds never do, so every card refund is refused (400), as
 * at Stripe. An unknown refund is a 404.
 */
export const cancelRefund: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadRefund(ctx, id);
  if (!stored) return err(resourceMissing('refund', id));
  return err(invalidRequestError(`You can only cancel a refund with a status of requires_action. This refund (${id}) has a status of ${stored.data.status}.`));
};

export const updateRefund: Handler<{ id: string; metadata?: MetadataPatch }> = (ctx, { id, metadata }) => {
  const stored = loadRefund(ctx, id);
  if (!stored) return err(resourceMissing('refund', id));
  const merged = mergeMetadata(stored.data.metadata, metadata);
  if (!merged.ok) return merged;
  const refund: Refund = { ...stored.data, metadata: merged.value };
  saveRefund(ctx, stored, refund);
  const json = toRefundJson(refund);
  emit(ctx, 'refund.updated', json, { metadata: stored.data.metadata });
  return ok(json);
};

export interface RefundListCommand {
  readonly list: ListArgs;
  readonly charge?: string;
  readonly paymentIntent?: string;
}

export const listRefunds: Handler<RefundListCommand> = (ctx, command) => {
  let charge = command.charge ?? null;
  if (command.paymentIntent !== undefined) {
    const intent = loadIntent(ctx, command.paymentIntent);
    charge = intent?.data.latestCharge ?? 'none';
  }
  return listPage<Refund>(ctx, { type: TYPE, url: '/v1/refunds', list: command.list, equals: { parent: charge }, render: toRefundJson });
};

/**
 * Applies a refund's processor-side status change (pending → succeeded, succeeded → failed).
 * A failure credits the funds back: a `refund_failure` balance transaction and ledger entry,
 * and the charge's amount_refunded goes down again. Idempotent: a final refund is skipped.
 */
export function applyRefundStatus(ctx: OperationContext, refundId: string, status: RefundStatusResult): void {
  const stored = loadRefund(ctx, refundId);
  if (!stored || status.outcome !== 'found') return;
  const refund = stored.data;
  if (refund.status === 'failed' || status.status === refund.status || status.status === 'pending') return;
  assert(isCurrencyCode(refund.currency), 'refund currency is supported');
  let next: Refund = { ...refund, status: status.status, transitionDueSeconds: status.transition?.atSeconds ?? null };
  if (status.status === 'failed') {
    const bt = refundFailureBalanceTransaction({ id: ctx.newId('txn'), sourceId: refund.id, amount: refund.amount, currency: refund.currency, createdSeconds: ctx.nowSeconds, description: null });
    const posted = postEntry(ctx, entryForRefundFailure({ amount: refund.amount, currency: refund.currency }), refund.id);
    assert(posted.ok, 'a refund failure stays within ledger bounds');
    recordBalanceTransaction(ctx, bt);
    next = { ...next, failureReason: status.failureReason ?? 'unknown', failureBalanceTransaction: bt.id };
    const charge = loadCharge(ctx, refund.charge);
    if (charge) saveCharge(ctx, charge, { ...charge.data, amountRefunded: charge.data.amountRefunded - refund.amount });
  }
  saveRefund(ctx, stored, next);
  const json = toRefundJson(next);
  emit(ctx, status.status === 'failed' ? 'refund.failed' : 'refund.updated', json, { status: refund.status });
}
