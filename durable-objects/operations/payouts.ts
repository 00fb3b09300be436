/**
 * Payouts: drawn from the AVAILABLE balance only, in one transaction with the `payout` balance
 * transaction and ledger entry, so concurrent payouts can never overdraw it. Status then moves on
 * the alarm's schedule (`advancePayout`): pending → in_transit → paid, or failed (funds return);
 * a pending payout can be canceled (funds return). Every money movement is a balance transaction
 * plus its balanced journal entry, written together with the payout and its event.
 */
import { decidePayout } from '../../src/domain/balance/decide';
import { payoutBalanceTransaction, payoutReversalBalanceTransaction } from '../../src/domain/balance/transactions';
import { invalidRequestError, resourceMissing } from '../../src/domain/errors';
import { merchantBalances } from '../../src/domain/ledger/balances';
import { entryForPayout, entryForPayoutPaid, entryForPayoutReversal } from '../../src/domain/ledger/entries';
import { isCurrencyCode, parseCurrency, type CurrencyCode } from '../../src/domain/money/currency';
import {
  checkPayoutMethod,
  decidePayoutCancel,
  decidePayoutProgress,
  payoutArrivalDate,
  payoutInTransitAt,
  resolvePayoutDestination,
  type Payout,
  type PayoutMethod,
  type PayoutSourceType,
  type PayoutStatus,
  type PayoutStep,
} from '../../src/domain/payments/payout';
import { assert } from '../../src/domain/assert';
import { err, ok } from '../../src/domain/result';
import type { ListArgs } from '../../src/stripe/list';
import { toPayoutJson } from '../../src/stripe/objects/payout';
import { applyMetadataPatch, type MetadataPatch } from '../../src/stripe/params/common';
import { emit, project, type Handler, type OperationContext } from '../context';
import { clearDueCheck, readLedgerBalances, scheduleDueCheck } from '../ledger-store';
import { insertObject, readObject, updateObject, type StoredObject } from '../store';
import { listPage } from './lists';
import { postEntry, recordBalanceTransaction } from './money';

const TYPE = 'payout';

export interface PayoutCreateCommand {
  readonly amount: number;
  readonly currency: string;
  readonly description?: string | null;
  readonly destination?: string;
  readonly method?: PayoutMethod;
  readonly sourceType?: PayoutSourceType;
  readonly statementDescriptor?: string | null;
  readonly metadata?: MetadataPatch;
}

export function loadPayout(ctx: OperationContext, id: string): StoredObject<Payout> | null {
  return readObject<Payout>(ctx.sql, id, TYPE);
}

function savePayout(ctx: OperationContext, stored: StoredObject<Payout> | null, payout: Payout): StoredObject<Payout> {
  const index = { parent: payout.destination, status: payout.status };
  const saved = stored
    ? (updateObject(ctx.sql, stored, payout, index) as StoredObject<Payout>)
    : (insertObject(ctx.sql, { id: payout.id, type: TYPE, created: payout.created, data: payout }, index) as StoredObject<Payout>);
  project(ctx, saved, toPayoutJson(payout), { status: payout.status });
  return saved;
}

function currencyOf(payout: Payout): CurrencyCode {
  assert(isCurrencyCode(payout.currency), `payout ${payout.id} has a supported currency`);
  return payout.currency;
}

export const createPayout: Handler<PayoutCreateCommand> = (ctx, command) => {
  const currency = parseCurrency(command.currency);
  if (!currency.ok) return currency;
  const method = checkPayoutMethod(command.method);
  if (!method.ok) return method;
  const destination = resolvePayoutDestination(command.destination);
  if (!destination.ok) return destination;
  const sourceType = command.sourceType ?? 'card';
  // Only card funds exist here: any other source type has nothing available to pay out.
  const available = sourceType === 'card' ? merchantBalances(readLedgerBalances(ctx.sql), currency.value).available : 0;
  const amount = decidePayout({ available, amount: command.amount, currency: currency.value });
  if (!amount.ok) return amount;
  const id = ctx.newId('po');
  const description = command.description ?? null;
  const bt = payoutBalanceTransaction({ id: ctx.newId('txn'), sourceId: id, amount: amount.value, currency: currency.value, createdSeconds: ctx.nowSeconds, description });
  const posted = postEntry(ctx, entryForPayout({ amount: amount.value, currency: currency.value }), id);
  if (!posted.ok) return posted;
  recordBalanceTransaction(ctx, bt);
  const payout: Payout = {
    id,
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    amount: amount.value,
    currency: currency.value,
    arrivalDate: payoutArrivalDate(ctx.nowSeconds),
    description,
    destination: destination.value,
    statementDescriptor: command.statementDescriptor ?? null,
    sourceType,
    status: 'pending',
    balanceTransaction: bt.id,
    failureBalanceTransaction: null,
    failureCode: null,
    failureMessage: null,
    metadata: applyMetadataPatch({}, command.metadata),
  };
  savePayout(ctx, null, payout);
  scheduleDueCheck(ctx.sql, 'payout', id, payoutInTransitAt(payout));
  const json = toPayoutJson(payout);
  emit(ctx, 'payout.created', json);
  return ok(json);
};

