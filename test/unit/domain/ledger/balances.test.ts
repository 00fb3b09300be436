import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../../../src/domain/assert';
import { BALANCE_MINOR_MAX } from '../../../../src/domain/limits';
import {
  EMPTY_LEDGER_BALANCES,
  allMerchantBalances,
  applyEntry,
  assertLedgerBalances,
  foldEntries,
  merchantBalances,
  trialBalance,
  tryApplyEntry,
} from '../../../../src/domain/ledger/balances';
import {
  entryForAvailability,
  entryForCapture,
  entryForPayout,
  entryForPayoutPaid,
  entryForRefund,
  type JournalEntry,
} from '../../../../src/domain/ledger/entries';

const flow: JournalEntry[] = [
  entryForCapture({ amount: 2_000, fee: 88, currency: 'usd', bypassPending: false }),
  entryForCapture({ amount: 10_000, fee: 320, currency: 'usd', bypassPending: true }),
  entryForCapture({ amount: 1_050, fee: 38, currency: 'jpy', bypassPending: false }),
  entryForRefund({ amount: 500, currency: 'usd' }),
  entryForPayout({ amount: 1_000, currency: 'usd' }),
];

describe('foldEntries / merchantBalances', () => {
  it('reports the merchant’s available and pending per currency, positive when owed', () => {
    const balances = foldEntries(flow);
    expect(merchantBalances(balances, 'usd')).toEqual({ currency: 'usd', available: 9_680 - 500 - 1_000, pending: 1_912 });
    expect(merchantBalances(balances, 'jpy')).toEqual({ currency: 'jpy', available: 0, pending: 1_012 });
    expect(merchantBalances(balances, 'eur')).toEqual({ currency: 'eur', available: 0, pending: 0 });
    expect(allMerchantBalances(balances).map((b) => b.currency)).toEqual(['jpy', 'usd']);
  });

  it('keeps the trial balance at zero in every currency', () => {
    const balances = foldEntries(flow);
    expect(trialBalance(balances, 'usd')).toBe(0);
    expect(trialBalance(balances, 'jpy')).toBe(0);
  });

  it('drains the in-transit clearing account once the payout is paid', () => {
    const balances = foldEntries([...flow, entryForPayoutPaid({ amount: 1_000, currency: 'usd' })]);
    expect(balances.usd?.payouts_in_transit).toBe(0);
    expect(balances.usd?.processor_funds).toBe(12_000 - 500 - 1_000);
  });

  it('moves pending to available on availability', () => {
    const balances = foldEntries([flow[0]!, entryForAvailability({ net: 1_912, currency: 'usd' })]);
    expect(merchantBalances(balances, 'usd')).toEqual({ currency: 'usd', available: 1_912, pending: 0 });
  });

  it('produces canonical plain JSON: same entries in another currency order give the same string', () => {
    const a = foldEntries(flow);
    const b = foldEntries([flow[2]!, flow[0]!, flow[1]!, flow[3]!, flow[4]!]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(Object.keys(a)).toEqual(['jpy', 'usd']);
    expect(Object.keys(a.usd ?? {})).toEqual(['processor_funds', 'merchant_pending', 'merchant_available', 'payouts_in_transit', 'fee_revenue']);
    expect(Object.is(foldEntries([]).usd, undefined)).toBe(true);
  });

  it('never stores -0', () => {
    const balances = foldEntries([entryForRefund({ amount: 5, currency: 'usd' }), entryForCapture({ amount: 5, fee: 0, currency: 'usd', bypassPending: true })]);
    for (const value of Object.values(balances.usd ?? {})) expect(Object.is(value, -0)).toBe(false);
  });

  it('does not mutate its input', () => {
    const before = foldEntries(flow);
    const snapshot = JSON.stringify(before);
    applyEntry(before, entryForRefund({ amount: 1, currency: 'usd' }));
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});

describe('applyEntry / tryApplyEntry bounds', () => {
  const nearMax = foldEntries([entryForCapture({ amount: BALANCE_MINOR_MAX - 10, fee: 0, currency: 'usd', bypassPending: true })]);
  const push = entryForCapture({ amount: 11, fee: 0, currency: 'usd', bypassPending: true });

  it('throws when a balance would leave ±BALANCE_MINOR_MAX', () => {
    expect(() => applyEntry(nearMax, push)).toThrow(InvariantViolation);
  });

  it('reports the same breach as an expected amount_too_large, leaving balances as they were', () => {
    const result = tryApplyEntry(nearMax, push);
    expect(result).toMatchObject({ ok: false, error: { reason: 'amount_too_large', param: 'amount' } });
    expect(tryApplyEntry(nearMax, entryForCapture({ amount: 10, fee: 0, currency: 'usd', bypassPending: true })).ok).toBe(true);
  });

  it('refuses unbalanced entries even through tryApplyEntry', () => {
    const bad: JournalEntry = {
      kind: 'refund',
      postings: [
        { account: 'merchant_available', currency: 'usd', amountMinor: 2 },
        { account: 'processor_funds', currency: 'usd', amountMinor: -1 },
      ],
    };
    expect(() => tryApplyEntry(EMPTY_LEDGER_BALANCES, bad)).toThrow(InvariantViolation);
  });
});

describe('assertLedgerBalances', () => {
  it('accepts a fold read back from JSON', () => {
    const stored: unknown = JSON.parse(JSON.stringify(foldEntries(flow)));
    expect(() => assertLedgerBalances(stored)).not.toThrow();
  });

  it.each([
    ['an array', []],
    ['an unknown currency', { xyz: {} }],
    ['a missing account', { usd: { processor_funds: 0 } }],
    ['a string amount', { usd: { processor_funds: '0', merchant_pending: 0, merchant_available: 0, payouts_in_transit: 0, fee_revenue: 0 } }],
    ['a fraction', { usd: { processor_funds: 0.5, merchant_pending: 0, merchant_available: 0, payouts_in_transit: 0, fee_revenue: 0 } }],
  ])('throws on %s', (_label, value) => {
    expect(() => assertLedgerBalances(value)).toThrow(InvariantViolation);
  });
});
