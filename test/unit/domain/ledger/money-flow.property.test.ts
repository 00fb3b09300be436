/**
 * Seeded model check of the money core (RELIABILITY tests 12 and 19, in pure form): random
 * sequences of captures, availability, refunds, refund failures, payouts, paid payouts, payout
 * failures/cancels and disputes across usd, eur and jpy go through the real deciders into the
 * ledger fold and the balance transactions, and in parallel into a plain per-currency model.
 * After every step: every entry sums to 0 per currency, cached balances equal a fresh fold,
 * refunds ≤ captured per charge, available ≥ 0 after each payout, Σ BT net per status equals
 * the merchant's available/pending, and every ledger account equals the model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decidePayout, decideRefundAmount } from '../../../../src/domain/balance/decide';
import {
  adjustmentBalanceTransaction,
  applyAvailability,
  chargeBalanceTransaction,
  payoutBalanceTransaction,
  payoutReversalBalanceTransaction,
  refundBalanceTransaction,
  refundFailureBalanceTransaction,
  type BalanceTransaction,
} from '../../../../src/domain/balance/transactions';
import { applyEntry, foldEntries, merchantBalances, trialBalance, type LedgerBalances } from '../../../../src/domain/ledger/balances';
import * as entries from '../../../../src/domain/ledger/entries';
import { checkChargeAmount } from '../../../../src/domain/money/amount';
import { computeDisputeFee, computeProcessingFee } from '../../../../src/domain/money/fees';

const CURRENCIES = ['usd', 'eur', 'jpy'] as const;
type Currency = (typeof CURRENCIES)[number];
const START_SECONDS = 1_773_156_600;

/** How a refund's `amount` is chosen: omitted, relative to what is left, a share of it, or raw. */
type Requested = { k: 'default' } | { k: 'delta'; delta: number } | { k: 'share'; share: number } | { k: 'raw'; value: number };
/** Time moves by a random span, or to exactly one second before / at the next pending due time. */
type Advance = { k: 'span'; seconds: number } | { k: 'due'; offset: -1 | 0 };

type Op =
  | { t: 'capture'; currency: Currency; amount: number; bypass: boolean; international: boolean }
  | { t: 'advance'; how: Advance }
  | { t: 'refund'; pick: number; requested: Requested }
  | { t: 'refund_failure'; pick: number }
  | { t: 'payout'; currency: Currency; share: number; extra: number }
  | { t: 'payout_paid'; pick: number }
  | { t: 'payout_reversal'; pick: number; cancel: boolean }
  | { t: 'dispute'; pick: number };

const pick = fc.nat({ max: 1_000 });
const share = fc.double({ min: 0, max: 1, noNaN: true });
const requested: fc.Arbitrary<Requested> = fc.oneof(
  fc.constant({ k: 'default' as const }),
  fc.record({ k: fc.constant('delta' as const), delta: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ k: fc.constant('share' as const), share }),
  fc.record({ k: fc.constant('raw' as const), value: fc.integer({ min: -10, max: 200_000 }) }),
);
const advance: fc.Arbitrary<Advance> = fc.oneof(
  fc.record({ k: fc.constant('span' as const), seconds: fc.integer({ min: 1, max: 4 * 86_400 }) }),
  fc.record({ k: fc.constant('due' as const), offset: fc.constantFrom(-1 as const, 0 as const) }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('capture' as const), currency: fc.constantFrom(...CURRENCIES), amount: fc.integer({ min: 1, max: 300_000 }), bypass: fc.boolean(), international: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('advance' as const), how: advance }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('refund' as const), pick, requested }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('refund_failure' as const), pick }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('payout' as const), currency: fc.constantFrom(...CURRENCIES), share, extra: fc.integer({ min: -3, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('payout_paid' as const), pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('payout_reversal' as const), pick, cancel: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('dispute' as const), pick }) },
);

