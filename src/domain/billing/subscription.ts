/**
 * Subscriptions: their record, what happens next and when (renewal at period end, a payment
 * retry, a scheduled cancellation, an incomplete subscription expiring), the status that follows
 * a paid or failed invoice, and proration of a mid-period change. Periods are always derived
 * from the billing anchor and a period index (calendar.ts), never accumulated.
 * Pure: no I/O, no clock.
 */
import { assert } from '../assert';
import { SUBSCRIPTION_RETRY_DELAYS_DAYS } from '../limits';
import { periodAt, prorate, SECONDS_PER_DAY, type Period, type Recurrence } from './calendar';

export type SubscriptionStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'unpaid' | 'paused';
/** What an account does with a subscription once every retry of a renewal has failed. */
export type FailureAction = 'canceled' | 'unpaid' | 'past_due';
export type CancellationReason = 'cancellation_requested' | 'payment_failed';

export interface SubscriptionItem {
  readonly id: string;
  readonly created: number;
  readonly price: string;
  readonly product: string;
  readonly unitAmount: number;
  readonly quantity: number;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface Subscription {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly customer: string;
  readonly currency: string;
  readonly status: SubscriptionStatus;
  readonly items: readonly SubscriptionItem[];
  readonly recurrence: Recurrence;
  readonly billingCycleAnchor: number;
  /** The current period is `periodAt(billingCycleAnchor, recurrence, periodIndex)`. */
  readonly periodIndex: number;
  readonly startDate: number;
  readonly cancelAtPeriodEnd: boolean;
  readonly cancelAt: number | null;
  readonly canceledAt: number | null;
  readonly endedAt: number | null;
  readonly cancellationReason: CancellationReason | null;
  readonly defaultPaymentMethod: string | null;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly latestInvoice: string | null;
  readonly testClock: string | null;
  readonly incompleteExpiresAt: number | null;
}

export const TERMINAL_STATUSES: readonly SubscriptionStatus[] = ['canceled', 'incomplete_expired'];

export function currentPeriod(subscription: Pick<Subscription, 'billingCycleAnchor' | 'recurrence' | 'periodIndex'>): Period {
  return periodAt(subscription.billingCycleAnchor, subscription.recurrence, subscription.periodIndex);
}

export type SubscriptionStep =
  | { readonly kind: 'expire_incomplete'; readonly at: number }
  | { readonly kind: 'retry_payment'; readonly at: number; readonly invoice: string }
  | { readonly kind: 'cancel'; readonly at: number }
  | { readonly kind: 'renew'; readonly at: number };

/**
 * The next thing due for a subscription, given the retry time of its latest invoice (if any).
 * Ties go to the retry (settle what is owed before the next period), then cancellation.
 */
export function nextSubscriptionStep(subscription: Subscription, retryAt: number | null): SubscriptionStep | null {
  if (TERMINAL_STATUSES.includes(subscription.status)) return null;
  if (subscription.status === 'incomplete') {
    return subscription.incompleteExpiresAt === null ? null : { kind: 'expire_incomplete', at: subscription.incompleteExpiresAt };
  }
  const steps: SubscriptionStep[] = [];
  if (retryAt !== null && subscription.latestInvoice !== null) steps.push({ kind: 'retry_payment', at: retryAt, invoice: subscription.latestInvoice });
  const end = currentPeriod(subscription).end;
  if (subscription.cancelAt !== null && subscription.cancelAt <= end) steps.push({ kind: 'cancel', at: subscription.cancelAt });
  else if (subscription.cancelAtPeriodEnd) steps.push({ kind: 'cancel', at: end });
  else if (subscription.status !== 'unpaid' && subscription.status !== 'paused') steps.push({ kind: 'renew', at: end });
  const order: Record<SubscriptionStep['kind'], number> = { retry_payment: 0, cancel: 1, renew: 2, expire_incomplete: 3 };
  steps.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);
  return steps[0] ?? null;
}

/** After the `attemptCount`-th failed attempt of a renewal invoice: when to retry, or null (retries exhausted). */
export function afterFailedAttempt(attemptCount: number, failedAtSeconds: number): { readonly retryAt: number } | null {
  assert(Number.isSafeInteger(attemptCount) && attemptCount >= 1, 'attempt count starts at 1');
  const delayDays = SUBSCRIPTION_RETRY_DELAYS_DAYS[attemptCount - 1];
  return delayDays === undefined ? null : { retryAt: failedAtSeconds + delayDays * SECONDS_PER_DAY };
}

/** The subscription status once its latest invoice is paid. */
export function statusAfterPayment(status: SubscriptionStatus): SubscriptionStatus {
  return status === 'incomplete' || status === 'past_due' || status === 'unpaid' ? 'active' : status;
}

/** The status after a failed renewal attempt: past_due while retries remain, then the account's final action. */
export function statusAfterFailure(status: SubscriptionStatus, retriesLeft: boolean, finalAction: FailureAction): SubscriptionStatus {
  if (status === 'incomplete' || TERMINAL_STATUSES.includes(status)) return status;
  return retriesLeft ? 'past_due' : finalAction;
}

export interface ProrationLine {
  readonly item: string;
  readonly price: string;
  readonly amount: number;
  readonly description: string;
  readonly period: { readonly start: number; readonly end: number };
}

function itemTotal(item: SubscriptionItem): number {
  return item.unitAmount * item.quantity;
}

/**
 * Prorations for replacing `before` by `after` at `atSeconds` within `period`: a credit for the
 * unused part of each old item and a charge for the remaining part of each new one (only for
 * items whose price or quantity changed), each rounded on its own as Stripe does.
 */
export function prorationLines(before: readonly SubscriptionItem[], after: readonly SubscriptionItem[], period: Period, atSeconds: number, label: (item: SubscriptionItem) => string): ProrationLine[] {
  assert(atSeconds >= period.start && atSeconds <= period.end, 'the change happens within the period');
  const remaining = period.end - atSeconds;
  const whole = period.end - period.start;
  const lines: ProrationLine[] = [];
  const slice = { start: atSeconds, end: period.end };
  for (const old of before) {
    const next = after.find((i) => i.id === old.id);
    if (next && next.price === old.price && next.quantity === old.quantity) continue;
    lines.push({ item: old.id, price: old.price, amount: -prorate(itemTotal(old), remaining, whole), description: `Unused time on ${label(old)}`, period: slice });
  }
  for (const next of after) {
    const old = before.find((i) => i.id === next.id);
    if (old && old.price === next.price && old.quantity === next.quantity) continue;
    lines.push({ item: next.id, price: next.price, amount: prorate(itemTotal(next), remaining, whole), description: `Remaining time on ${label(next)}`, period: slice });
  }
  return lines.filter((line) => line.amount !== 0);
}
