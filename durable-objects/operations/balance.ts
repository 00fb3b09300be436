/** Balance (a view of the ledger) and balance transactions (read-only). */
import type { BalanceTransaction } from '../../src/domain/balance/transactions';
import { resourceMissing } from '../../src/domain/errors';
import { allMerchantBalances } from '../../src/domain/ledger/balances';
import { err, ok } from '../../src/domain/result';
import type { ListArgs } from '../../src/stripe/list';
import { toBalanceJson } from '../../src/stripe/objects/balance';
import { toBalanceTransactionJson } from '../../src/stripe/objects/balance-transaction';
import type { Handler } from '../context';
import { readLedgerBalances } from '../ledger-store';
import { listPage } from './lists';
import { loadBalanceTransaction } from './money';

export const retrieveBalance: Handler<Record<string, never>> = (ctx) =>
  ok(toBalanceJson(allMerchantBalances(readLedgerBalances(ctx.sql)), ctx.livemode));

export const retrieveBalanceTransaction: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadBalanceTransaction(ctx, id);
  if (!stored) return err(resourceMissing('balance_transaction', id));
  return ok(toBalanceTransactionJson(stored.data));
};

export interface BalanceTransactionListCommand {
  readonly list: ListArgs;
  readonly type?: string;
  readonly source?: string;
}

export const listBalanceTransactions: Handler<BalanceTransactionListCommand> = (ctx, command) =>
  listPage<BalanceTransaction>(ctx, {
    type: 'balance_transaction',
    url: '/v1/balance_transactions',
    list: command.list,
    equals: { status: command.type ?? null, parent: command.source ?? null },
    render: toBalanceTransactionJson,
  });