/** The model's own clock rule, via Date: created + 2 days, then up to the next 00:00 UTC. */
function expectedAvailableOn(createdSeconds: number): number {
  const day = new Date((createdSeconds + 2 * 86_400) * 1000);
  if (day.getUTCHours() + day.getUTCMinutes() + day.getUTCSeconds() > 0) day.setUTCHours(24, 0, 0, 0);
  return day.getTime() / 1000;
}

interface Charge { id: string; currency: Currency; captured: number; refunded: number; refunds: Array<{ amount: number; failed: boolean }> }
interface Payout { id: string; currency: Currency; amount: number; stage: 'in_transit' | 'paid' | 'reversed' }
interface Model { available: number; pending: number; inTransit: number; feeRevenue: number; processorFunds: number }
interface PendingFunds { currency: Currency; net: number; dueSeconds: number }
const emptyModel = (): Model => ({ available: 0, pending: 0, inTransit: 0, feeRevenue: 0, processorFunds: 0 });

/** Everything the run keeps: the system under test (journal, cache, BTs) and the independent model. */
class World {
  journal: entries.JournalEntry[] = [];
  cached: LedgerBalances = {};
  bts: BalanceTransaction[] = [];
  charges: Charge[] = [];
  payouts: Payout[] = [];
  model = { usd: emptyModel(), eur: emptyModel(), jpy: emptyModel() } satisfies Record<Currency, Model>;
  /** The model's pending funds, released by its own due times (not by applyAvailability). */
  pendingFunds: PendingFunds[] = [];
  now = START_SECONDS;
  private seq = 0;

  id(prefix: string): string {
    return `${prefix}_${++this.seq}`;
  }

  post(entry: entries.JournalEntry): void {
    if (!entries.isBalanced(entry)) throw new Error(`unbalanced ${entry.kind}: ${JSON.stringify(entry.postings)}`);
    this.journal.push(entry);
    this.cached = applyEntry(this.cached, entry);
  }

  base(sourceId: string, currency: Currency) {
    return { id: this.id('txn'), sourceId, currency, createdSeconds: this.now, description: null };
  }
}

function capture(w: World, o: Extract<Op, { t: 'capture' }>): void {
  const checked = checkChargeAmount(o.amount, o.currency);
  if (!checked.ok) return;
  const fees = computeProcessingFee(checked.value, o.currency, { international: o.international });
  const charge: Charge = { id: w.id('ch'), currency: o.currency, captured: checked.value, refunded: 0, refunds: [] };
  w.charges.push(charge);
  w.post(entries.entryForCapture({ amount: checked.value, fee: fees.fee, currency: o.currency, bypassPending: o.bypass }));
  const bt = chargeBalanceTransaction({ ...w.base(charge.id, o.currency), amount: checked.value, fees, bypassPending: o.bypass });
  w.bts.push(bt);
  expect(bt.availableOnSeconds).toBe(o.bypass ? w.now : expectedAvailableOn(w.now));
  const m = w.model[o.currency];
  const net = checked.value - fees.fee;
  if (o.bypass) m.available += net;
  else {
    m.pending += net;
    w.pendingFunds.push({ currency: o.currency, net, dueSeconds: expectedAvailableOn(w.now) });
  }
  m.feeRevenue += fees.fee;
  m.processorFunds += checked.value;
}

function advanceClock(w: World, how: Advance): void {
  if (how.k === 'span') w.now += how.seconds;
  else {
    const next = Math.min(...w.pendingFunds.map((f) => f.dueSeconds));
    if (Number.isFinite(next) && next + how.offset > w.now) w.now = next + how.offset;
  }
  w.bts = w.bts.map((bt) => {
    const next = applyAvailability(bt, w.now);
    if (next !== bt && bt.net > 0) w.post(entries.entryForAvailability({ net: bt.net, currency: bt.currency }));
    return next;
  });
  for (const funds of w.pendingFunds.filter((f) => f.dueSeconds <= w.now)) {
    w.model[funds.currency].pending -= funds.net;
    w.model[funds.currency].available += funds.net;
  }
  w.pendingFunds = w.pendingFunds.filter((f) => f.dueSeconds > w.now);
}

