import { describe, expect, it } from 'vitest';
import {
  checkPayoutMethod,
  decidePayoutCancel,
  decidePayoutProgress,
  DEFAULT_PAYOUT_DESTINATION,
  payoutArrivalDate,
  resolvePayoutDestination,
  type PayoutStatus,
} from '../../../../src/domain/payments/payout';
import { fromDomainError } from '../../../../src/stripe/errors';

const DAY = 86_400;
const CREATED = 1_700_000_123;
const ARRIVAL = payoutArrivalDate(CREATED);

function payout(status: PayoutStatus, destination = DEFAULT_PAYOUT_DESTINATION) {
  return { id: 'po_1', status, created: CREATED, arrivalDate: ARRIVAL, destination };
}

describe('payoutArrivalDate', () => {
  it('lands on the first 00:00 UTC at least one day after creation', () => {
    expect(ARRIVAL % DAY).toBe(0);
    expect(ARRIVAL).toBeGreaterThanOrEqual(CREATED + DAY);
    expect(ARRIVAL - DAY).toBeLessThan(CREATED + DAY);
  });

  it('keeps an exact midnight', () => {
    expect(payoutArrivalDate(10 * DAY)).toBe(11 * DAY);
  });
});

describe('decidePayoutProgress', () => {
  it('stays pending for the first minute', () => {
    expect(decidePayoutProgress(payout('pending'), CREATED + 59)).toEqual({ steps: [], nextDueSeconds: CREATED + 60 });
  });

  it('moves to in_transit after a minute, then waits for the arrival date', () => {
    expect(decidePayoutProgress(payout('pending'), CREATED + 60)).toEqual({ steps: [{ to: 'in_transit' }], nextDueSeconds: ARRIVAL });
    expect(decidePayoutProgress(payout('in_transit'), ARRIVAL - 1)).toEqual({ steps: [], nextDueSeconds: ARRIVAL });
  });

  it('takes every due step at once after a long pause', () => {
    expect(decidePayoutProgress(payout('pending'), ARRIVAL + DAY)).toEqual({ steps: [{ to: 'in_transit' }, { to: 'paid' }], nextDueSeconds: null });
  });

  it('fails at the arrival date with the code of a failing test bank account', () => {
    const progress = decidePayoutProgress(payout('in_transit', 'ba_test_000222222227'), ARRIVAL);
    expect(progress.steps).toEqual([{ to: 'failed', failureCode: 'insufficient_funds', failureMessage: expect.stringContaining('insufficient funds') }]);
    expect(progress.nextDueSeconds).toBeNull();
  });

  it('never changes a final payout again', () => {
    for (const status of ['paid', 'failed', 'canceled'] as const) {
      expect(decidePayoutProgress(payout(status), ARRIVAL + 30 * DAY)).toEqual({ steps: [], nextDueSeconds: null });
    }
  });
});

describe('payout requests', () => {
  it('defaults the destination and accepts only ba_test_<account number>', () => {
    expect(resolvePayoutDestination(undefined)).toEqual({ ok: true, value: 'ba_test_000123456789' });
    expect(resolvePayoutDestination('ba_test_000111111116')).toEqual({ ok: true, value: 'ba_test_000111111116' });
    const missing = resolvePayoutDestination('ba_123');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(fromDomainError(missing.error)).toMatchObject({ status: 400, error: { code: 'resource_missing', param: 'destination' } });
  });

  it('refuses instant payouts', () => {
    expect(checkPayoutMethod(undefined)).toEqual({ ok: true, value: 'standard' });
    const instant = checkPayoutMethod('instant');
    expect(instant.ok).toBe(false);
    if (!instant.ok) expect(fromDomainError(instant.error)).toMatchObject({ status: 400, error: { code: 'instant_payouts_unsupported', param: 'method' } });
  });

  it('cancels only pending payouts', () => {
    expect(decidePayoutCancel(payout('pending')).ok).toBe(true);
    for (const status of ['in_transit', 'paid', 'failed', 'canceled'] as const) {
      const result = decidePayoutCancel(payout(status));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(fromDomainError(result.error).error).toMatchObject({ code: 'payout_unexpected_state', message: expect.stringContaining(status) });
    }
  });
});
