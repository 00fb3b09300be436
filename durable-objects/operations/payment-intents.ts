/** PaymentIntents: create (optionally confirming), retrieve, update, list, capture, cancel. */
import type { AuthorizeResult, CaptureResult, VoidResult } from '../../src/domain/cards/processing/protocol';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { restingStatus, type CancellationReason, type PaymentIntent } from '../../src/domain/payments/payment-intent';
import { err, ok, type Result } from '../../src/domain/result';
import { assert } from '../../src/domain/assert';
import { checkChargeAmount } from '../../src/domain/money/amount';
import { isCurrencyCode } from '../../src/domain/money/currency';
import { randomBase62 } from '../../src/platform/ids';
import { toChargeJson } from '../../src/stripe/objects/charge';
import { applyMetadataPatch, mergeMetadata, type MetadataPatch } from '../../src/stripe/params/common';
import type { PaymentIntentCreateCommand, PaymentIntentListCommand, PaymentIntentUpdateCommand } from '../../src/stripe/params/payment-intents';
import { emit, type Handler, type OperationContext, type PhasedOperation } from '../context';
import { bookCapture, loadCharge, saveCharge } from './charges';
import { loadCustomer } from './customers';
import { listPage } from './lists';
import { authorize, beginConfirm, finishAuthorization, type ConfirmState } from './payment-intent-confirm';
import { checkIntentAction, loadIntent, PAYMENT_INTENT, renderIntent, saveIntent } from './payment-intent-store';
import { resolvePaymentMethod } from './payment-methods';

function checkCustomer(ctx: OperationContext, customer: string | undefined): Result<string | null, DomainError> {
  if (customer === undefined) return ok(null);
  const stored = loadCustomer(ctx, customer);
  if (!stored || stored.data.deleted) return err(resourceMissing('customer', customer, 'customer'));
  return ok(customer);
}

export const createPaymentIntent: PhasedOperation<PaymentIntentCreateCommand, ConfirmState, AuthorizeResult> = {
  kind: 'phased',
  begin(ctx, command) {
    const customer = checkCustomer(ctx, command.customer);
    if (!customer.ok) return customer;
    const id = ctx.newId('pi');
    const draft: PaymentIntent = {
      id,
      created: ctx.nowSeconds,
      livemode: ctx.livemode,
      amount: command.amount,
      amountCapturable: 0,
      amountReceived: 0,
      currency: command.currency,
      customer: customer.value,
      description: command.description ?? null,
      metadata: applyMetadataPatch({}, command.metadata),
      status: restingStatus(null),
      captureMethod: command.captureMethod,
      confirmationMethod: command.confirmationMethod,
      paymentMethod: null,
      paymentMethodTypes: command.paymentMethodTypes,
      allowedPaymentMethodTypes: command.allowedPaymentMethodTypes,
      automaticPaymentMethods: command.automaticPaymentMethods,
      clientSecret: `${id}_secret_${randomBase62(25)}`,
      latestCharge: null,
      lastPaymentError: null,
      nextAction: null,
      canceledAt: null,
      cancellationReason: null,
      receiptEmail: command.options.receiptEmail ?? null,
      setupFutureUsage: command.options.setupFutureUsage ?? null,
      statementDescriptorSuffix: command.statementDescriptorSuffix ?? null,
      returnUrl: command.options.returnUrl ?? null,
      lockedBy: null,
      attempt: null,
    };
    // With confirm=true the payment method is resolved by the confirmation. A refused confirmation
    // leaves no intent (nor payment method) behind: the engine undoes a refused begin's writes.
    let resolved: string | null = null;
    if (command.options.paymentMethod !== undefined && !command.confirm) {
      const method = resolvePaymentMethod(ctx, command.options.paymentMethod, 'payment_method', customer.value);
      if (!method.ok) return method;
      resolved = method.value.id;
    }
    const intent: PaymentIntent = { ...draft, paymentMethod: resolved, status: restingStatus(resolved) };
    const stored = saveIntent(ctx, null, intent);
    emit(ctx, 'payment_intent.created', renderIntent(ctx, intent));
    if (!command.confirm) return ok({ done: renderIntent(ctx, intent) });
    return beginConfirm(ctx, stored, command.options, command.origin);
  },
  call: authorize,
  finish: finishAuthorization,
};

