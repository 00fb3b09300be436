/** Renders any stored object in its wire shape, by type (used by expansion). */
import type { BalanceTransaction } from '../../src/domain/balance/transactions';
import type { Customer } from '../../src/domain/customer/customer';
import type { Charge } from '../../src/domain/payments/charge';
import type { PaymentIntent } from '../../src/domain/payments/payment-intent';
import type { PaymentMethod } from '../../src/domain/payments/payment-method';
import type { Payout } from '../../src/domain/payments/payout';
import type { Refund } from '../../src/domain/payments/refund';
import { toBalanceTransactionJson } from '../../src/stripe/objects/balance-transaction';
import { toChargeJson } from '../../src/stripe/objects/charge';
import { toCustomerJson } from '../../src/stripe/objects/customer';
import { toPaymentMethodJson } from '../../src/stripe/objects/payment-method';
import { toPayoutJson } from '../../src/stripe/objects/payout';
import { toRefundJson } from '../../src/stripe/objects/refund';
import type { OperationContext } from '../context';
import type { StoredObject } from '../store';
import { renderBillingObject } from './billing';
import { renderIntent } from './payment-intent-store';

export function renderStored(ctx: OperationContext, stored: StoredObject): unknown {
  switch (stored.type) {
    case 'customer':
      return toCustomerJson(stored.data as Customer);
    case 'payment_method':
      return toPaymentMethodJson(stored.data as PaymentMethod);
    case 'payment_intent':
      return renderIntent(ctx, stored.data as PaymentIntent);
    case 'charge':
      return toChargeJson(stored.data as Charge);
    case 'refund':
      return toRefundJson(stored.data as Refund);
    case 'balance_transaction':
      return toBalanceTransactionJson(stored.data as BalanceTransaction);
    case 'payout':
      return toPayoutJson(stored.data as Payout);
    default:
      return renderBillingObject(ctx, stored) ?? stored.data;
  }
}