function resolveRequested(requested: Requested, remaining: number): number | undefined {
  if (requested.k === 'default') return undefined;
  if (requested.k === 'delta') return remaining + requested.delta;
  if (requested.k === 'share') return Math.floor(remaining * requested.share);
  return requested.value;
}

function refund(w: World, o: Extract<Op, { t: 'refund' }>): void {
  const charge = w.charges[o.pick % Math.max(1, w.charges.length)];
  if (charge === undefined) return;
  const remaining = charge.captured - charge.refunded;
  const amount = resolveRequested(o.requested, remaining);
  const decided = decideRefundAmount({ chargeId: charge.id, currency: charge.currency, captured: charge.captured, refunded: charge.refunded, requested: amount });
  if (!decided.ok) {
    expect(remaining === 0 || (amount !== undefined && (amount < 1 || amount > remaining))).toBe(true);
    return;
  }
  expect(decided.value).toBe(amount ?? remaining);
  charge.refunded += decided.value;
  charge.refunds.push({ amount: decided.value, failed: false });
  w.post(entries.entryForRefund({ amount: decided.value, currency: charge.currency }));
  w.bts.push(refundBalanceTransaction({ ...w.base(w.id('re'), charge.currency), amount: decided.value }));
  w.model[charge.currency].available -= decided.value;
  w.model[charge.currency].processorFunds -= decided.value;
}

function refundFailure(w: World, pickIndex: number): void {
  const open = w.charges.flatMap((charge) => charge.refunds.filter((r) => !r.failed).map((r) => ({ charge, r })));
  const chosen = open[pickIndex % Math.max(1, open.length)];
  if (chosen === undefined) return;
  chosen.r.failed = true;
  chosen.charge.refunded -= chosen.r.amount;
  const { currency } = chosen.charge;
  w.post(entries.entryForRefundFailure({ amount: chosen.r.amount, currency }));
  w.bts.push(refundFailureBalanceTransaction({ ...w.base(w.id('re'), currency), amount: chosen.r.amount }));
  w.model[currency].available += chosen.r.amount;
  w.model[currency].processorFunds += chosen.r.amount;
}

function payout(w: World, o: Extract<Op, { t: 'payout' }>): void {
  const { available } = merchantBalances(w.cached, o.currency);
  const amount = Math.floor(Math.max(0, available) * o.share) + o.extra;
  const decided = decidePayout({ available, amount, currency: o.currency });
  if (!decided.ok) {
    expect(amount < 1 || amount > available).toBe(true);
    return;
  }
  expect(decided.value).toBe(amount);
  const po: Payout = { id: w.id('po'), currency: o.currency, amount: decided.value, stage: 'in_transit' };
  w.payouts.push(po);
  w.post(entries.entryForPayout({ amount: po.amount, currency: po.currency }));
  w.bts.push(payoutBalanceTransaction({ ...w.base(po.id, po.currency), amount: po.amount }));
  w.model[po.currency].available -= po.amount;
  w.model[po.currency].inTransit += po.amount;
  if (merchantBalances(w.cached, po.currency).available < 0) throw new Error(`${po.currency} available < 0 after payout ${po.id}`);
}

function payoutPaid(w: World, pickIndex: number): void {
  const open = w.payouts.filter((p) => p.stage === 'in_transit');
  const po = open[pickIndex % Math.max(1, open.length)];
  if (po === undefined) return;
  po.stage = 'paid';
  w.post(entries.entryForPayoutPaid({ amount: po.amount, currency: po.currency }));
  w.model[po.currency].inTransit -= po.amount;
  w.model[po.currency].processorFunds -= po.amount;
}

function payoutReversal(w: World, o: Extract<Op, { t: 'payout_reversal' }>): void {
  const open = w.payouts.filter((p) => p.stage !== 'reversed');
  const po = open[o.pick % Math.max(1, open.length)];
  if (po === undefined) return;
  const stage = po.stage === 'paid' ? 'paid' : 'in_transit';
  const type = o.cancel && stage === 'in_transit' ? 'payout_cancel' : 'payout_failure';
  po.stage = 'reversed';
  w.post(entries.entryForPayoutReversal({ amount: po.amount, currency: po.currency, stage }));
  w.bts.push(payoutReversalBalanceTransaction({ ...w.base(po.id, po.currency), amount: po.amount, type }));
  const m = w.model[po.currency];
  m.available += po.amount;
  if (stage === 'paid') m.processorFunds += po.amount;
  else m.inTransit -= po.amount;
}

