/** Helpers for Checkout tests inside workerd: a merchant with a registered publishable key, sessions, and pk calls. */
import { mintTestKey, newAccountId } from './api-keys';
import { api, json } from './http';

export interface Merchant {
  readonly accountId: string;
  readonly secret: string;
  readonly publishable: string;
}

export async function merchantWithHostedPage(): Promise<Merchant> {
  const accountId = newAccountId();
  const secret = await mintTestKey(accountId);
  const publishable = await mintTestKey(accountId, { kind: 'publishable' });
  const res = await api('POST', '/v1/edgepay/checkout_settings', { key: secret, body: { publishable_key: publishable } });
  if (res.status !== 200) throw new Error(`registering the publishable key failed: ${res.status} ${await res.text()}`);
  return { accountId, secret, publishable };
}

export const PAYMENT_SESSION: Record<string, string> = {
  mode: 'payment',
  'line_items[0][price_data][currency]': 'usd',
  'line_items[0][price_data][product_data][name]': 'T-shirt',
  'line_items[0][price_data][unit_amount]': '1500',
  'line_items[0][quantity]': '2',
  success_url: 'https://shop.example/success?session={CHECKOUT_SESSION_ID}',
  cancel_url: 'https://shop.example/cart',
};

export async function createSession(key: string, extra: Record<string, string> = {}): Promise<Record<string, any>> {
  const res = await api('POST', '/v1/checkout/sessions', { key, body: { ...PAYMENT_SESSION, ...extra } });
  const body = await json(res);
  if (res.status !== 200) throw new Error(`session create failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** What the hosted page does: tokenize the card with the publishable key, then confirm with the client secret. */
export async function payWithCard(merchant: Merchant, session: Record<string, any>, number: string, returnUrl = 'https://edgepay.test/return'): Promise<Response> {
  const intentId = session.payment_intent ?? (await json(await api('GET', `/v1/invoice_payments?invoice=${session.invoice}`, { key: merchant.secret }))).data[0].payment.payment_intent;
  const intent = await json(await api('GET', `/v1/payment_intents/${intentId}`, { key: merchant.secret }));
  const method = await api('POST', '/v1/payment_methods', {
    key: merchant.publishable,
    body: { type: 'card', 'card[number]': number, 'card[exp_month]': '12', 'card[exp_year]': '2040', 'card[cvc]': '123', 'billing_details[name]': 'Ada Lovelace', 'billing_details[email]': 'ada@example.com' },
  });
  const pm = await json(method);
  if (method.status !== 200) throw new Error(`tokenization failed: ${JSON.stringify(pm)}`);
  return api('POST', `/v1/payment_intents/${intent.id}/confirm`, {
    key: merchant.publishable,
    body: { client_secret: intent.client_secret, payment_method: pm.id, return_url: returnUrl },
  });
}