export const retrievePayout: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadPayout(ctx, id);
  if (!stored) return err(resourceMissing('payout', id));
  return ok(toPayoutJson(stored.data));
};

export const updatePayout: Handler<{ id: string; metadata?: MetadataPatch }> = (ctx, { id, metadata }) => {
  const stored = loadPayout(ctx, id);
  if (!stored) return err(resourceMissing('payout', id));
  const payout: Payout = { ...stored.data, metadata: applyMetadataPatch(stored.data.metadata, metadata) };
  savePayout(ctx, stored, payout);
  const json = toPayoutJson(payout);
  emit(ctx, 'payout.updated', json, { metadata: stored.data.metadata });
  return ok(json);
};

export interface PayoutListCommand {
  readonly list: ListArgs;
  readonly status?: PayoutStatus;
  readonly destination?: string;
}

export const listPayouts: Handler<PayoutListCommand> = (ctx, command) =>
  listPage<Payout>(ctx, {
    type: TYPE,
    url: '/v1/payouts',
    list: command.list,
    equals: { status: command.status ?? null, parent: command.destination ?? null },
    render: toPayoutJson,
  });

/** Gives a payout's funds back to available: a `payout_failure`/`payout_cancel` BT and entry. */
function returnFunds(ctx: OperationContext, payout: Payout, type: 'payout_failure' | 'payout_cancel'): string {
  const currency = currencyOf(payout);
  const bt = payoutReversalBalanceTransaction({ id: ctx.newId('txn'), sourceId: payout.id, amount: payout.amount, currency, createdSeconds: ctx.nowSeconds, description: payout.description, type });
  // Funds wait in `payouts_in_transit` from creation until paid, so both cases reverse from there.
  const posted = postEntry(ctx, entryForPayoutReversal({ amount: payout.amount, currency, stage: 'in_transit' }), payout.id);
  assert(posted.ok, `returning payout ${payout.id} stays within ledger bounds`);
  recordBalanceTransaction(ctx, bt);
  return bt.id;
}

export const cancelPayout: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadPayout(ctx, id);
  if (!stored) return err(resourceMissing('payout', id));
  const allowed = decidePayoutCancel(stored.data);
  if (!allowed.ok) return allowed;
  const failureBalanceTransaction = returnFunds(ctx, stored.data, 'payout_cancel');
  const payout: Payout = { ...stored.data, status: 'canceled', failureBalanceTransaction };
  savePayout(ctx, stored, payout);
  clearDueCheck(ctx.sql, 'payout', id);
  const json = toPayoutJson(payout);
  emit(ctx, 'payout.canceled', json, { status: stored.data.status, failure_balance_transaction: null });
  return ok(json);
};

/** Stripe reverses only payouts to connected accounts' US bank accounts, which edgepay lacks. */
export const reversePayout: Handler<{ id: string }> = (ctx, { id }) => {
  if (!loadPayout(ctx, id)) return err(resourceMissing('payout', id));
  return err(
    invalidRequestError(
      'Reversing payouts is not supported by edgepay (Stripe reverses only payouts to connected accounts). Cancel a pending payout instead.',
      null,
      'payout_reversal_unsupported',
    ),
  );
};

/** One status change: its money movement (if any), the saved payout and its event. */
function applyStep(ctx: OperationContext, payout: Payout, step: PayoutStep): { payout: Payout; event: string } {
  switch (step.to) {
    case 'in_transit':
      return { payout: { ...payout, status: 'in_transit' }, event: 'payout.updated' };
    case 'paid': {
      const posted = postEntry(ctx, entryForPayoutPaid({ amount: payout.amount, currency: currencyOf(payout) }), payout.id);
      assert(posted.ok, `paying payout ${payout.id} stays within ledger bounds`);
      return { payout: { ...payout, status: 'paid' }, event: 'payout.paid' };
    }
    case 'failed': {
      const failureBalanceTransaction = returnFunds(ctx, payout, 'payout_failure');
      const failed: Payout = { ...payout, status: 'failed', failureBalanceTransaction, failureCode: step.failureCode, failureMessage: step.failureMessage };
      return { payout: failed, event: 'payout.failed' };
    }
  }
}

/**
 * Moves a payout along its timeline as far as `ctx.nowSeconds` allows, then reschedules (or
 * clears) its due check. Idempotent: a final payout has no steps left, so a repeated alarm
 * changes nothing.
 */
export function advancePayout(ctx: OperationContext, payoutId: string): void {
  let stored = loadPayout(ctx, payoutId);
  if (!stored) {
    clearDueCheck(ctx.sql, 'payout', payoutId);
    return;
  }
  const progress = decidePayoutProgress(stored.data, ctx.nowSeconds);
  for (const step of progress.steps) {
    const before = stored.data;
    const { payout, event } = applyStep(ctx, before, step);
    stored = savePayout(ctx, stored, payout);
    emit(ctx, event, toPayoutJson(payout), { status: before.status });
  }
  if (progress.nextDueSeconds === null) clearDueCheck(ctx.sql, 'payout', payoutId);
  else scheduleDueCheck(ctx.sql, 'payout', payoutId, progress.nextDueSeconds);
}
