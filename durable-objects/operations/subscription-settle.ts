/**
 * How a subscription follows its invoices: paid → active; a failed renewal → past_due with the
 * next retry scheduled, then the account's final action (canceled by default, or unpaid, or left
 * past_due) once retries run out. Also (re)schedules the subscription's next step on the alarm
 * (subscriptions on a test clock move only when their clock advances).
 */
import { afterFailedAttempt, nextSubscriptionStep, statusAfterFailure, statusAfterPayment, type FailureAction, type Subscription } from '../../src/domain/billing/subscription';
import type { Invoice } from '../../src/domain/billing/invoice';
import { changedKeys } from '../../src/domain/customer/customer';
import { emit, type OperationContext } from '../context';
import { clearDueCheck, scheduleDueCheck } from '../ledger-store';
import { readObject, readSetting, type StoredObject } from '../store';
import { loadSubscription, renderSubscription, saveSubscription } from './subscription-store';

const FAILURE_ACTIONS: readonly FailureAction[] = ['canceled', 'unpaid', 'past_due'];

/** The account's choice after the last retry fails (settings `subscription_failure_action`; default canceled). */
export function failureAction(ctx: OperationContext): FailureAction {
  const value = readSetting(ctx.sql, 'subscription_failure_action');
  return FAILURE_ACTIONS.find((action) => action === value) ?? 'canceled';
}

/** When the subscription's latest invoice will be retried, if it is open with a retry planned. */
export function retryTimeOf(ctx: OperationContext, subscription: Subscription): number | null {
  if (subscription.latestInvoice === null) return null;
  const invoice = readObject<Invoice>(ctx.sql, subscription.latestInvoice, 'invoice')?.data;
  return invoice && invoice.status === 'open' ? invoice.nextPaymentAttempt : null;
}

/** Puts the subscription's next step on the account alarm (not for test-clock subscriptions). */
export function scheduleSubscription(ctx: OperationContext, subscription: Subscription, retryAt: number | null = retryTimeOf(ctx, subscription)): void {
  if (subscription.testClock !== null) return;
  const step = nextSubscriptionStep(subscription, retryAt);
  if (step === null) clearDueCheck(ctx.sql, 'subscription', subscription.id);
  else scheduleDueCheck(ctx.sql, 'subscription', subscription.id, step.at);
}

/** Saves a changed subscription with `customer.subscription.updated` (or `.deleted` when it ends). */
export function commitSubscription(ctx: OperationContext, stored: StoredObject<Subscription>, next: Subscription, retryAt?: number | null): StoredObject<Subscription> {
  const before = renderSubscription(ctx, stored.data);
  const saved = saveSubscription(ctx, stored, next);
  const json = renderSubscription(ctx, next);
  const ended = next.status === 'canceled' || next.status === 'incomplete_expired';
  const wasEnded = stored.data.status === 'canceled' || stored.data.status === 'incomplete_expired';
  if (ended && !wasEnded && next.status === 'canceled') emit(ctx, 'customer.subscription.deleted', json);
  else {
    const previous = changedKeys(before as unknown as Record<string, unknown>, json as unknown as Record<string, unknown>);
    if (Object.keys(previous).length > 0) emit(ctx, 'customer.subscription.updated', json, previous);
  }
  scheduleSubscription(ctx, next, retryAt === undefined ? retryTimeOf(ctx, next) : retryAt);
  return saved;
}

export function endSubscription(subscription: Subscription, now: number, reason: Subscription['cancellationReason']): Subscription {
  return { ...subscription, status: 'canceled', canceledAt: subscription.canceledAt ?? now, endedAt: now, cancellationReason: reason, incompleteExpiresAt: null };
}

export function subscriptionAfterPayment(ctx: OperationContext, invoice: Invoice): void {
  if (invoice.subscription === null) return;
  const stored = loadSubscription(ctx, invoice.subscription);
  if (!stored || stored.data.latestInvoice !== invoice.id) return;
  const status = statusAfterPayment(stored.data.status);
  commitSubscription(ctx, stored, { ...stored.data, status, incompleteExpiresAt: null }, null);
}

/** Records a failed attempt on the subscription and returns the invoice's next retry time (or null). */
export function subscriptionAfterFailure(ctx: OperationContext, invoice: Invoice, now: number): number | null {
  if (invoice.subscription === null || invoice.billingReason === 'subscription_create') return null;
  const stored = loadSubscription(ctx, invoice.subscription);
  if (!stored || stored.data.latestInvoice !== invoice.id) return null;
  const outcome = afterFailedAttempt(invoice.attemptCount, now);
  const retryAt = outcome === null ? null : outcome.retryAt;
  const status = statusAfterFailure(stored.data.status, outcome !== null, failureAction(ctx));
  const next = status === 'canceled' ? endSubscription(stored.data, now, 'payment_failed') : { ...stored.data, status };
  commitSubscription(ctx, stored, next, retryAt);
  return retryAt;
}
