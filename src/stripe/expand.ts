/**
 * Which fields of which objects `expand[]` can replace with the full object (CONTRACT §4.3).
 * Paths are checked before execution so a bad path never follows a side effect; list endpoints
 * take `data.`-prefixed paths; `source` on a balance transaction may be any object.
 */
import { EXPAND_DEPTH_MAX } from '../domain/limits';
import { invalidRequest, type WireError } from './errors';

export type ExpandableType =
  | 'customer'
  | 'payment_method'
  | 'payment_intent'
  | 'charge'
  | 'refund'
  | 'balance_transaction'
  | 'payout'
  | 'event'
  | 'balance'
  | 'invoice'
  | 'invoiceitem'
  | 'line_item'
  | 'invoice_payment'
  | 'product'
  | 'price'
  | 'subscription'
  | 'test_clock'
  | 'any';

export const EXPANDABLE: Readonly<Record<ExpandableType, Readonly<Record<string, ExpandableType>>>> = {
  customer: {},
  payment_method: { customer: 'customer' },
  payment_intent: { customer: 'customer', payment_method: 'payment_method', latest_charge: 'charge' },
  charge: { customer: 'customer', payment_intent: 'payment_intent', balance_transaction: 'balance_transaction' },
  refund: { charge: 'charge', payment_intent: 'payment_intent', balance_transaction: 'balance_transaction' },
  balance_transaction: { source: 'any' },
  payout: { balance_transaction: 'balance_transaction', failure_balance_transaction: 'balance_transaction' },
  event: {},
  balance: {},
  invoice: { customer: 'customer', default_payment_method: 'payment_method', test_clock: 'test_clock' },
  invoiceitem: { customer: 'customer', invoice: 'invoice', test_clock: 'test_clock' },
  line_item: {},
  invoice_payment: { invoice: 'invoice' },
  product: { default_price: 'price' },
  price: { product: 'product' },
  subscription: { customer: 'customer', latest_invoice: 'invoice', default_payment_method: 'payment_method', test_clock: 'test_clock' },
  test_clock: {},
  any: {},
};

function cannotExpand(path: string): WireError {
  return invalidRequest(`This property cannot be expanded (${path}).`, 'expand', null);
}

export function checkExpandPaths(root: ExpandableType, paths: readonly string[], isList: boolean): WireError | null {
  for (const path of paths) {
    let segments = path.split('.');
    if (isList) {
      if (segments[0] !== 'data') return cannotExpand(path);
      segments = segments.slice(1);
    }
    if (segments.length === 0 || segments.length > EXPAND_DEPTH_MAX) return cannotExpand(path);
    let type: ExpandableType = root;
    for (const segment of segments) {
      if (type === 'any') break;
      const next = EXPANDABLE[type][segment];
      if (next === undefined) return cannotExpand(path);
      type = next;
    }
  }
  return null;
}
