/** Object id prefixes, as Stripe spells them, and a shape check for ids arriving on the wire. */
export const ID_PREFIX = {
  account: 'acct',
  customer: 'cus',
  paymentMethod: 'pm',
  paymentIntent: 'pi',
  charge: 'ch',
  refund: 're',
  balanceTransaction: 'txn',
  payout: 'po',
  event: 'evt',
  webhookEndpoint: 'we',
  invoice: 'in',
  invoiceItem: 'ii',
  invoiceLine: 'il',
  invoicePayment: 'inpay',
  product: 'prod',
  price: 'price',
  subscription: 'sub',
  subscriptionItem: 'si',
  testClock: 'clock',
  request: 'req',
  token: 'tok',
  card: 'card',
  journal: 'jrn',
} as const;

export type IdPrefix = (typeof ID_PREFIX)[keyof typeof ID_PREFIX];

/** Generates a fresh id; supplied by the platform (crypto), injected into deciders. */
export type NewId = (prefix: IdPrefix) => string;

const ID_BODY = /^[A-Za-z0-9_]{1,240}$/;

export function hasIdPrefix(id: string, prefix: IdPrefix): boolean {
  return id.startsWith(`${prefix}_`) && ID_BODY.test(id.slice(prefix.length + 1));
}

export const ACCOUNT_ID_PATTERN = /^acct_[A-Za-z0-9_]{1,64}$/;