function dispute(w: World, pickIndex: number): void {
  const charge = w.charges[pickIndex % Math.max(1, w.charges.length)];
  if (charge === undefined) return;
  const fees = computeDisputeFee(charge.currency);
  w.post(entries.entryForAdjustment({ amount: 0 - charge.captured, fee: fees.fee, currency: charge.currency }));
  w.bts.push(adjustmentBalanceTransaction({ ...w.base(w.id('dp'), charge.currency), signedAmount: 0 - charge.captured, fees, reportingCategory: 'dispute' }));
  const m = w.model[charge.currency];
  m.available -= charge.captured + fees.fee;
  m.feeRevenue += fees.fee;
  m.processorFunds -= charge.captured;
}

function step(w: World, o: Op): void {
  if (o.t === 'capture') capture(w, o);
  else if (o.t === 'advance') advanceClock(w, o.how);
  else if (o.t === 'refund') refund(w, o);
  else if (o.t === 'refund_failure') refundFailure(w, o.pick);
  else if (o.t === 'payout') payout(w, o);
  else if (o.t === 'payout_paid') payoutPaid(w, o.pick);
  else if (o.t === 'payout_reversal') payoutReversal(w, o);
  else dispute(w, o.pick);
}

/** A plain throwing check: called ~50 times per step, where vitest's expect would dominate the run time. */
function same(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: got ${String(actual)}, model says ${String(expected)}`);
}

function sumNet(bts: readonly BalanceTransaction[], currency: Currency, status: BalanceTransaction['status']): number {
  return bts.filter((bt) => bt.currency === currency && bt.status === status).reduce((sum, bt) => sum + bt.net, 0);
}

function checkInvariants(w: World): void {
  // The cache is canonical JSON, so a string comparison is the whole "balances = fold(entries)" check.
  same(JSON.stringify(w.cached), JSON.stringify(foldEntries(w.journal)), 'cached balances vs fresh fold');
  for (const charge of w.charges) {
    if (charge.refunded > charge.captured) throw new Error(`${charge.id} refunded ${charge.refunded} > captured ${charge.captured}`);
    same(charge.refunds.filter((r) => !r.failed).reduce((sum, r) => sum + r.amount, 0), charge.refunded, `${charge.id} refunds`);
  }
  for (const currency of CURRENCIES) {
    const m = w.model[currency];
    const accounts = w.cached[currency];
    const merchant = merchantBalances(w.cached, currency);
    same(trialBalance(w.cached, currency), 0, `${currency} trial balance`);
    same(merchant.available, m.available, `${currency} available`);
    same(merchant.pending, m.pending, `${currency} pending`);
    same(accounts?.processor_funds ?? 0, m.processorFunds, `${currency} processor_funds`);
    same(0 - (accounts?.payouts_in_transit ?? 0), m.inTransit, `${currency} payouts_in_transit`);
    same(0 - (accounts?.fee_revenue ?? 0), m.feeRevenue, `${currency} fee_revenue`);
    same(sumNet(w.bts, currency, 'available'), m.available, `${currency} Σ net of available BTs`);
    same(sumNet(w.bts, currency, 'pending'), m.pending, `${currency} Σ net of pending BTs`);
    if (m.pending < 0 || m.inTransit < 0) throw new Error(`${currency} pending or in-transit below zero`);
  }
}

describe('money core model check', () => {
  it('keeps the ledger, the balance transactions and the model in agreement after every step', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80, size: 'max' }), (ops) => {
        const world = new World();
        for (const o of ops) {
          step(world, o);
          checkInvariants(world);
        }
      }),
      { seed: 20260310, numRuns: 300 },
    );
  });
});
