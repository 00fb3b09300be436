import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../../../src/domain/assert';
import { normalBalance } from '../../../../src/domain/ledger/accounts';
import {
  assertValidEntry,
  entryForAdjustment,
  entryForAvailability,
  entryForCapture,
  entryForPayout,
  entryForPayoutPaid,
  entryForPayoutReversal,
  entryForRefund,
  entryForRefundFailure,
  isBalanced,
  type JournalEntry,
} from '../../../../src/domain/ledger/entries';

/** Every builder, with representative inputs, including edge shapes (zero fee, fee = amount). */
const BUILT: ReadonlyArray<readonly [string, JournalEntry]> = [
  ['capture', entryForCapture({ amount: 2_000, fee: 88, currency: 'usd', bypassPending: false })],
  ['capture, bypass pending', entryForCapture({ amount: 10_000, fee: 320, currency: 'usd', bypassPending: true })],
  ['capture, zero fee', entryForCapture({ amount: 1_050, fee: 0, currency: 'jpy', bypassPending: false })],
  ['capture, fee = amount', entryForCapture({ amount: 1, fee: 1, currency: 'usd', bypassPending: false })],
  ['availability', entryForAvailability({ net: 1_912, currency: 'usd' })],
  ['refund', entryForRefund({ amount: 500, currency: 'eur' })],
  ['refund failure', entryForRefundFailure({ amount: 500, currency: 'eur' })],
  ['payout', entryForPayout({ amount: 1_000, currency: 'usd' })],
  ['payout paid', entryForPayoutPaid({ amount: 1_000, currency: 'usd' })],
  ['payout reversal in transit', entryForPayoutReversal({ amount: 1_000, currency: 'usd', stage: 'in_transit' })],
  ['payout reversal after paid', entryForPayoutReversal({ amount: 1_000, currency: 'usd', stage: 'paid' })],
  ['dispute', entryForAdjustment({ amount: -2_000, fee: 1_500, currency: 'usd' })],
  ['dispute won', entryForAdjustment({ amount: 2_000, fee: 0, currency: 'usd' })],
  ['fee-only adjustment', entryForAdjustment({ amount: 0, fee: 1_500, currency: 'usd' })],
];

describe('entry builders', () => {
  it.each(BUILT)('%s is balanced, single-currency, with non-zero postings', (_label, entry) => {
    expect(isBalanced(entry)).toBe(true);
    expect(() => assertValidEntry(entry)).not.toThrow();
    expect(new Set(entry.postings.map((p) => p.currency)).size).toBe(1);
    expect(entry.postings.every((p) => p.amountMinor !== 0 && Number.isSafeInteger(p.amountMinor))).toBe(true);
  });

  it('splits a capture into gross receivable, merchant net pending and fee revenue', () => {
    expect(entryForCapture({ amount: 2_000, fee: 88, currency: 'usd', bypassPending: false })).toEqual({
      kind: 'capture',
      postings: [
        { account: 'processor_funds', currency: 'usd', amountMinor: 2_000 },
        { account: 'merchant_pending', currency: 'usd', amountMinor: -1_912 },
        { account: 'fee_revenue', currency: 'usd', amountMinor: -88 },
      ],
    });
  });

  it('credits available instead of pending for bypass-pending cards', () => {
    const accounts = entryForCapture({ amount: 10_000, fee: 320, currency: 'usd', bypassPending: true }).postings.map((p) => p.account);
    expect(accounts).toContain('merchant_available');
    expect(accounts).not.toContain('merchant_pending');
  });

  it('moves a dispute’s amount plus fee out of the merchant’s available', () => {
    const entry = entryForAdjustment({ amount: -2_000, fee: 1_500, currency: 'usd' });
    const available = entry.postings.find((p) => p.account === 'merchant_available');
    expect(normalBalance('merchant_available', available?.amountMinor ?? 0)).toBe(-3_500);
  });

  it('returns payout funds from the account the money sat in', () => {
    const inTransit = entryForPayoutReversal({ amount: 700, currency: 'usd', stage: 'in_transit' });
    const paid = entryForPayoutReversal({ amount: 700, currency: 'usd', stage: 'paid' });
    expect(inTransit.postings[0]).toEqual({ account: 'payouts_in_transit', currency: 'usd', amountMinor: 700 });
    expect(paid.postings[0]).toEqual({ account: 'processor_funds', currency: 'usd', amountMinor: 700 });
  });

  it.each([
    ['zero capture', () => entryForCapture({ amount: 0, fee: 0, currency: 'usd', bypassPending: false })],
    ['fee above amount', () => entryForCapture({ amount: 100, fee: 101, currency: 'usd', bypassPending: false })],
    ['negative fee', () => entryForCapture({ amount: 100, fee: -1, currency: 'usd', bypassPending: false })],
    ['fractional refund', () => entryForRefund({ amount: 10.5, currency: 'jpy' })],
    ['negative payout', () => entryForPayout({ amount: -5, currency: 'usd' })],
    ['unsafe availability', () => entryForAvailability({ net: 2 ** 53, currency: 'usd' })],
    ['empty adjustment', () => entryForAdjustment({ amount: 0, fee: 0, currency: 'usd' })],
  ])('throws InvariantViolation for a %s (inputs were not validated: a bug)', (_label, build) => {
    expect(build).toThrow(InvariantViolation);
  });
});

describe('isBalanced', () => {
  it('requires a zero sum in every currency separately', () => {
    const crossCurrency: JournalEntry = {
      kind: 'adjustment',
      postings: [
        { account: 'processor_funds', currency: 'usd', amountMinor: 100 },
        { account: 'merchant_available', currency: 'eur', amountMinor: -100 },
      ],
    };
    expect(isBalanced(crossCurrency)).toBe(false);
    expect(() => assertValidEntry(crossCurrency)).toThrow(InvariantViolation);
  });

  it('rejects an off-by-one entry and unsafe amounts', () => {
    const offByOne: JournalEntry = {
      kind: 'refund',
      postings: [
        { account: 'merchant_available', currency: 'usd', amountMinor: 500 },
        { account: 'processor_funds', currency: 'usd', amountMinor: -499 },
      ],
    };
    const unsafe: JournalEntry = {
      kind: 'refund',
      postings: [
        { account: 'merchant_available', currency: 'usd', amountMinor: 2 ** 53 + 2 },
        { account: 'processor_funds', currency: 'usd', amountMinor: -(2 ** 53 + 2) },
      ],
    };
    expect(isBalanced(offByOne)).toBe(false);
    expect(isBalanced(unsafe)).toBe(false);
  });
});
