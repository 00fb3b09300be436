/**
 * Products and prices (Stripe's catalog) and test clocks, as the account stores them. A price's
 * unit amount is an integer of minor units; a recurring price carries its calendar recurrence.
 * Pure: no I/O, no clock.
 */
import type { DomainError } from '../errors';
import { BILLING_INTERVAL_COUNT_MAX } from '../limits';
import { err, ok, type Result } from '../result';
import type { BillingInterval, Recurrence } from './calendar';

export interface Product {
  readonly id: string;
  readonly created: number;
  readonly updated: number;
  readonly livemode: boolean;
  readonly name: string;
  readonly active: boolean;
  readonly description: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly defaultPrice: string | null;
  readonly unitLabel: string | null;
  readonly url: string | null;
  readonly statementDescriptor: string | null;
  readonly deleted: boolean;
}

export type PriceType = 'one_time' | 'recurring';

export interface Price {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly product: string;
  readonly active: boolean;
  readonly currency: string;
  readonly unitAmount: number;
  readonly type: PriceType;
  readonly recurring: Recurrence | null;
  readonly nickname: string | null;
  readonly lookupKey: string | null;
  readonly metadata: Readonly<Record<string, string>>;
  readonly taxBehavior: 'exclusive' | 'inclusive' | 'unspecified';
}

/** Stripe allows at most one year per billing period: 365 days, 52 weeks, 12 months or 1 year. */
export function checkRecurrence(recurrence: Recurrence, param: string): Result<Recurrence, DomainError> {
  const max = BILLING_INTERVAL_COUNT_MAX[recurrence.interval];
  if (!Number.isSafeInteger(recurrence.intervalCount) || recurrence.intervalCount < 1 || recurrence.intervalCount > max) {
    return err({
      reason: 'invalid_request',
      message: `Invalid interval_count: the maximum billing period is one year (${max} ${recurrence.interval}s).`,
      param,
      code: 'parameter_invalid',
    });
  }
  return ok(recurrence);
}

export function sameRecurrence(a: Recurrence, b: Recurrence): boolean {
  return a.interval === b.interval && a.intervalCount === b.intervalCount;
}

export type TestClockStatus = 'ready' | 'advancing' | 'internal_failure';

export interface TestClock {
  readonly id: string;
  readonly created: number;
  readonly livemode: boolean;
  readonly name: string | null;
  readonly frozenTime: number;
  readonly status: TestClockStatus;
  /** While advancing: the frozen time before the advance (for `status_details.advancing`). */
  readonly advancingFrom: number | null;
  readonly deletesAfter: number;
  readonly deleted: boolean;
}

export type { BillingInterval };
