/**
 * Confirming a PaymentIntent: a phased operation. `beginConfirm` checks the state, resolves the
 * payment method, reserves a charge id and locks the intent (one transaction); the processor is
 * called with the deterministic reference `<charge id>:authorize`; `finishAuthorization` records
 * the outcome — charge, balance transaction, ledger entry, intent status, events — in a second
 * transaction. 3DS: on-session cards needing authentication leave the intent `requires_action`
 * with a test-mode challenge page; completing it re-sends the same reference, authenticated.
 */
import type { AuthorizeResult } from '../../src/domain/cards/processing/protocol';
import type { CardProfile } from '../../src/domain/cards/profile';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { needsReturnUrl, type PaymentIntent } from '../../src/domain/payments/payment-intent';
import { err, ok, type Result } from '../../src/domain/result';
import type { ConfirmOptions } from '../../src/stripe/params/payment-intents';
import { toPaymentMethodJson } from '../../src/stripe/objects/payment-method';
import { emit, type OperationContext, type PhasedOperation, type Services } from '../context';
import type { StoredObject } from '../store';
import { completeSessionForIntent } from './checkout-session-store';
import { AUTHENTICATION_REQUIRED, recordApprovedCharge, recordDeclinedCharge, type AttemptDecline, type AttemptInfo } from './charges';
import { consumePaymentMethod, loadPaymentMethod, resolvePaymentMethod } from './payment-methods';
import { checkIntentAction, loadIntent, renderIntent, saveIntent } from './payment-intent-store';

export interface ConfirmState {
  readonly intentId: string;
  readonly chargeId: string;
  readonly paymentMethodId: string;
  readonly amount: number;
  readonly currency: string;
  readonly capture: boolean;
  readonly offSession: boolean;
  readonly errorOnRequiresAction: boolean;
  readonly authenticated: boolean;
  readonly card: CardProfile;
  readonly origin: string;
}

/**
 * Whether `intent` can be confirmed with `options` (a payment method, and a return_url when
 * redirects are allowed), checked before anything is written; the payment method itself is
 * resolved afterwards.
 */
function checkConfirmable(intent: PaymentIntent, options: ConfirmOptions): Result<{ methodId: string; returnUrl: string | null }, DomainError> {
  const methodId = options.paymentMethod ?? intent.paymentMethod;
  if (methodId === null) {
    return err(
      invalidRequestError(
        "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with " +
          `${intent.customer ?? 'a customer'}, specify a payment method attached to this customer along with the customer ID.`,
        'payment_method',
        'payment_intent_unexpected_state',
      ),
    );
  }
  const returnUrl = options.returnUrl ?? intent.returnUrl;
  if (needsReturnUrl(intent, returnUrl)) {
    return err(
      invalidRequestError(
        'This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment ' +
          'methods might redirect your customer off of your page, you must provide a `return_url`. If you do not want to accept ' +
          'redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and ' +
          '`automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.',
        'return_url',
        null,
      ),
    );
  }
  return ok({ methodId, returnUrl });
}

/** Applies confirm options and starts an attempt; the caller has checked the intent may be confirmed. */
export function beginConfirm(
  ctx: OperationContext,
  stored: StoredObject<PaymentIntent>,
  options: ConfirmOptions,
  origin: string,
): Result<{ state: ConfirmState }, DomainError> {
  let intent = stored.data;
  const confirmable = checkConfirmable(intent, options);
  if (!confirmable.ok) return confirmable;
  const { methodId, returnUrl } = confirmable.value;
  // Re-confirming an intent that awaits 3DS with that attempt's payment method: this very intent
  // spent it, so "previously used" does not apply.
  const ownAttempt = intent.status === 'requires_action' && intent.attempt?.paymentMethod === methodId ? loadPaymentMethod(ctx, methodId) : null;
  const method = ownAttempt !== null ? ok(ownAttempt) : resolvePaymentMethod(ctx, methodId, 'payment_method', intent.customer);
  if (!method.ok) return method;
  consumePaymentMethod(ctx, method.value);
  const chargeId = ctx.newId('ch');
  intent = {
    ...intent,
    paymentMethod: method.value.id,
    returnUrl,
    captureMethod: options.captureMethod ?? intent.captureMethod,
    receiptEmail: options.receiptEmail === undefined ? intent.receiptEmail : options.receiptEmail,
    setupFutureUsage: options.setupFutureUsage ?? intent.setupFutureUsage,
    lastPaymentError: null,
    nextAction: null,
    lockedBy: chargeId,
    attempt: null,
  };
  saveIntent(ctx, stored, intent);
  return ok({
    state: {
      intentId: intent.id,
      chargeId,
      paymentMethodId: method.value.id,
      amount: intent.amount,
      currency: intent.currency,
      capture: intent.captureMethod !== 'manual',
      offSession: options.offSession,
      errorOnRequiresAction: options.errorOnRequiresAction,
      authenticated: false,
      card: method.value.data.card,
      origin,
    },
  });
}

export function authorize(state: ConfirmState, services: Services): Promise<AuthorizeResult> {
  return services.processor.authorize({
    reference: `${state.chargeId}:authorize`,
    merchant: services.merchant,
    amount: state.amount,
    currency: state.currency,
    card: state.card,
    capture: state.capture,
    offSession: state.offSession,
    authenticated: state.authenticated,
  });
}

