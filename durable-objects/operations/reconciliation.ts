/**
 * A person's correction of a money discrepancy found by reconciliation: a NEW adjusting entry
 * (balanced journal entry + `adjustment` balance transaction whose source is the discrepancy),
 * never an edit of existing records. At most one per discrepancy: asking again returns the
 * adjustment already booked. Runs like every operation: one transaction, Stripe idempotency.
 */
import { adjustmentBalanceTransaction, type BalanceTransaction } from '../../src/domain/balance/transactions';
import { invalidRequestError } from '../../src/domain/errors';
import { AMOUNT_MINOR_MAX } from '../../src/domain/limits';
import { entryForAdjustment } from '../../src/domain/ledger/entries';
import { parseCurrency } from '../../src/domain/money/currency';
import { err, ok } from '../../src/domain/result';
import { toBalanceTransactionJson } from '../../src/stripe/objects/balance-transaction';
import type { Handler } from '../context';
import { postEntry, recordBalanceTransaction } from './money';

export interface DiscrepancyAdjustmentCommand {
  readonly discrepancyId: string;
  /** Signed, in merchant terms: + credits the merchant's available balance, − debits it. */
  readonly amount: number;
  readonly currency: string;
  readonly description: string | null;
}

function existingAdjustment(sql: SqlStorage, discrepancyId: string): BalanceTransaction | null {
  const row = sql
    .exec<{ data: string }>("SELECT data FROM objects WHERE type = 'balance_transaction' AND parent = ? AND status = 'adjustment'", discrepancyId)
    .toArray()[0];
  return row ? (JSON.parse(row.data) as BalanceTransaction) : null;
}

export const adjustForDiscrepancy: Handler<DiscrepancyAdjustmentCommand> = (ctx, command) => {
  const existing = existingAdjustment(ctx.sql, command.discrepancyId);
  if (existing) return ok(toBalanceTransactionJson(existing));
  const currency = parseCurrency(command.currency, 'adjustment[currency]');
  if (!currency.ok) return currency;
  if (command.amount === 0 || Math.abs(command.amount) > AMOUNT_MINOR_MAX) {
    return err(invalidRequestError(`The adjustment amount must be non-zero and at most ${AMOUNT_MINOR_MAX} in either direction.`, 'adjustment[amount]'));
  }
  const posted = postEntry(ctx, entryForAdjustment({ amount: command.amount, fee: 0, currency: currency.value }), command.discrepancyId, 'adjustment[amount]');
  if (!posted.ok) return posted;
  const bt = adjustmentBalanceTransaction({
    id: ctx.newId('txn'),
    sourceId: command.discrepancyId,
    signedAmount: command.amount,
    fees: { fee: 0, feeDetails: [] },
    reportingCategory: 'other_adjustment',
    currency: currency.value,
    createdSeconds: ctx.nowSeconds,
    description: command.description,
  });
  recordBalanceTransaction(ctx, bt);
  return ok(toBalanceTransactionJson(bt));
};

export const RECONCILIATION_OPERATIONS = {
  'reconciliation.adjust': adjustForDiscrepancy,
} as const;
