/**
 * Helpers for wire-level payment tests: an account with a key, a compact picture of everything an
 * account holds (to prove a refused request left no partial state), and the Stripe error-shape check.
 */
import { expect } from 'vitest';
import { mintTestKey, newAccountId } from './api-keys';
import { directApi as api, json } from './http';

export interface TestAccount {
  readonly accountId: string;
  readonly key: string;
}

export async function newAccount(): Promise<TestAccount> {
  const accountId = newAccountId();
  return { accountId, key: await mintTestKey(accountId) };
}

export const CARD_ONLY = { 'allowed_payment_method_types[0]': 'card' } as const;

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** `json`: send this raw JSON text as the body instead of the form-encoded `body`. */
export async function send(a: TestAccount, method: string, path: string, body?: Record<string, string>, headers: Record<string, string> = {}, json?: string): Promise<Reply> {
  const payload = json === undefined ? (body ? { body } : {}) : { body: json, headers: { ...headers, 'Content-Type': 'application/json' } };
  const response = await api(method, path, { key: a.key, headers, ...payload });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export function post(a: TestAccount, path: string, body?: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  return send(a, 'POST', path, body, headers);
}

export async function get(a: TestAccount, path: string): Promise<any> {
  const response = await api('GET', path, { key: a.key });
  expect(response.status, path).toBe(200);
  return json(response);
}

/** A PaymentIntent created (and confirmed when a payment method is given) over raw HTTP. */
export async function intent(a: TestAccount, amount: number, options: { pm?: string; manual?: boolean; currency?: string } = {}): Promise<any> {
  const body: Record<string, string> = { amount: String(amount), currency: options.currency ?? 'usd', ...CARD_ONLY };
  if (options.pm) Object.assign(body, { payment_method: options.pm, confirm: 'true' });
  if (options.manual) body['capture_method'] = 'manual';
  const created = await post(a, '/v1/payment_intents', body);
  const parsed = JSON.parse(created.text);
  return created.status === 402 ? parsed.error.payment_intent : parsed;
}

async function all(a: TestAccount, path: string, pick: (o: any) => unknown): Promise<unknown[]> {
  return (await get(a, `${path}${path.includes('?') ? '&' : '?'}limit=100`)).data.map(pick);
}

/** Everything that a refused request must leave untouched. */
export async function stateOf(a: TestAccount) {
  return {
    intents: await all(a, '/v1/payment_intents', (p) => [p.id, p.status, p.amount, p.amount_capturable, p.amount_received, p.latest_charge, p.payment_method]),
    charges: await all(a, '/v1/charges', (c) => [c.id, c.status, c.captured, c.amount_captured, c.amount_refunded, c.metadata]),
    refunds: await all(a, '/v1/refunds', (r) => [r.id, r.amount, r.status]),
    payouts: await all(a, '/v1/payouts', (p) => [p.id, p.amount, p.status]),
    balanceTransactions: await all(a, '/v1/balance_transactions', (t) => [t.id, t.net, t.status]),
    balance: await get(a, '/v1/balance'),
  };
}

export interface ExpectedError {
  readonly status: number;
  readonly code?: string | null;
  readonly param?: string | null;
  readonly message?: RegExp;
}

/** Stripe's error envelope: `{ error: { type, message, code?, param?, doc_url? } }`, never a 5xx. */
export function expectStripeError(reply: { status: number; text: string }, expected: ExpectedError): any {
  const where = reply.text.slice(0, 300);
  expect(reply.status, where).toBe(expected.status);
  const body = JSON.parse(reply.text);
  expect(Object.keys(body), where).toEqual(['error']);
  const error = body.error;
  expect(error.type, where).toBe(expected.status === 402 ? 'card_error' : 'invalid_request_error');
  expect(typeof error.message === 'string' && error.message.length > 0, where).toBe(true);
  if (expected.code !== undefined) expect(error.code ?? null, where).toBe(expected.code);
  if (expected.param !== undefined) expect(error.param ?? null, where).toBe(expected.param);
  if (expected.message) expect(error.message, where).toMatch(expected.message);
  if (error.code) expect(error.doc_url, where).toBe(`https://stripe.com/docs/error-codes/${String(error.code).replaceAll('_', '-')}`);
  return error;
}
