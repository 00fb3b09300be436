/**
 * Loading, saving and rendering Checkout Sessions, and the two transitions other operations
 * trigger: completion (its PaymentIntent succeeded, from `finishAuthorization`) and expiry (the
 * alarm at `expires_at`, `POST …/expire`, or a read that finds it past due).
 */
import { checkSessionAction, completedSession, isPastExpiry, type CheckoutSession, type CustomerDetails } from '../../src/domain/checkout/session';
import { type DomainError } from '../../src/domain/errors';
import type { PaymentIntent } from '../../src/domain/payments/payment-intent';
import { err, ok, type Result } from '../../src/domain/result';
import { toCheckoutSessionJson } from '../../src/stripe/objects/checkout-session';
import { emit, project, type OperationContext } from '../context';
import { clearDueCheck, scheduleDueCheck } from '../ledger-store';
import { insertObject, listObjects, readObject, readSetting, updateObject, writeSetting, type StoredObject } from '../store';
import { endIncompleteSubscription, payFirstInvoice } from './checkout-subscription';
import { loadIntent, renderIntent, saveIntent } from './payment-intent-store';
import { loadPaymentMethod } from './payment-methods';

export const CHECKOUT_SESSION = 'checkout.session';
/** The account's publishable key the hosted page uses (publishable keys are public by design). */
const PUBLISHABLE_KEY_SETTING = 'checkout_publishable_key';
const EXPIRY_RETRY_SECONDS = 30;

export function loadSession(ctx: OperationContext, id: string): StoredObject<CheckoutSession> | null {
  return readObject<CheckoutSession>(ctx.sql, id, CHECKOUT_SESSION);
}

export function saveSession(ctx: OperationContext, stored: StoredObject<CheckoutSession> | null, session: CheckoutSession): StoredObject<CheckoutSession> {
  const index = { customer: session.customer, parent: session.paymentIntent ?? session.subscription, status: session.status };
  const saved = stored
    ? (updateObject(ctx.sql, stored, session, index) as StoredObject<CheckoutSession>)
    : (insertObject(ctx.sql, { id: session.id, type: CHECKOUT_SESSION, created: session.created, data: session }, index) as StoredObject<CheckoutSession>);
  project(ctx, saved, toCheckoutSessionJson(session), { customer: session.customer, status: session.status });
  return saved;
}

/** The session paying `parent` (a PaymentIntent or subscription id), if any. */
export function sessionFor(ctx: OperationContext, parent: string): StoredObject<CheckoutSession> | null {
  return listObjects<CheckoutSession>(ctx.sql, { type: CHECKOUT_SESSION, limit: 1, equals: { parent } }).objects[0] ?? null;
}

export function readPublishableKey(ctx: OperationContext): string | null {
  return readSetting(ctx.sql, PUBLISHABLE_KEY_SETTING);
}

export function writePublishableKey(ctx: OperationContext, key: string): void {
  writeSetting(ctx.sql, PUBLISHABLE_KEY_SETTING, key);
}

function detailsFrom(ctx: OperationContext, session: CheckoutSession, paymentMethod: string | null): CustomerDetails {
  const billing = paymentMethod === null ? null : (loadPaymentMethod(ctx, paymentMethod)?.data.billingDetails ?? null);
  return { email: billing?.email ?? session.customerEmail, name: billing?.name ?? null };
}

/**
 * The session a PaymentIntent pays: its own (payment mode, by index), or an open subscription-mode
 * session collecting it for its first invoice (found through the intent's customer).
 */
export function sessionForIntent(ctx: OperationContext, intent: Pick<PaymentIntent, 'id' | 'customer'>): StoredObject<CheckoutSession> | null {
  const own = sessionFor(ctx, intent.id);
  if (own !== null || intent.customer === null) return own;
  const open = listObjects<CheckoutSession>(ctx.sql, { type: CHECKOUT_SESSION, limit: 100, equals: { customer: intent.customer, status: 'open' } });
  return open.objects.find((stored) => stored.data.mode === 'subscription' && stored.data.collectIntent === intent.id) ?? null;
}

