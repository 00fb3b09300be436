import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMOUNT_MINOR_MAX } from '../../../../src/domain/limits';
import { SUPPORTED_CURRENCY_CODES, currencyInfo } from '../../../../src/domain/money/currency';
import {
  FEE_SCHEDULES,
  INTERNATIONAL_CARD_EXTRA_BPS,
  computeDisputeFee,
  computeProcessingFee,
  percentOfMinor,
} from '../../../../src/domain/money/fees';

const domestic = { international: false } as const;
const international = { international: true } as const;

describe('percentOfMinor', () => {
  it.each([
    [50, 290, 1], // 1.45 → 1
    [150, 290, 4], // 4.35 → 4
    [500, 290, 15], // 14.5 → 15 (half rounds up)
    [1_000, 290, 29],
    [1_724, 290, 50], // 49.996 → 50
    [1_707, 290, 50], // 49.503 → 50
    [1_706, 290, 49], // 49.474 → 49
    [10_000, 290, 290],
    [0, 290, 0],
    [AMOUNT_MINOR_MAX, 440, 4_400_000], // 4_399_999.956 → 4_400_000
  ])('takes %d × %d bps as %d', (amount, bps, expected) => {
    expect(percentOfMinor(amount, bps)).toBe(expected);
  });

  it('equals round-half-up computed with BigInt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: AMOUNT_MINOR_MAX }), fc.integer({ min: 0, max: 9_999 }), (amount, bps) => {
        const exact = (BigInt(amount) * BigInt(bps) * 2n + 10_000n) / 20_000n;
        expect(BigInt(percentOfMinor(amount, bps))).toBe(exact);
      }),
      { seed: 3, numRuns: 3000 },
    );
  });
});

describe('computeProcessingFee', () => {
  it('charges 2.9 % + 30¢ on a domestic usd card and describes it as Stripe does', () => {
    expect(computeProcessingFee(2_000, 'usd', domestic)).toEqual({
      fee: 88,
      feeDetails: [{ amount: 88, currency: 'usd', description: 'Stripe processing fees', type: 'stripe_fee', application: null }],
    });
    expect(computeProcessingFee(10_000, 'usd', domestic).fee).toBe(320);
  });

  it('adds 1.5 % for international cards', () => {
    expect(INTERNATIONAL_CARD_EXTRA_BPS).toBe(150);
    expect(computeProcessingFee(10_000, 'usd', international).fee).toBe(470);
    expect(computeProcessingFee(2_000, 'usd', international).fee).toBe(118);
  });

  it.each([
    [50, 'usd', 31],
    [500, 'usd', 45], // 14.5 → 15, + 30
    [150, 'usd', 34], // 4.35 → 4, + 30
    [1_000, 'eur', 40], // 1.5 % + 25
    [30, 'gbp', 20], // 0.45 → 0, + 20
    [50, 'jpy', 2], // 3.6 % of ¥50 = 1.8 → 2
    [1_050, 'jpy', 38], // 37.8 → 38
    [125, 'jpy', 5], // 4.5 → 5
    [100_000, 'jpy', 3_600],
    [1_000, 'inr', 20],
  ] as const)('takes a fee on %d %s of %d', (amount, currency, fee) => {
    expect(computeProcessingFee(amount, currency, domestic).fee).toBe(fee);
  });

  it('never exceeds the amount, even below the currency minimum', () => {
    expect(computeProcessingFee(1, 'usd', domestic).fee).toBe(1);
    expect(computeProcessingFee(0, 'usd', domestic)).toEqual({ fee: 0, feeDetails: [] });
  });

  it('keeps 0 ≤ fee < amount from every currency’s minimum up to the ceiling', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SUPPORTED_CURRENCY_CODES),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        (currency, position, isInternational) => {
          const minimum = currencyInfo(currency).minimumChargeMinor;
          const amount = minimum + Math.floor(position * (AMOUNT_MINOR_MAX - minimum));
          const { fee, feeDetails } = computeProcessingFee(amount, currency, { international: isInternational });
          expect(Number.isSafeInteger(fee) && fee >= 0 && fee < amount).toBe(true);
          expect(feeDetails.reduce((sum, row) => sum + row.amount, 0)).toBe(fee);
        },
      ),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('keeps every fixed fee below the currency’s minimum charge', () => {
    for (const currency of SUPPORTED_CURRENCY_CODES) {
      expect(FEE_SCHEDULES[currency].fixedMinor, currency).toBeLessThan(currencyInfo(currency).minimumChargeMinor);
    }
  });
});

describe('computeDisputeFee', () => {
  it('charges $15.00 in usd as a stripe_fee row', () => {
    expect(computeDisputeFee('usd')).toEqual({
      fee: 1_500,
      feeDetails: [{ amount: 1_500, currency: 'usd', description: 'Dispute fee', type: 'stripe_fee', application: null }],
    });
  });
});