function attemptInfo(intent: PaymentIntent, state: ConfirmState, ctx: OperationContext): AttemptInfo {
  const method = loadPaymentMethod(ctx, state.paymentMethodId);
  if (!method) throw new Error(`payment method ${state.paymentMethodId} vanished during confirmation`);
  return {
    chargeId: state.chargeId,
    amount: state.amount,
    currency: state.currency,
    customer: intent.customer,
    description: intent.description,
    paymentIntent: intent.id,
    receiptEmail: intent.receiptEmail,
    method: method.data,
  };
}

/** The capability in the challenge URL: only whoever holds it can complete or fail the 3DS step. */
export function challengeToken(ctx: OperationContext, intentId: string): string {
  return ctx.keyedDigest(`3ds:${intentId}`).slice(0, 32);
}

function challengeUrl(ctx: OperationContext, state: ConfirmState): string {
  const merchant = `${ctx.accountId}:${ctx.livemode ? 'live' : 'test'}`;
  return `${state.origin}/_edgepay/authenticate/${encodeURIComponent(merchant)}/${state.intentId}/${challengeToken(ctx, state.intentId)}`;
}

export function finishAuthorization(ctx: OperationContext, state: ConfirmState, result: AuthorizeResult): Result<unknown, DomainError> {
  const stored = loadIntent(ctx, state.intentId);
  if (!stored) throw new Error(`payment intent ${state.intentId} vanished during confirmation`);
  const intent = stored.data;
  const info = attemptInfo(intent, state, ctx);
  switch (result.outcome) {
    case 'approved': {
      const recorded = recordApprovedCharge(ctx, info, result);
      if (!recorded.ok) return recorded;
      const charge = recorded.value;
      const next: PaymentIntent = {
        ...intent,
        status: charge.captured ? 'succeeded' : 'requires_capture',
        amountReceived: charge.amountCaptured,
        amountCapturable: charge.captured ? 0 : state.amount,
        latestCharge: charge.id,
        lockedBy: null,
        attempt: null,
        nextAction: null,
      };
      saveIntent(ctx, stored, next);
      const json = renderIntent(ctx, next);
      emit(ctx, charge.captured ? 'payment_intent.succeeded' : 'payment_intent.amount_capturable_updated', json);
      if (charge.captured) completeSessionForIntent(ctx, next);
      return ok(json);
    }
    case 'requires_authentication': {
      if (state.errorOnRequiresAction) return decline(ctx, stored, state, info, AUTHENTICATION_REQUIRED);
      const next: PaymentIntent = {
        ...intent,
        status: 'requires_action',
        nextAction: { type: 'redirect_to_url', url: challengeUrl(ctx, state), returnUrl: intent.returnUrl },
        lockedBy: null,
        attempt: { chargeId: state.chargeId, paymentMethod: state.paymentMethodId, offSession: state.offSession },
      };
      saveIntent(ctx, stored, next);
      const json = renderIntent(ctx, next);
      emit(ctx, 'payment_intent.requires_action', json);
      return ok(json);
    }
    case 'declined':
      return decline(ctx, stored, state, info, result);
    case 'rejected': {
      saveIntent(ctx, stored, { ...intent, lockedBy: null });
      return err(invalidRequestError(`The payment could not be processed: ${result.message}`, null, 'processing_error'));
    }
  }
}

function decline(
  ctx: OperationContext,
  stored: StoredObject<PaymentIntent>,
  state: ConfirmState,
  info: AttemptInfo,
  decline: AttemptDecline,
): Result<unknown, DomainError> {
  const charge = recordDeclinedCharge(ctx, info, decline);
  const next: PaymentIntent = {
    ...stored.data,
    status: 'requires_payment_method',
    paymentMethod: null,
    latestCharge: charge.id,
    lastPaymentError: {
      type: 'card_error',
      code: decline.code,
      declineCode: decline.declineCode,
      message: decline.message,
      charge: charge.id,
      paymentMethod: state.paymentMethodId,
    },
    nextAction: null,
    lockedBy: null,
    attempt: null,
  };
  saveIntent(ctx, stored, next);
  const json = renderIntent(ctx, next);
  emit(ctx, 'payment_intent.payment_failed', json);
  return err({
    reason: 'payment_failed',
    code: decline.code,
    declineCode: decline.declineCode,
    message: decline.message,
    chargeId: charge.id,
    paymentIntent: json,
    paymentMethod: toPaymentMethodJson(info.method),
  });
}

export interface ConfirmCommand {
  readonly id: string;
  readonly options: ConfirmOptions;
  readonly origin: string;
}

export const confirmPaymentIntent: PhasedOperation<ConfirmCommand, ConfirmState, AuthorizeResult> = {
  kind: 'phased',
  begin(ctx, command) {
    const stored = loadIntent(ctx, command.id);
    if (!stored) return err(resourceMissing('payment_intent', command.id));
    const allowed = checkIntentAction(ctx, stored.data, 'confirm');
    if (!allowed.ok) return allowed;
    return beginConfirm(ctx, stored, command.options, command.origin);
  },
  call: authorize,
  finish: finishAuthorization,
};
