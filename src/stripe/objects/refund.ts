/** Refund → Stripe's `refund` object. */
import type { Refund } from '../../domain/payments/refund';

export function toRefundJson(refund: Refund) {
  return {
    id: refund.id,
    object: 'refund' as const,
    amount: refund.amount,
    balance_transaction: refund.balanceTransaction,
    charge: refund.charge,
    created: refund.created,
    currency: refund.currency,
    destination_details: { type: 'card' as const, card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' } },
    ...(refund.failureReason === null ? {} : { failure_reason: refund.failureReason, failure_balance_transaction: refund.failureBalanceTransaction }),
    metadata: { ...refund.metadata },
    payment_intent: refund.paymentIntent,
    reason: refund.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: refund.status,
    transfer_reversal: null,
  };
}
