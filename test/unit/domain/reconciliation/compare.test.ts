import { describe, expect, it } from 'vitest';
import type { SettlementLine } from '../../../../src/domain/cards/processing/protocol';
import { compareSettlement, unmatchedLineObjects, type SettlementCheckInput } from '../../../../src/domain/reconciliation/compare';
import type { KnownObject, LedgerMovement } from '../../../../src/domain/reconciliation/discrepancy';
import { settlementRange } from '../../../../src/domain/reconciliation/window';

const DAY = 86_400;
const window = { startSeconds: 100 * DAY, endSeconds: 101 * DAY };
const cutoff = settlementRange(window).fromSeconds;

function capture(id: string, overrides: Partial<LedgerMovement> = {}): LedgerMovement {
  return {
    objectId: id,
    operation: 'capture',
    reference: `${id}:authorize`,
    balanceTransaction: `txn_${id}`,
    amount: 1000,
    currency: 'usd',
    fee: 59,
    expectedFee: 59,
    status: 'captured',
    occurredAtSeconds: window.startSeconds + 3600,
    ...overrides,
  };
}

function refund(id: string, overrides: Partial<LedgerMovement> = {}): LedgerMovement {
  return { ...capture(id), operation: 'refund', reference: `${id}:refund`, amount: -300, fee: 0, expectedFee: 0, status: 'succeeded', ...overrides };
}

function lineFor(m: LedgerMovement, overrides: Partial<SettlementLine> = {}): SettlementLine {
  return {
    lineId: `${m.operation}:${m.reference}`,
    reference: m.reference,
    authorizationId: 'auth_1',
    operation: m.operation,
    amount: m.amount,
    currency: m.currency,
    effectiveAtSeconds: m.occurredAtSeconds,
    settledAtSeconds: cutoff,
    ...overrides,
  };
}

function check(input: Partial<SettlementCheckInput>) {
  const result = compareSettlement({ window, movements: [], lines: [], neighbourLines: [], known: [], processorFeeExpected: 0, ...input });
  return { ...result, classes: result.discrepancies.map((d) => d.class) };
}

const paid = capture('ch_a');
const back = refund('re_b');

describe('compareSettlement', () => {
  it('reports nothing when every movement settled once, as booked', () => {
    const result = check({ movements: [paid, back], lines: [lineFor(paid), lineFor(back)] });
    expect(result.discrepancies).toEqual([]);
    expect(result.totals).toEqual({
      ledger: { usd: { count: 2, amount: 700, fee: 59 } },
      processor: { usd: { count: 2, amount: 700, fee: 0 } },
    });
  });

  it('classifies a movement without any line as missing_at_processor', () => {
    const result = check({ movements: [paid, back], lines: [lineFor(back)] });
    expect(result.classes).toEqual(['missing_at_processor']);
    expect(result.discrepancies[0]).toMatchObject({ key: 'missing_at_processor:capture:ch_a', status: 'open', reference: 'ch_a:authorize' });
  });

  it('classifies a line without any movement or object of ours as missing_in_ledger', () => {
    const stray = lineFor(capture('ch_z'));
    const result = check({ movements: [paid], lines: [lineFor(paid), stray] });
    expect(result.classes).toEqual(['missing_in_ledger']);
    expect(result.discrepancies[0]!.details).toMatchObject({ kind: 'settlement', ledger: null, processor: [stray] });
  });

  it('classifies a changed amount, currency or processor fee, one class each', () => {
    expect(check({ movements: [paid], lines: [lineFor(paid, { amount: 999 })] }).classes).toEqual(['amount']);
    expect(check({ movements: [paid], lines: [lineFor(paid, { currency: 'eur' })] }).classes).toEqual(['currency']);
    expect(check({ movements: [paid], lines: [lineFor(paid, { processorFee: 12 })] }).classes).toEqual(['fee']);
    expect(check({ movements: [paid], lines: [lineFor(paid, { amount: 1, currency: 'eur' })] }).classes).toEqual(['amount', 'currency']);
  });

  it('classifies our fee differing from the recomputed schedule as fee', () => {
    const wrongFee = capture('ch_a', { fee: 60 });
    expect(check({ movements: [wrongFee], lines: [lineFor(wrongFee)] }).classes).toEqual(['fee']);
  });

  it('classifies a second line for one movement as duplicate', () => {
    const result = check({ movements: [paid], lines: [lineFor(paid), lineFor(paid, { lineId: 'dup' })] });
    expect(result.classes).toEqual(['duplicate']);
    expect(result.totals.processor.usd).toEqual({ count: 2, amount: 2000, fee: 0 });
  });

  it('classifies a movement settled at a later cut-off as late, and not as missing', () => {
    const late = lineFor(paid, { settledAtSeconds: cutoff + DAY });
    const result = check({ movements: [paid], neighbourLines: [late] });
    expect(result.classes).toEqual(['late']);
    expect(result.discrepancies[0]!.details).toMatchObject({ processor: [late] });
  });

  it('leaves a line settling a movement of another window to that window', () => {
    const yesterday = capture('ch_y', { occurredAtSeconds: window.startSeconds - 60 });
    const known: KnownObject[] = [{ id: 'ch_y', status: 'captured', movements: [yesterday] }];
    expect(check({ lines: [lineFor(yesterday)], known }).discrepancies).toEqual([]);
  });

  it('classifies a refund failure we never booked, on a refund we hold as succeeded, as status', () => {
    const failure = lineFor(back, { operation: 'refund_failure', amount: 300, lineId: 'refund_failure:re_b:refund' });
    const known: KnownObject[] = [{ id: 're_b', status: 'succeeded', movements: [back] }];
    const result = check({ movements: [back], lines: [lineFor(back), failure], known });
    expect(result.classes).toEqual(['status']);
    expect(result.discrepancies[0]).toMatchObject({ key: 'status:refund_failure:re_b', details: { objectStatus: 'succeeded' } });
  });

  it('classifies a settled refund we still hold as pending as status', () => {
    const pending = refund('re_p', { status: 'pending' });
    expect(check({ movements: [pending], lines: [lineFor(pending)] }).classes).toEqual(['status']);
  });

  it('ignores movements outside the window and sorts discrepancies by key', () => {
    const outside = capture('ch_o', { occurredAtSeconds: window.endSeconds });
    const result = check({ movements: [outside, back, paid] });
    expect(result.discrepancies.map((d) => d.key)).toEqual(['missing_at_processor:capture:ch_a', 'missing_at_processor:refund:re_b']);
  });
});

describe('unmatchedLineObjects', () => {
  it('names the objects of lines that match no movement, once each, sorted', () => {
    const lines = [lineFor(paid), lineFor(capture('ch_z')), lineFor(refund('re_q')), lineFor(capture('ch_z'), { lineId: 'x' })];
    expect(unmatchedLineObjects([paid], lines)).toEqual(['ch_z', 're_q']);
  });
});
