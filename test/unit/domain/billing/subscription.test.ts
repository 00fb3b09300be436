import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { periodAt } from '../../../../src/domain/billing/calendar';
import {
  afterFailedAttempt,
  nextSubscriptionStep,
  prorationLines,
  statusAfterFailure,
  statusAfterPayment,
  type Subscription,
  type SubscriptionItem,
} from '../../../../src/domain/billing/subscription';

const DAY = 86_400;
const utc = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000;

function item(id: string, unitAmount: number, quantity = 1, price = `price_${id}`): SubscriptionItem {
  return { id, created: 0, price, product: 'prod_1', unitAmount, quantity, metadata: {} };
}

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    id: 'sub_1',
    created: utc(2025, 1, 31),
    livemode: false,
    customer: 'cus_1',
    currency: 'usd',
    status: 'active',
    items: [item('si_1', 2000)],
    recurrence: { interval: 'month', intervalCount: 1 },
    billingCycleAnchor: utc(2025, 1, 31),
    periodIndex: 0,
    startDate: utc(2025, 1, 31),
    cancelAtPeriodEnd: false,
    cancelAt: null,
    canceledAt: null,
    endedAt: null,
    cancellationReason: null,
    defaultPaymentMethod: null,
    description: null,
    metadata: {},
    latestInvoice: 'in_1',
    testClock: null,
    incompleteExpiresAt: null,
    ...overrides,
  };
}

describe('subscription', () => {
  it('renews at the end of the current period, derived from the anchor', () => {
    expect(nextSubscriptionStep(subscription(), null)).toEqual({ kind: 'renew', at: utc(2025, 2, 28) });
    expect(nextSubscriptionStep(subscription({ periodIndex: 1 }), null)).toEqual({ kind: 'renew', at: utc(2025, 3, 31) });
  });

  it('retries before renewing, cancels instead of renewing, and expires incomplete ones', () => {
    expect(nextSubscriptionStep(subscription({ status: 'past_due' }), utc(2025, 2, 3))).toEqual({ kind: 'retry_payment', at: utc(2025, 2, 3), invoice: 'in_1' });
    expect(nextSubscriptionStep(subscription({ status: 'past_due' }), utc(2025, 2, 28))).toMatchObject({ kind: 'retry_payment' });
    expect(nextSubscriptionStep(subscription({ cancelAtPeriodEnd: true }), null)).toEqual({ kind: 'cancel', at: utc(2025, 2, 28) });
    expect(nextSubscriptionStep(subscription({ cancelAt: utc(2025, 2, 10) }), null)).toEqual({ kind: 'cancel', at: utc(2025, 2, 10) });
    expect(nextSubscriptionStep(subscription({ cancelAt: utc(2025, 5, 10) }), null)).toEqual({ kind: 'renew', at: utc(2025, 2, 28) });
    expect(nextSubscriptionStep(subscription({ status: 'incomplete', incompleteExpiresAt: 123 }), null)).toEqual({ kind: 'expire_incomplete', at: 123 });
    expect(nextSubscriptionStep(subscription({ status: 'canceled' }), 5)).toBeNull();
    expect(nextSubscriptionStep(subscription({ status: 'unpaid' }), null)).toBeNull();
  });

  it('retries 3, 5 and 7 days after each failure, then gives up', () => {
    expect(afterFailedAttempt(1, 1000)).toEqual({ retryAt: 1000 + 3 * DAY });
    expect(afterFailedAttempt(2, 1000)).toEqual({ retryAt: 1000 + 5 * DAY });
    expect(afterFailedAttempt(3, 1000)).toEqual({ retryAt: 1000 + 7 * DAY });
    expect(afterFailedAttempt(4, 1000)).toBeNull();
    expect(() => afterFailedAttempt(0, 1000)).toThrow();
  });

  it('follows payments: paid → active, failures → past_due, then the final action', () => {
    expect(statusAfterPayment('incomplete')).toBe('active');
    expect(statusAfterPayment('past_due')).toBe('active');
    expect(statusAfterPayment('unpaid')).toBe('active');
    expect(statusAfterPayment('canceled')).toBe('canceled');
    expect(statusAfterFailure('active', true, 'canceled')).toBe('past_due');
    expect(statusAfterFailure('past_due', false, 'canceled')).toBe('canceled');
    expect(statusAfterFailure('past_due', false, 'unpaid')).toBe('unpaid');
    expect(statusAfterFailure('past_due', false, 'past_due')).toBe('past_due');
    expect(statusAfterFailure('incomplete', true, 'canceled')).toBe('incomplete');
  });

  it('prorates a change over the unused part of the period, item by item', () => {
    const period = periodAt(utc(2025, 4, 1), { interval: 'month', intervalCount: 1 }, 0);
    const lines = prorationLines([item('si_1', 2000)], [item('si_1', 2000, 3)], period, utc(2025, 4, 16), (i) => `${i.quantity} × Pro`);
    expect(lines.map((l) => [l.amount, l.description])).toEqual([
      [-1000, 'Unused time on 1 × Pro'],
      [3000, 'Remaining time on 3 × Pro'],
    ]);
    expect(lines.every((l) => l.period.start === utc(2025, 4, 16) && l.period.end === utc(2025, 5, 1))).toBe(true);
    expect(prorationLines([item('si_1', 2000)], [item('si_1', 2000)], period, utc(2025, 4, 16), () => '')).toEqual([]);
    expect(prorationLines([item('si_1', 2000)], [item('si_1', 2000, 2)], period, period.end, () => '')).toEqual([]);
  });

  it('never prorates more than the full period price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 30 * DAY }), (unit, quantity, offset) => {
        const period = periodAt(utc(2025, 4, 1), { interval: 'month', intervalCount: 1 }, 0);
        const [credit, charge] = [
          prorationLines([item('si_1', unit)], [], period, period.start + offset, () => ''),
          prorationLines([], [item('si_2', unit, quantity)], period, period.start + offset, () => ''),
        ];
        expect(Math.abs(credit[0]?.amount ?? 0)).toBeLessThanOrEqual(unit);
        expect(charge[0]?.amount ?? 0).toBeLessThanOrEqual(unit * quantity);
      }),
    );
  });
});