export const retrievePaymentIntent: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadIntent(ctx, id);
  if (!stored) return err(resourceMissing('payment_intent', id));
  return ok(renderIntent(ctx, stored.data));
};

export const updatePaymentIntent: Handler<{ id: string; command: PaymentIntentUpdateCommand }> = (ctx, { id, command }) => {
  const stored = loadIntent(ctx, id);
  if (!stored) return err(resourceMissing('payment_intent', id));
  const allowed = checkIntentAction(ctx, stored.data, 'update');
  if (!allowed.ok) return allowed;
  const customer = checkCustomer(ctx, command.customer);
  if (!customer.ok) return customer;
  const metadata = mergeMetadata(stored.data.metadata, command.metadata);
  if (!metadata.ok) return metadata;
  let intent: PaymentIntent = {
    ...stored.data,
    amount: command.amount ?? stored.data.amount,
    currency: command.currency ?? stored.data.currency,
    customer: customer.value ?? stored.data.customer,
    description: command.description === undefined ? stored.data.description : command.description,
    metadata: metadata.value,
    receiptEmail: command.receiptEmail === undefined ? stored.data.receiptEmail : command.receiptEmail,
    captureMethod: command.captureMethod ?? stored.data.captureMethod,
    setupFutureUsage: command.setupFutureUsage ?? stored.data.setupFutureUsage,
    statementDescriptorSuffix: command.statementDescriptorSuffix === undefined ? stored.data.statementDescriptorSuffix : command.statementDescriptorSuffix,
  };
  if (command.paymentMethod !== undefined) {
    const method = resolvePaymentMethod(ctx, command.paymentMethod, 'payment_method', intent.customer);
    if (!method.ok) return method;
    intent = { ...intent, paymentMethod: method.value.id, status: 'requires_confirmation', lastPaymentError: null, nextAction: null, attempt: null };
  }
  const before = renderIntent(ctx, stored.data);
  saveIntent(ctx, stored, intent);
  const json = renderIntent(ctx, intent);
  const previous: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) if (JSON.stringify(value) !== JSON.stringify((before as Record<string, unknown>)[key])) previous[key] = (before as Record<string, unknown>)[key];
  if (Object.keys(previous).length > 0) emit(ctx, 'payment_intent.updated', json, previous);
  return ok(json);
};

export const listPaymentIntents: Handler<PaymentIntentListCommand> = (ctx, command) =>
  listPage<PaymentIntent>(ctx, {
    type: PAYMENT_INTENT,
    url: '/v1/payment_intents',
    list: command.list,
    equals: { customer: command.customer ?? null },
    render: (intent) => renderIntent(ctx, intent),
  });

// ── Capture ─────────────────────────────────────────────────────────────────

export interface CaptureState {
  readonly intentId: string;
  readonly chargeId: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly currency: string;
  readonly metadata: MetadataPatch | undefined;
}

