/** Loading, saving and rendering PaymentIntents (shared by every PaymentIntent operation). */
import type { DomainError } from '../../src/domain/errors';
import { checkAction, type PaymentIntent, type PaymentIntentAction } from '../../src/domain/payments/payment-intent';
import { err, type Result } from '../../src/domain/result';
import { toPaymentIntentJson } from '../../src/stripe/objects/payment-intent';
import { project, type OperationContext } from '../context';
import { insertObject, readObject, updateObject, type StoredObject } from '../store';
import { paymentMethodJson } from './payment-methods';

export const PAYMENT_INTENT = 'payment_intent';

export function loadIntent(ctx: OperationContext, id: string): StoredObject<PaymentIntent> | null {
  return readObject<PaymentIntent>(ctx.sql, id, PAYMENT_INTENT);
}

export function renderIntent(ctx: OperationContext, intent: PaymentIntent) {
  return toPaymentIntentJson(intent, paymentMethodJson(ctx, intent.lastPaymentError?.paymentMethod ?? null));
}

/** `checkAction`, with Stripe's detail: a refusal for the intent's state carries the intent. */
export function checkIntentAction(ctx: OperationContext, intent: PaymentIntent, action: PaymentIntentAction): Result<PaymentIntent, DomainError> {
  const checked = checkAction(intent, action);
  if (checked.ok || checked.error.reason !== 'unexpected_state') return checked;
  return err({ ...checked.error, object: renderIntent(ctx, intent) });
}

export function saveIntent(ctx: OperationContext, stored: StoredObject<PaymentIntent> | null, intent: PaymentIntent): StoredObject<PaymentIntent> {
  const index = { customer: intent.customer, status: intent.status };
  const saved = stored
    ? (updateObject(ctx.sql, stored, intent, index) as StoredObject<PaymentIntent>)
    : (insertObject(ctx.sql, { id: intent.id, type: PAYMENT_INTENT, created: intent.created, data: intent }, index) as StoredObject<PaymentIntent>);
  project(ctx, saved, renderIntent(ctx, intent), index);
  return saved;
}
