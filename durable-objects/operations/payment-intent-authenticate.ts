/**
 * The test-mode 3DS challenge outcome: `complete` re-sends the reserved attempt with the same
 * downstream reference, now authenticated; `fail` returns the intent to requires_payment_method.
 */
import type { AuthorizeResult } from '../../src/domain/cards/processing/protocol';
import { invalidRequestError, resourceMissing } from '../../src/domain/errors';
import type { PaymentIntent } from '../../src/domain/payments/payment-intent';
import { err, ok } from '../../src/domain/result';
import { emit, type OperationContext, type PhasedOperation } from '../context';
import type { StoredObject } from '../store';
import { authorize, challengeToken, finishAuthorization, type ConfirmState } from './payment-intent-confirm';
import { loadIntent, renderIntent, saveIntent } from './payment-intent-store';
import { loadPaymentMethod } from './payment-methods';

export interface AuthenticateCommand {
  readonly id: string;
  readonly token: string;
  readonly outcome: 'complete' | 'fail';
  readonly origin: string;
}

/** The test-mode 3DS challenge: complete (re-send the attempt, authenticated) or fail it. */
export const authenticatePaymentIntent: PhasedOperation<AuthenticateCommand, ConfirmState, AuthorizeResult> = {
  kind: 'phased',
  begin(ctx, command) {
    const stored = loadIntent(ctx, command.id);
    if (!stored || command.token !== challengeToken(ctx, command.id)) return err(resourceMissing('payment_intent', command.id));
    const intent = stored.data;
    if (intent.status !== 'requires_action' || intent.attempt === null || intent.lockedBy !== null) {
      return err(invalidRequestError(`This PaymentIntent has no authentication in progress (status ${intent.status}).`, null, 'payment_intent_unexpected_state'));
    }
    const method = loadPaymentMethod(ctx, intent.attempt.paymentMethod);
    if (!method) throw new Error(`payment method ${intent.attempt.paymentMethod} vanished`);
    if (command.outcome === 'fail') return ok({ done: failAuthentication(ctx, stored) });
    saveIntent(ctx, stored, { ...intent, lockedBy: intent.attempt.chargeId });
    return ok({
      state: {
        intentId: intent.id,
        chargeId: intent.attempt.chargeId,
        paymentMethodId: method.id,
        amount: intent.amount,
        currency: intent.currency,
        capture: intent.captureMethod !== 'manual',
        offSession: intent.attempt.offSession,
        errorOnRequiresAction: false,
        authenticated: true,
        card: method.data.card,
        origin: command.origin,
      },
    });
  },
  call: authorize,
  finish: finishAuthorization,
};

function failAuthentication(ctx: OperationContext, stored: StoredObject<PaymentIntent>): unknown {
  const intent = stored.data;
  const next: PaymentIntent = {
    ...intent,
    status: 'requires_payment_method',
    paymentMethod: null,
    nextAction: null,
    attempt: null,
    lastPaymentError: {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      declineCode: null,
      message:
        'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      charge: null,
      paymentMethod: intent.attempt?.paymentMethod ?? null,
    },
  };
  saveIntent(ctx, stored, next);
  const json = renderIntent(ctx, next);
  emit(ctx, 'payment_intent.payment_failed', json);
  return json;
}
