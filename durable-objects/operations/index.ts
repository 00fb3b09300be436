/**
 * The registry of everything the account DO can do. The Worker names an operation and passes
 * its already-validated command; the DO looks it up here. Typed end to end: the `OperationCall`
 * union ties each name to its input type. Entries are plain handlers (one transaction) or
 * phased operations (begin → outside call → finish).
 */
import type { Handler, PhasedOperation } from '../context';
import { createCustomer, deleteCustomer, listCustomers, retrieveCustomer, updateCustomer } from './customers';
import { listEvents, retrieveEvent } from './events';
import { CHECKOUT_OPERATIONS } from './checkout';
import { RECONCILIATION_OPERATIONS } from './reconciliation';
import { BILLING_OPERATIONS } from './billing';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookAttempts,
  listWebhookEndpoints,
  redeliverWebhookEvent,
  retrieveWebhookEndpoint,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from './webhook-endpoints';
import { listCharges, retrieveCharge, updateCharge } from './charges';
import { captureLegacyCharge, createLegacyCharge } from './legacy-charges';
import { listBalanceTransactions, retrieveBalance, retrieveBalanceTransaction } from './balance';
import { cancelRefund, createRefund, listRefunds, retrieveRefund, updateRefund } from './refunds';
import { cancelPayout, createPayout, listPayouts, retrievePayout, reversePayout, updatePayout } from './payouts';
import { authenticatePaymentIntent } from './payment-intent-authenticate';
import { confirmPaymentIntent } from './payment-intent-confirm';
import { createToken, retrieveToken } from './tokens';
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  createPaymentIntent,
  listPaymentIntents,
  retrievePaymentIntent,
  updatePaymentIntent,
} from './payment-intents';
import {
  attachPaymentMethod,
  createPaymentMethod,
  detachPaymentMethod,
  listPaymentMethods,
  retrievePaymentMethod,
  updatePaymentMethod,
} from './payment-methods';

export const OPERATIONS = {
  'customers.create': createCustomer,
  'customers.retrieve': retrieveCustomer,
  'customers.update': updateCustomer,
  'customers.delete': deleteCustomer,
  'customers.list': listCustomers,
  'events.retrieve': retrieveEvent,
  'events.list': listEvents,
  'webhook_endpoints.create': createWebhookEndpoint,
  'webhook_endpoints.retrieve': retrieveWebhookEndpoint,
  'webhook_endpoints.update': updateWebhookEndpoint,
  'webhook_endpoints.delete': deleteWebhookEndpoint,
  'webhook_endpoints.list': listWebhookEndpoints,
  'webhook_endpoints.rotate_secret': rotateWebhookSecret,
  'webhook_endpoints.redeliver': redeliverWebhookEvent,
  'webhook_endpoints.attempts': listWebhookAttempts,
  'tokens.create': createToken,
  'tokens.retrieve': retrieveToken,
  'payment_methods.create': createPaymentMethod,
  'payment_methods.retrieve': retrievePaymentMethod,
  'payment_methods.update': updatePaymentMethod,
  'payment_methods.attach': attachPaymentMethod,
  'payment_methods.detach': detachPaymentMethod,
  'payment_methods.list': listPaymentMethods,
  'payment_intents.create': createPaymentIntent,
  'payment_intents.retrieve': retrievePaymentIntent,
  'payment_intents.update': updatePaymentIntent,
  'payment_intents.list': listPaymentIntents,
  'payment_intents.confirm': confirmPaymentIntent,
  'payment_intents.capture': capturePaymentIntent,
  'payment_intents.cancel': cancelPaymentIntent,
  'payment_intents.authenticate': authenticatePaymentIntent,
  'charges.retrieve': retrieveCharge,
  'charges.update': updateCharge,
  'charges.list': listCharges,
  'charges.create': createLegacyCharge,
  'charges.capture': captureLegacyCharge,
  'refunds.create': createRefund,
  'refunds.retrieve': retrieveRefund,
  'refunds.update': updateRefund,
  'refunds.cancel': cancelRefund,
  'refunds.list': listRefunds,
  'payouts.create': createPayout,
  'payouts.retrieve': retrievePayout,
  'payouts.update': updatePayout,
  'payouts.list': listPayouts,
  'payouts.cancel': cancelPayout,
  'payouts.reverse': reversePayout,
  'balance.retrieve': retrieveBalance,
  'balance_transactions.retrieve': retrieveBalanceTransaction,
  'balance_transactions.list': listBalanceTransactions,
  ...CHECKOUT_OPERATIONS,
  ...RECONCILIATION_OPERATIONS,
  ...BILLING_OPERATIONS,
} as const;

export type OperationName = keyof typeof OPERATIONS;
type InputOf<T> = T extends Handler<infer I> ? I : T extends PhasedOperation<infer I, infer _S, infer _X> ? I : never;
export type OperationInput<N extends OperationName> = InputOf<(typeof OPERATIONS)[N]>;
export type OperationCall = { [N in OperationName]: { readonly name: N; readonly input: OperationInput<N> } }[OperationName];

export type AnyOperation = Handler<unknown> | PhasedOperation<unknown, unknown, unknown>;

export function operationFor(name: OperationName): AnyOperation {
  return OPERATIONS[name] as AnyOperation;
}
