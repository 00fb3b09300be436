/**
 * BalanceTransaction → Stripe's `balance_transaction` object (CONTRACT §5.7).
 * Stripe's object carries no `livemode`; `source` is the id (expansion is the route's business).
 */
import type { BalanceTransaction } from '../../domain/balance/transactions';
import type { FeeDetail } from '../../domain/money/fees';

export function toFeeDetailJson(detail: FeeDetail) {
  return {
    amount: detail.amount,
    application: detail.application,
    currency: detail.currency,
    description: detail.description,
    type: detail.type,
  };
}

export function toBalanceTransactionJson(bt: BalanceTransaction) {
  return {
    id: bt.id,
    object: 'balance_transaction' as const,
    amount: bt.amount,
    available_on: bt.availableOnSeconds,
    balance_type: 'payments' as const,
    created: bt.createdSeconds,
    currency: bt.currency,
    description: bt.description,
    exchange_rate: null,
    fee: bt.fee,
    fee_details: bt.feeDetails.map(toFeeDetailJson),
    net: bt.net,
    reporting_category: bt.reportingCategory,
    source: bt.sourceId,
    status: bt.status,
    type: bt.type,
  };
}
