/**
 * Legacy direct charges (`POST /v1/charges` with `source=tok_…` or a PaymentMethod), and capture
 * of an uncaptured legacy charge. Same phases and bookkeeping as PaymentIntents, without an intent.
 * A card that needs 3DS cannot be authenticated on this legacy path: it declines with
 * authentication_required.
 */
import type { AuthorizeResult, CaptureResult } from '../../src/domain/cards/processing/protocol';
import type { CardProfile } from '../../src/domain/cards/profile';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { err, ok, type Result } from '../../src/domain/result';
import { toChargeJson } from '../../src/stripe/objects/charge';
import { toPaymentMethodJson } from '../../src/stripe/objects/payment-method';
import { applyMetadataPatch, type MetadataPatch } from '../../src/stripe/params/common';
import { emit, type OperationContext, type PhasedOperation } from '../context';
import { AUTHENTICATION_REQUIRED, bookCapture, loadCharge, recordApprovedCharge, recordDeclinedCharge, saveCharge, type AttemptInfo } from './charges';
import { loadCustomer } from './customers';
import { consumePaymentMethod, createPaymentMethodFromToken, loadPaymentMethod, resolvePaymentMethod } from './payment-methods';

export interface LegacyChargeCommand {
  readonly amount: number;
  readonly currency: string;
  readonly source: string;
  readonly customer?: string;
  readonly capture: boolean;
  readonly description?: string | null;
  readonly receiptEmail?: string | null;
  readonly metadata?: MetadataPatch;
}

interface LegacyChargeState {
  readonly chargeId: string;
  readonly paymentMethodId: string;
  readonly amount: number;
  readonly currency: string;
  readonly capture: boolean;
  readonly customer: string | null;
  readonly description: string | null;
  readonly receiptEmail: string | null;
  readonly metadata: MetadataPatch | undefined;
  readonly card: CardProfile;
}

function resolveSource(ctx: OperationContext, command: LegacyChargeCommand): Result<string, DomainError> {
  if (command.source.startsWith('tok_')) {
    const created = createPaymentMethodFromToken(ctx, command.source, 'source');
    return created.ok ? ok(created.value.id) : created;
  }
  const method = resolvePaymentMethod(ctx, command.source, 'source', command.customer ?? null);
  if (!method.ok) return method;
  consumePaymentMethod(ctx, method.value);
  return ok(method.value.id);
}

function info(ctx: OperationContext, state: LegacyChargeState): AttemptInfo {
  const method = loadPaymentMethod(ctx, state.paymentMethodId);
  if (!method) throw new Error(`payment method ${state.paymentMethodId} vanished during a charge`);
  return {
    chargeId: state.chargeId,
    amount: state.amount,
    currency: state.currency,
    customer: state.customer,
    description: state.description,
    paymentIntent: null,
    receiptEmail: state.receiptEmail,
    method: method.data,
  };
}

export const createLegacyCharge: PhasedOperation<LegacyChargeCommand, LegacyChargeState, AuthorizeResult> = {
  kind: 'phased',
  begin(ctx, command) {
    if (command.customer !== undefined) {
      const customer = loadCustomer(ctx, command.customer);
      if (!customer || customer.data.deleted) return err(resourceMissing('customer', command.customer, 'customer'));
    }
    const source = resolveSource(ctx, command);
    if (!source.ok) return source;
    const method = loadPaymentMethod(ctx, source.value)!;
    return ok({
      state: {
        chargeId: ctx.newId('ch'),
        paymentMethodId: source.value,
        amount: command.amount,
        currency: command.currency,
        capture: command.capture,
        customer: command.customer ?? null,
        description: command.description ?? null,
        receiptEmail: command.receiptEmail ?? null,
        metadata: command.metadata,
        card: method.data.card,
      },
    });
  },
  call(state, services) {
    return services.processor.authorize({
      reference: `${state.chargeId}:authorize`,
      merchant: services.merchant,
      amount: state.amount,
      currency: state.currency,
      card: state.card,
      capture: state.capture,
      offSession: true,
      authenticated: false,
    });
  },
  finish(ctx, state, result) {
    const attempt = info(ctx, state);
    if (result.outcome === 'approved') {
      const charge = recordApprovedCharge(ctx, attempt, result, { metadata: applyMetadataPatch({}, state.metadata) });
      return charge.ok ? ok(toChargeJson(charge.value)) : charge;
    }
    if (result.outcome === 'rejected') return err(invalidRequestError(`The charge could not be processed: ${result.message}`, null, 'processing_error'));
    const decline = result.outcome === 'declined' ? result : AUTHENTICATION_REQUIRED;
    const charge = recordDeclinedCharge(ctx, attempt, decline);
    return err({
      reason: 'payment_failed',
      code: decline.code,
      declineCode: decline.declineCode,
      message: decline.message,
      chargeId: charge.id,
      paymentIntent: null,
      paymentMethod: toPaymentMethodJson(attempt.method),
    });
  },
};

interface LegacyCaptureState {
  readonly chargeId: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly currency: string;
}

export const captureLegacyCharge: PhasedOperation<{ id: string; amount?: number }, LegacyCaptureState, CaptureResult> = {
  kind: 'phased',
  begin(ctx, command) {
    const stored = loadCharge(ctx, command.id);
    if (!stored) return err(resourceMissing('charge', command.id));
    const charge = stored.data;
    if (charge.paymentIntent !== null) {
      return err(invalidRequestError(`Charge ${charge.id} belongs to PaymentIntent ${charge.paymentIntent}; capture the PaymentIntent instead.`, null, 'charge_not_capturable'));
    }
    if (charge.captured || charge.status !== 'succeeded' || charge.authorizationId === null || charge.authorizationVoided) {
      return err(invalidRequestError(`Charge ${charge.id} has already been captured.`, null, 'charge_already_captured'));
    }
    const amount = command.amount ?? charge.amount;
    if (amount <= 0 || amount > charge.amount) {
      return err(invalidRequestError(`The amount to capture must be between 1 and the authorized ${charge.amount}.`, 'amount', 'amount_too_large'));
    }
    return ok({ state: { chargeId: charge.id, authorizationId: charge.authorizationId, amount, currency: charge.currency } });
  },
  call(state, services) {
    return services.processor.capture({ reference: `${state.chargeId}:capture`, merchant: services.merchant, authorizationId: state.authorizationId, amount: state.amount, currency: state.currency });
  },
  finish(ctx, state, result) {
    const stored = loadCharge(ctx, state.chargeId);
    if (!stored) throw new Error(`charge ${state.chargeId} vanished during capture`);
    if (stored.data.captured) return ok(toChargeJson(stored.data));
    if (result.outcome === 'rejected') return err(invalidRequestError(`The capture could not be processed: ${result.message}`, null, 'processing_error'));
    const booked = bookCapture(ctx, stored.data, result.capturedAmount, false);
    if (!booked.ok) return booked;
    saveCharge(ctx, stored, booked.value);
    const json = toChargeJson(booked.value);
    emit(ctx, 'charge.captured', json);
    return ok(json);
  },
};
