import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../../../src/domain/assert';
import {
  adjustmentBalanceTransaction,
  applyAvailability,
  availableOnSeconds,
  chargeBalanceTransaction,
  isDueForAvailability,
  payoutBalanceTransaction,
  payoutReversalBalanceTransaction,
  refundBalanceTransaction,
  refundFailureBalanceTransaction,
} from '../../../../src/domain/balance/transactions';
import { computeDisputeFee, computeProcessingFee } from '../../../../src/domain/money/fees';

/** 2026-03-10T15:30:00Z */
const CREATED = Date.UTC(2026, 2, 10, 15, 30) / 1000;
const MIDNIGHT_13TH = Date.UTC(2026, 2, 13) / 1000;
const base = { id: 'txn_1', sourceId: 'ch_1', currency: 'usd', createdSeconds: CREATED, description: null } as const;

describe('availableOnSeconds', () => {
  it('is created + 2 days rounded up to the next 00:00 UTC', () => {
    expect(availableOnSeconds(CREATED, { bypassPending: false })).toBe(MIDNIGHT_13TH);
  });

  it('keeps an exact midnight and rolls one second past it to the next day', () => {
    const midnight = Date.UTC(2026, 2, 10) / 1000;
    expect(availableOnSeconds(midnight, { bypassPending: false })).toBe(Date.UTC(2026, 2, 12) / 1000);
    expect(availableOnSeconds(midnight + 1, { bypassPending: false })).toBe(MIDNIGHT_13TH);
  });

  it('is now for bypass-pending cards', () => {
    expect(availableOnSeconds(CREATED, { bypassPending: true })).toBe(CREATED);
  });
});

describe('chargeBalanceTransaction', () => {
  it('records +amount, the fee and net, pending until available_on', () => {
    const bt = chargeBalanceTransaction({ ...base, amount: 2_000, fees: computeProcessingFee(2_000, 'usd', { international: false }), bypassPending: false });
    expect(bt).toMatchObject({
      amount: 2_000,
      fee: 88,
      net: 1_912,
      type: 'charge',
      status: 'pending',
      availableOnSeconds: MIDNIGHT_13TH,
      reportingCategory: 'charge',
      sourceId: 'ch_1',
    });
    expect(bt.feeDetails).toEqual([{ amount: 88, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee', application: null }]);
  });

  it('is available at once for bypass-pending cards', () => {
    const bt = chargeBalanceTransaction({ ...base, amount: 10_000, fees: computeProcessingFee(10_000, 'usd', { international: true }), bypassPending: true });
    expect(bt).toMatchObject({ status: 'available', availableOnSeconds: CREATED, net: 10_000 - 470 });
  });

  it('refuses a fee larger than the amount', () => {
    expect(() => chargeBalanceTransaction({ ...base, amount: 10, fees: { fee: 11, feeDetails: [] }, bypassPending: false })).toThrow(InvariantViolation);
  });
});

describe('applyAvailability', () => {
  const pending = chargeBalanceTransaction({ ...base, amount: 2_000, fees: computeProcessingFee(2_000, 'usd', { international: false }), bypassPending: false });

  it('leaves the transaction pending before available_on', () => {
    expect(isDueForAvailability(pending, MIDNIGHT_13TH - 1)).toBe(false);
    expect(applyAvailability(pending, MIDNIGHT_13TH - 1)).toBe(pending);
  });

  it('makes it available from available_on on, changing nothing else', () => {
    expect(isDueForAvailability(pending, MIDNIGHT_13TH)).toBe(true);
    expect(applyAvailability(pending, MIDNIGHT_13TH)).toEqual({ ...pending, status: 'available' });
    const available = applyAvailability(pending, MIDNIGHT_13TH);
    expect(isDueForAvailability(available, MIDNIGHT_13TH + 999)).toBe(false);
  });
});

describe('movement builders', () => {
  it('makes refunds −amount with no fee (Stripe keeps the processing fee), available now', () => {
    expect(refundBalanceTransaction({ ...base, sourceId: 're_1', amount: 500 })).toMatchObject({
      amount: -500, fee: 0, net: -500, type: 'refund', status: 'available', availableOnSeconds: CREATED, reportingCategory: 'refund',
    });
  });

  it('makes refund failures +amount', () => {
    expect(refundFailureBalanceTransaction({ ...base, sourceId: 're_1', amount: 500 })).toMatchObject({
      amount: 500, net: 500, type: 'refund_failure', status: 'available', reportingCategory: 'refund_failure',
    });
  });

  it('makes payouts −amount and their failure or cancel +amount', () => {
    expect(payoutBalanceTransaction({ ...base, sourceId: 'po_1', amount: 1_000 })).toMatchObject({
      amount: -1_000, fee: 0, net: -1_000, type: 'payout', status: 'available', reportingCategory: 'payout',
    });
    for (const type of ['payout_failure', 'payout_cancel'] as const) {
      expect(payoutReversalBalanceTransaction({ ...base, sourceId: 'po_1', amount: 1_000, type })).toMatchObject({
        amount: 1_000, net: 1_000, type, reportingCategory: 'payout_reversal',
      });
    }
  });

  it('makes a dispute −amount with the dispute fee, net −(amount + fee)', () => {
    const bt = adjustmentBalanceTransaction({ ...base, sourceId: 'dp_1', signedAmount: -2_000, fees: computeDisputeFee('usd'), reportingCategory: 'dispute' });
    expect(bt).toMatchObject({ amount: -2_000, fee: 1_500, net: -3_500, type: 'adjustment', status: 'available', reportingCategory: 'dispute' });
    expect(bt.feeDetails[0]).toMatchObject({ description: 'Dispute fee', type: 'stripe_fee' });
  });

  it.each([0, -1, 1.5, 2 ** 53])('refuses amount %d', (amount) => {
    expect(() => refundBalanceTransaction({ ...base, amount })).toThrow(InvariantViolation);
    expect(() => payoutBalanceTransaction({ ...base, amount })).toThrow(InvariantViolation);
  });
});
