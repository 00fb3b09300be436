/**
 * What a publishable key may do with a PaymentIntent (CONTRACT §5.3): retrieve it and confirm it,
 * each only with the intent's `client_secret`. The confirm is the ordinary phased confirmation
 * behind a secret check; the hosted checkout page uses it.
 */
import type { AuthorizeResult } from '../../src/domain/cards/processing/protocol';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import type { PaymentIntent } from '../../src/domain/payments/payment-intent';
import { err, ok, type Result } from '../../src/domain/result';
import type { Handler, OperationContext, PhasedOperation } from '../context';
import type { StoredObject } from '../store';
import { currentSession, sessionForIntent } from './checkout-session-store';
import { confirmPaymentIntent, type ConfirmState } from './payment-intent-confirm';
import { loadIntent, renderIntent } from './payment-intent-store';

function withSecret(ctx: OperationContext, id: string, clientSecret: string): Result<StoredObject<PaymentIntent>, DomainError> {
  const stored = loadIntent(ctx, id);
  if (!stored) return err(resourceMissing('payment_intent', id));
  if (stored.data.clientSecret !== clientSecret) {
    return err(
      invalidRequestError('The client_secret provided does not match the client_secret associated with the PaymentIntent.', 'client_secret', 'payment_intent_invalid_parameter'),
    );
  }
  return ok(stored);
}

/** The publishable view: no metadata (Stripe redacts it for publishable keys). */
function clientView(ctx: OperationContext, intent: PaymentIntent) {
  return { ...renderIntent(ctx, intent), metadata: {} };
}

function redacted(json: unknown): unknown {
  return typeof json === 'object' && json !== null ? { ...json, metadata: {} } : json;
}

export const clientRetrievePaymentIntent: Handler<{ id: string; clientSecret: string }> = (ctx, { id, clientSecret }) => {
  const stored = withSecret(ctx, id, clientSecret);
  if (!stored.ok) return stored;
  return ok(clientView(ctx, stored.value.data));
};

export interface ClientConfirmCommand {
  readonly id: string;
  readonly clientSecret: string;
  readonly paymentMethod: string;
  readonly returnUrl?: string;
  readonly origin: string;
}

export const clientConfirmPaymentIntent: PhasedOperation<ClientConfirmCommand, ConfirmState, AuthorizeResult> = {
  kind: 'phased',
  begin(ctx, command) {
    const stored = withSecret(ctx, command.id, command.clientSecret);
    if (!stored.ok) return stored;
    const session = sessionForIntent(ctx, stored.value.data);
    if (session !== null && currentSession(ctx, session).status !== 'open') {
      return err(invalidRequestError(`This PaymentIntent belongs to a Checkout Session that is no longer open (${session.id}).`, null, 'checkout_session_unexpected_state'));
    }
    const options = {
      paymentMethod: command.paymentMethod,
      offSession: false,
      errorOnRequiresAction: false,
      ...(command.returnUrl === undefined ? {} : { returnUrl: command.returnUrl }),
    };
    const begun = confirmPaymentIntent.begin(ctx, { id: command.id, options, origin: command.origin });
    if (begun.ok || begun.error.reason !== 'unexpected_state' || begun.error.object === undefined) return begun;
    return err({ ...begun.error, object: redacted(begun.error.object) });
  },
  call: confirmPaymentIntent.call,
  finish(ctx, state, outcome) {
    const result = confirmPaymentIntent.finish(ctx, state, outcome);
    if (result.ok) return ok(redacted(result.value));
    if (result.error.reason !== 'payment_failed') return result;
    return err({ ...result.error, paymentIntent: redacted(result.error.paymentIntent) });
  },
};
