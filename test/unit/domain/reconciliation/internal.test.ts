import { describe, expect, it } from 'vitest';
import { foldEntries } from '../../../../src/domain/ledger/balances';
import { entryForCapture, entryForRefund } from '../../../../src/domain/ledger/entries';
import {
  auditBalances,
  comparePage,
  driftDiscrepancies,
  foldRows,
  ledgerEntryFields,
  moneyObjectFields,
  type LedgerEntryRow,
  type MoneyObjectRow,
} from '../../../../src/domain/reconciliation/internal';

function entry(seq: number, overrides: Partial<LedgerEntryRow> = {}): LedgerEntryRow {
  return { seq, journalId: `jrn_${seq}`, kind: 'capture', account: 'processor_funds', currency: 'usd', amount: 100, source: 'ch_1', created: 1, ...overrides };
}

const bySeq = { keyOf: (r: LedgerEntryRow) => r.seq, fieldsOf: ledgerEntryFields, inFlight: () => false };

describe('comparePage', () => {
  it('reports missing, mismatched and extra rows of the copy', () => {
    const source = [entry(1), entry(2), entry(3)];
    const copy = [entry(1), entry(3, { amount: 99 }), entry(4)];
    const result = comparePage({ rows: source, full: false }, { rows: copy, full: false }, bySeq);
    expect(result.through).toBeNull();
    expect(result.compared).toBe(3);
    expect(result.missing.map((r) => r.seq)).toEqual([2]);
    expect(result.mismatched).toEqual([{ source: entry(3), copy: entry(3, { amount: 99 }), fields: ['amount'] }]);
    expect(result.extra.map((r) => r.seq)).toEqual([4]);
  });

  it('compares only up to the lower last key of full pages, leaving the rest for the next page', () => {
    const source = [entry(1), entry(2), entry(3)];
    const copy = [entry(1), entry(3), entry(5)];
    const result = comparePage({ rows: source, full: true }, { rows: copy, full: true }, bySeq);
    expect(result.through).toBe(3);
    expect(result.missing.map((r) => r.seq)).toEqual([2]);
    expect(result.extra).toEqual([]);
  });

  it('skips rows still waiting in the outbox on both sides', () => {
    const result = comparePage({ rows: [entry(1), entry(2)], full: false }, { rows: [entry(1, { kind: 'x' })], full: false }, {
      ...bySeq,
      inFlight: (seq) => seq >= 1,
    });
    expect(result).toMatchObject({ missing: [], mismatched: [], extra: [] });
  });

  it('compares money objects on type, version, deleted, amount, currency and status', () => {
    const object: MoneyObjectRow = { id: 'ch_1', type: 'charge', version: 2, deleted: false, amount: 500, currency: 'usd', status: 'succeeded' };
    expect(moneyObjectFields(object, { ...object, version: 1, status: 'failed' })).toEqual(['version', 'status']);
    expect(moneyObjectFields(object, { ...object })).toEqual([]);
  });
});

describe('driftDiscrepancies', () => {
  it('turns a page diff into repaired drift discrepancies with stable keys', () => {
    const found = driftDiscrepancies(
      { missing: [entry(2)], mismatched: [{ source: entry(3), copy: entry(3, { amount: 1 }), fields: ['amount'] }], extra: [entry(9)] },
      () => 'ledger_entry',
      (r) => r.seq,
    );
    expect(found.map((d) => [d.class, d.key, d.status])).toEqual([
      ['d1_missing', 'd1_missing:ledger_entry:2', 'repaired'],
      ['d1_mismatch', 'd1_mismatch:ledger_entry:3', 'repaired'],
      ['d1_extra', 'd1_extra:ledger_entry:9', 'repaired'],
    ]);
    expect(found[1]!.details).toMatchObject({ kind: 'projection', fields: ['amount'] });
  });
});

describe('auditBalances', () => {
  const capture = entryForCapture({ amount: 2000, fee: 88, currency: 'usd', bypassPending: false });
  const refund = entryForRefund({ amount: 500, currency: 'usd' });
  const rows = [capture, refund].flatMap((e, i) =>
    e.postings.map((p, j) => entry(i * 10 + j, { account: p.account, currency: p.currency, amount: p.amountMinor, kind: e.kind })),
  );

  it('accepts cached balances equal to the fold of the entries, folded a page at a time', () => {
    const fold = foldRows(foldRows({}, rows.slice(0, 2)), rows.slice(2));
    expect(auditBalances(fold, foldEntries([capture, refund]))).toEqual([]);
  });

  it('reports each cached account that differs from the fold', () => {
    const cached = foldEntries([capture]);
    const found = auditBalances(foldRows({}, rows), cached);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.class === 'ledger_out_of_balance' && d.status === 'open')).toBe(true);
  });

  it('reports a currency whose entries do not sum to zero', () => {
    const lopsided = foldRows({}, [entry(1, { amount: 5 })]);
    const found = auditBalances(lopsided, { usd: { processor_funds: 5, merchant_pending: 0, merchant_available: 0, payouts_in_transit: 0, fee_revenue: 0 } });
    expect(found.map((d) => d.key)).toEqual(['ledger_out_of_balance:usd:total']);
  });
});