export const capturePaymentIntent: PhasedOperation<{ id: string; amountToCapture?: number; metadata?: MetadataPatch }, CaptureState, CaptureResult> = {
  kind: 'phased',
  begin(ctx, command) {
    const stored = loadIntent(ctx, command.id);
    if (!stored) return err(resourceMissing('payment_intent', command.id));
    const allowed = checkIntentAction(ctx, stored.data, 'capture');
    if (!allowed.ok) return allowed;
    const intent = stored.data;
    const amount = command.amountToCapture ?? intent.amountCapturable;
    if (amount <= 0 || amount > intent.amountCapturable) {
      return err(
        invalidRequestError(
          `The amount to capture (${amount}) must be greater than zero and less than or equal to the amount capturable (${intent.amountCapturable}).`,
          'amount_to_capture',
          'amount_too_large',
        ),
      );
    }
    assert(isCurrencyCode(intent.currency), `payment intent ${intent.id} has a supported currency`);
    const minimum = checkChargeAmount(amount, intent.currency, 'amount_to_capture');
    if (!minimum.ok) return minimum;
    const charge = intent.latestCharge === null ? null : loadCharge(ctx, intent.latestCharge);
    if (!charge || charge.data.authorizationId === null) throw new Error(`payment intent ${intent.id} has no authorised charge`);
    saveIntent(ctx, stored, { ...intent, lockedBy: charge.id });
    return ok({
      state: { intentId: intent.id, chargeId: charge.id, authorizationId: charge.data.authorizationId, amount, currency: intent.currency, metadata: command.metadata },
    });
  },
  call(state, services) {
    return services.processor.capture({
      reference: `${state.chargeId}:capture`,
      merchant: services.merchant,
      authorizationId: state.authorizationId,
      amount: state.amount,
      currency: state.currency,
    });
  },
  finish(ctx, state, result) {
    const stored = loadIntent(ctx, state.intentId);
    const charge = loadCharge(ctx, state.chargeId);
    if (!stored || !charge) throw new Error(`capture of ${state.intentId} lost its objects`);
    if (result.outcome === 'rejected') {
      saveIntent(ctx, stored, { ...stored.data, lockedBy: null });
      return err(invalidRequestError(`The capture could not be processed: ${result.message}`, null, result.reason === 'authorization_expired' ? 'charge_expired_for_capture' : 'processing_error'));
    }
    // A bypass-pending card skips the pending balance whether captured at once or later.
    const booked = bookCapture(ctx, charge.data, result.capturedAmount, charge.data.card.behaviour.availability === 'bypass_pending');
    if (!booked.ok) return booked;
    saveCharge(ctx, charge, booked.value);
    const intent: PaymentIntent = {
      ...stored.data,
      status: 'succeeded',
      amountReceived: result.capturedAmount,
      amountCapturable: 0,
      metadata: applyMetadataPatch(stored.data.metadata, state.metadata),
      lockedBy: null,
    };
    saveIntent(ctx, stored, intent);
    const json = renderIntent(ctx, intent);
    emit(ctx, 'charge.captured', toChargeJson(booked.value));
    emit(ctx, 'payment_intent.succeeded', json);
    return ok(json);
  },
};

// ── Cancel ──────────────────────────────────────────────────────────────────

export interface CancelState {
  readonly intentId: string;
  readonly chargeId: string;
  readonly authorizationId: string;
  readonly reason: CancellationReason | null;
}

function markCanceled(ctx: OperationContext, id: string, reason: CancellationReason | null): unknown {
  const stored = loadIntent(ctx, id)!;
  const intent: PaymentIntent = {
    ...stored.data,
    status: 'canceled',
    canceledAt: ctx.nowSeconds,
    cancellationReason: reason,
    amountCapturable: 0,
    nextAction: null,
    attempt: null,
    lockedBy: null,
  };
  saveIntent(ctx, stored, intent);
  const json = renderIntent(ctx, intent);
  emit(ctx, 'payment_intent.canceled', json);
  return json;
}

export const cancelPaymentIntent: PhasedOperation<{ id: string; cancellationReason: CancellationReason | null }, CancelState, VoidResult> = {
  kind: 'phased',
  begin(ctx, command) {
    const stored = loadIntent(ctx, command.id);
    if (!stored) return err(resourceMissing('payment_intent', command.id));
    const allowed = checkIntentAction(ctx, stored.data, 'cancel');
    if (!allowed.ok) return allowed;
    const charge = stored.data.latestCharge === null ? null : loadCharge(ctx, stored.data.latestCharge);
    if (stored.data.status !== 'requires_capture' || !charge || charge.data.authorizationId === null) {
      return ok({ done: markCanceled(ctx, command.id, command.cancellationReason) });
    }
    saveIntent(ctx, stored, { ...stored.data, lockedBy: charge.id });
    return ok({ state: { intentId: command.id, chargeId: charge.id, authorizationId: charge.data.authorizationId, reason: command.cancellationReason } });
  },
  call(state, services) {
    return services.processor.void({ reference: `${state.chargeId}:void`, merchant: services.merchant, authorizationId: state.authorizationId });
  },
  finish(ctx, state, result) {
    const charge = loadCharge(ctx, state.chargeId);
    if (result.outcome === 'rejected' && result.reason !== 'already_voided' && result.reason !== 'authorization_expired') {
      const stored = loadIntent(ctx, state.intentId)!;
      saveIntent(ctx, stored, { ...stored.data, lockedBy: null });
      return err(invalidRequestError(`The authorization could not be released: ${result.message}`, null, 'processing_error'));
    }
    if (charge) saveCharge(ctx, charge, { ...charge.data, authorizationVoided: true });
    return ok(markCanceled(ctx, state.intentId, state.reason));
  },
};
