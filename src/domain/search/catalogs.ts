/**
 * Searchable fields per resource, as Stripe documents them ("Query fields for …"), each with
 * where its value sits in the object's wire JSON. Fields Stripe lists that edgepay's objects do
 * not carry are left out (a query naming them gets the unsupported-field error).
 */
import type { SearchCatalog } from './query';

export const CUSTOMER_SEARCH: SearchCatalog = {
  resource: 'customers',
  metadata: true,
  fields: {
    created: { type: 'numeric', path: ['created'] },
    email: { type: 'string', path: ['email'] },
    name: { type: 'string', path: ['name'] },
    phone: { type: 'string', path: ['phone'] },
  },
};

export const PAYMENT_INTENT_SEARCH: SearchCatalog = {
  resource: 'payment_intents',
  metadata: true,
  fields: {
    amount: { type: 'numeric', path: ['amount'] },
    created: { type: 'numeric', path: ['created'] },
    currency: { type: 'token', path: ['currency'] },
    customer: { type: 'token', path: ['customer'] },
    status: { type: 'token', path: ['status'] },
  },
};

export const CHARGE_SEARCH: SearchCatalog = {
  resource: 'charges',
  metadata: true,
  fields: {
    amount: { type: 'numeric', path: ['amount'] },
    'billing_details.address.postal_code': { type: 'string', path: ['billing_details', 'address', 'postal_code'] },
    created: { type: 'numeric', path: ['created'] },
    currency: { type: 'token', path: ['currency'] },
    customer: { type: 'token', path: ['customer'] },
    disputed: { type: 'boolean', path: ['disputed'] },
    payment_intent: { type: 'token', path: ['payment_intent'] },
    'payment_method_details.card.brand': { type: 'token', path: ['payment_method_details', 'card', 'brand'] },
    'payment_method_details.card.exp_month': { type: 'numeric', path: ['payment_method_details', 'card', 'exp_month'] },
    'payment_method_details.card.exp_year': { type: 'numeric', path: ['payment_method_details', 'card', 'exp_year'] },
    'payment_method_details.card.fingerprint': { type: 'token', path: ['payment_method_details', 'card', 'fingerprint'] },
    'payment_method_details.card.last4': { type: 'token', path: ['payment_method_details', 'card', 'last4'] },
    refunded: { type: 'boolean', path: ['refunded'] },
    status: { type: 'token', path: ['status'] },
  },
};
