/**
 * Money movements inside the account DO: every one posts a balanced journal entry (refused, not
 * "fixed", when a bound would be crossed) and writes its balance transaction, in the caller's
 * transaction, so objects, ledger and balance transactions can never disagree.
 */
import { applyAvailability, type BalanceTransaction } from '../../src/domain/balance/transactions';
import type { DomainError } from '../../src/domain/errors';
import { tryApplyEntry } from '../../src/domain/ledger/balances';
import { entryForAvailability, type JournalEntry } from '../../src/domain/ledger/entries';
import { isCurrencyCode } from '../../src/domain/money/currency';
import { assert } from '../../src/domain/assert';
import { ok, type Result } from '../../src/domain/result';
import { toBalanceTransactionJson } from '../../src/stripe/objects/balance-transaction';
import { emit, project, type OperationContext } from '../context';
import {
  clearPendingAvailability,
  dueAvailability,
  insertJournalEntry,
  readLedgerBalances,
  schedulePendingAvailability,
  writeLedgerBalances,
} from '../ledger-store';
import { insertObject, readObject, updateObject } from '../store';

const BT_TYPE = 'balance_transaction';
const AVAILABILITY_BATCH_MAX = 200;

/** Posts one journal entry; fails (writing nothing) if a balance would leave its bounds. */
export function postEntry(ctx: OperationContext, entry: JournalEntry, source: string, param = 'amount'): Result<void, DomainError> {
  const next = tryApplyEntry(readLedgerBalances(ctx.sql), entry, param);
  if (!next.ok) return next;
  insertJournalEntry(ctx.sql, ctx.newId('jrn'), entry, source, ctx.nowSeconds);
  writeLedgerBalances(ctx.sql, next.value);
  return ok(undefined);
}

/** Stores a balance transaction (and schedules it for availability when pending). */
export function recordBalanceTransaction(ctx: OperationContext, bt: BalanceTransaction): void {
  const stored = insertObject(ctx.sql, { id: bt.id, type: BT_TYPE, created: bt.createdSeconds, data: bt }, { parent: bt.sourceId, status: bt.type });
  project(ctx, stored, toBalanceTransactionJson(bt), { status: bt.status });
  if (bt.status === 'pending') schedulePendingAvailability(ctx.sql, bt.id, bt.availableOnSeconds);
}

export function loadBalanceTransaction(ctx: OperationContext, id: string) {
  return readObject<BalanceTransaction>(ctx.sql, id, BT_TYPE);
}

/**
 * Moves due pending funds to available: one availability entry and a status change per balance
 * transaction, then one `balance.available` event. Idempotent: an available BT is skipped.
 */
export function makeDueFundsAvailable(ctx: OperationContext): number {
  let moved = 0;
  for (const id of dueAvailability(ctx.sql, ctx.nowSeconds, AVAILABILITY_BATCH_MAX)) {
    const stored = loadBalanceTransaction(ctx, id);
    clearPendingAvailability(ctx.sql, id);
    if (!stored || stored.data.status !== 'pending') continue;
    const bt = stored.data;
    assert(isCurrencyCode(bt.currency), `balance transaction ${id} has a supported currency`);
    if (bt.net > 0) {
      // A zero-net movement (fee equal to the amount) has nothing to move; only its status changes.
      const posted = postEntry(ctx, entryForAvailability({ net: bt.net, currency: bt.currency }), id);
      assert(posted.ok, `availability of ${id} stays within ledger bounds`);
    }
    const available = applyAvailability(bt, ctx.nowSeconds);
    const saved = updateObject(ctx.sql, stored, available, { parent: bt.sourceId, status: bt.type });
    project(ctx, saved, toBalanceTransactionJson(available), { status: available.status });
    moved += 1;
  }
  return moved;
}

export function emitBalanceAvailable(ctx: OperationContext, balanceJson: unknown): void {
  emit(ctx, 'balance.available', balanceJson);
}
