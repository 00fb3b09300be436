/**
 * Payout → Stripe's `payout` object (CONTRACT §5.8). API-created payouts are not automatic, so
 * Stripe reports reconciliation as `not_applicable` (it only itemises automatic payouts).
 */
import type { Payout } from '../../domain/payments/payout';

export function toPayoutJson(payout: Payout) {
  return {
    id: payout.id,
    object: 'payout' as const,
    amount: payout.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: payout.arrivalDate,
    automatic: false,
    balance_transaction: payout.balanceTransaction,
    created: payout.created,
    currency: payout.currency,
    description: payout.description,
    destination: payout.destination,
    failure_balance_transaction: payout.failureBalanceTransaction,
    failure_code: payout.failureCode,
    failure_message: payout.failureMessage,
    livemode: payout.livemode,
    metadata: { ...payout.metadata },
    method: 'standard' as const,
    original_payout: null,
    payout_method: null,
    reconciliation_status: 'not_applicable' as const,
    reversed_by: null,
    source_type: payout.sourceType,
    statement_descriptor: payout.statementDescriptor,
    status: payout.status,
    trace_id: null,
    type: 'bank_account' as const,
  };
}