/** Marks the session of a PaymentIntent that just succeeded `complete` (no-op for other intents). */
export function completeSessionForIntent(ctx: OperationContext, intent: PaymentIntent): void {
  const stored = sessionForIntent(ctx, intent);
  if (stored === null || stored.data.status !== 'open') return;
  if (stored.data.mode === 'subscription') payFirstInvoice(ctx, stored.data, intent);
  finishSession(ctx, stored, detailsFrom(ctx, stored.data, intent.paymentMethod));
}

/** Completes an open session (paid) and notifies: `checkout.session.completed`. */
export function finishSession(ctx: OperationContext, stored: StoredObject<CheckoutSession>, details: CustomerDetails, changes: Partial<CheckoutSession> = {}): CheckoutSession {
  const session = { ...completedSession(stored.data, details, true), ...changes };
  saveSession(ctx, stored, session);
  clearDueCheck(ctx.sql, 'checkout_session', session.id);
  emit(ctx, 'checkout.session.completed', toCheckoutSessionJson(session));
  return session;
}

/**
 * Expires an open session: its PaymentIntent (never charged while the session is open) is
 * canceled so it cannot be confirmed later. Refused while a confirmation is in flight.
 */
export function expireSession(ctx: OperationContext, stored: StoredObject<CheckoutSession>): Result<CheckoutSession, DomainError> {
  const allowed = checkSessionAction(stored.data, 'expire');
  if (!allowed.ok) return allowed;
  const collect = stored.data.collectIntent ?? stored.data.paymentIntent;
  const intent = collect === null ? null : loadIntent(ctx, collect);
  if (intent !== null) {
    if (intent.data.lockedBy !== null) return err({ reason: 'object_locked', resource: 'payment_intent', id: intent.id });
    if (intent.data.status === 'succeeded' || intent.data.status === 'requires_capture') {
      return err({ reason: 'invalid_request', message: `The Checkout Session's payment has already succeeded.`, param: null, code: 'checkout_session_unexpected_state' });
    }
    // Subscription mode: expiring the incomplete subscription voids its invoice and cancels the intent.
    if (stored.data.mode === 'subscription') endIncompleteSubscription(ctx, stored.data);
    else if (intent.data.status !== 'canceled') cancelIntent(ctx, intent);
  }
  const session: CheckoutSession = { ...stored.data, status: 'expired' };
  saveSession(ctx, stored, session);
  clearDueCheck(ctx.sql, 'checkout_session', session.id);
  emit(ctx, 'checkout.session.expired', toCheckoutSessionJson(session));
  return ok(session);
}

function cancelIntent(ctx: OperationContext, stored: StoredObject<PaymentIntent>): void {
  const intent: PaymentIntent = {
    ...stored.data,
    status: 'canceled',
    canceledAt: ctx.nowSeconds,
    cancellationReason: 'abandoned',
    nextAction: null,
    attempt: null,
  };
  saveIntent(ctx, stored, intent);
  emit(ctx, 'payment_intent.canceled', renderIntent(ctx, intent));
}

/** The session as of now: an open one past `expires_at` is expired first (when nothing is in flight). */
export function currentSession(ctx: OperationContext, stored: StoredObject<CheckoutSession>): CheckoutSession {
  if (!isPastExpiry(stored.data, ctx.nowSeconds)) return stored.data;
  const expired = expireSession(ctx, stored);
  return expired.ok ? expired.value : stored.data;
}

export function renderSession(session: CheckoutSession) {
  return toCheckoutSessionJson(session);
}

/** The alarm's expiry of a session at `expires_at`; a confirmation in flight postpones it briefly. */
export function expireDueSession(ctx: OperationContext, sessionId: string): void {
  const stored = loadSession(ctx, sessionId);
  if (stored === null || stored.data.status !== 'open') {
    clearDueCheck(ctx.sql, 'checkout_session', sessionId);
    return;
  }
  const expired = expireSession(ctx, stored);
  if (expired.ok) return;
  if (expired.error.reason === 'object_locked') scheduleDueCheck(ctx.sql, 'checkout_session', sessionId, ctx.nowSeconds + EXPIRY_RETRY_SECONDS);
  else clearDueCheck(ctx.sql, 'checkout_session', sessionId);
}
