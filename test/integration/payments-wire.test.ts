/**
 * Issue #4 wire details over raw HTTP: the 402 body of a decline, `Idempotent-Replayed` and the
 * other idempotency headers; and the list filters (charges by customer / payment_intent, refunds by
 * charge / payment_intent, balance transactions by type / source, payment intents by customer)
 * paged through the stripe client's auto-pagination in both directions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { auditAccount } from '../support/audit';
import { CARD_ONLY, expectStripeError, get, intent, newAccount, post, type TestAccount } from '../support/payments-state';
import { stripeClient } from '../support/stripe-client';

const PAY = { currency: 'usd', confirm: 'true', ...CARD_ONLY };

describe('the 402 of a declined payment', () => {
  it('carries the error, decline code, charge, full PaymentIntent and PaymentMethod', async () => {
    const a = await newAccount();
    const reply = await post(a, '/v1/payment_intents', { ...PAY, amount: '1500', payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds' }, { 'Idempotency-Key': 'decline-1' });
    const error = expectStripeError(reply, { status: 402, code: 'card_declined', param: null, message: /^Your card has insufficient funds\.$/ });
    expect(Object.keys(error).sort()).toEqual(['charge', 'code', 'decline_code', 'doc_url', 'message', 'payment_intent', 'payment_method', 'type']);
    expect(error).toMatchObject({ decline_code: 'insufficient_funds', doc_url: 'https://stripe.com/docs/error-codes/card-declined', charge: expect.stringMatching(/^ch_/) });
    expect(error.payment_intent).toMatchObject({
      object: 'payment_intent',
      id: expect.stringMatching(/^pi_/),
      amount: 1500,
      status: 'requires_payment_method',
      payment_method: null,
      latest_charge: error.charge,
      amount_received: 0,
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', charge: error.charge, message: 'Your card has insufficient funds.' },
    });
    expect(error.payment_method).toMatchObject({ object: 'payment_method', id: expect.stringMatching(/^pm_/), type: 'card', card: { brand: 'visa', last4: '9995' } });
    expect(error.payment_intent.last_payment_error.payment_method).toMatchObject({ id: error.payment_method.id, object: 'payment_method' });
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.headers.get('request-id')).toMatch(/^req_/);
    expect(reply.headers.get('idempotency-key')).toBe('decline-1');
    expect(reply.headers.get('idempotent-replayed')).toBeNull();
    const charge = await get(a, `/v1/charges/${error.charge}`);
    expect(charge).toMatchObject({ status: 'failed', paid: false, captured: false, failure_code: 'card_declined', outcome: { reason: 'insufficient_funds' }, balance_transaction: null });
    const again = await post(a, '/v1/payment_intents', { ...PAY, amount: '1500', payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds' }, { 'Idempotency-Key': 'decline-1' });
    expect([again.status, again.text, again.headers.get('idempotent-replayed')]).toEqual([402, reply.text, 'true']);
    expect(again.headers.get('request-id')).not.toBe(reply.headers.get('request-id'));
    await auditAccount(a);
  });

  it.each([
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', {}],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', {}],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error', {}],
    ['pm_card_radarBlock', 'card_declined', 'fraudulent', {}],
    ['pm_card_authenticationRequired', 'authentication_required', 'authentication_required', { off_session: 'true' }],
  ])('declines %s with %s / %s', async (pm, code, declineCode, extra) => {
    const a = await newAccount();
    const error = expectStripeError(await post(a, '/v1/payment_intents', { ...PAY, amount: '2000', payment_method: pm, ...extra }), { status: 402, code });
    expect(error).toMatchObject({ decline_code: declineCode, payment_intent: { status: 'requires_payment_method', last_payment_error: { code, decline_code: declineCode } } });
    expect((await get(a, `/v1/charges/${error.charge}`)).status).toBe('failed');
  });
});

describe('3DS re-confirmation', () => {
  it('re-confirms an intent awaiting authentication with the payment method of that attempt', async () => {
    const a = await newAccount();
    const pi = await intent(a, 2_000, { pm: 'pm_card_authenticationRequired' });
    expect(pi.status).toBe('requires_action');
    const again = await post(a, `/v1/payment_intents/${pi.id}/confirm`);
    expect(again.status, again.text).toBe(200);
    const body = JSON.parse(again.text);
    expect(body).toMatchObject({ status: 'requires_action', payment_method: pi.payment_method, next_action: { type: 'redirect_to_url' } });
    expect(body.next_action.redirect_to_url.url).toBe(pi.next_action.redirect_to_url.url);
    // Off-session the same card is declined: the attempt ends, and the payment method is spent.
    const offSession = await post(a, `/v1/payment_intents/${pi.id}/confirm`, { off_session: 'true' });
    expectStripeError(offSession, { status: 402, code: 'authentication_required' });
    await auditAccount(a);
  });

  it('still refuses a payment method spent on another intent', async () => {
    const a = await newAccount();
    const first = await intent(a, 2_000, { pm: 'pm_card_authenticationRequired' });
    const other = await intent(a, 3_000);
    const reply = await post(a, `/v1/payment_intents/${other.id}/confirm`, { payment_method: first.payment_method });
    expectStripeError(reply, { status: 400, code: 'payment_method_unexpected_state', param: 'payment_method' });
  });
});

describe('idempotency headers', () => {
  it('marks only replays, echoes the key, refuses the key with other params, and ignores it on GET', async () => {
    const a = await newAccount();
    const body = { ...PAY, amount: '2000', payment_method: 'pm_card_visa' };
    const first = await post(a, '/v1/payment_intents', body, { 'Idempotency-Key': 'pay-1' });
    const replay = await post(a, '/v1/payment_intents', body, { 'Idempotency-Key': 'pay-1' });
    expect([first.status, first.headers.get('idempotent-replayed'), first.headers.get('idempotency-key')]).toEqual([200, null, 'pay-1']);
    expect([replay.status, replay.text, replay.headers.get('idempotent-replayed')]).toEqual([200, first.text, 'true']);
    const other = await post(a, '/v1/payment_intents', { ...body, amount: '2001' }, { 'Idempotency-Key': 'pay-1' });
    expect(other.status).toBe(400);
    expect(JSON.parse(other.text).error).toMatchObject({ type: 'idempotency_error', message: expect.stringMatching(/same parameters/) });
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    const refund = await post(a, '/v1/refunds', { payment_intent: JSON.parse(first.text).id, amount: '500' }, { 'Idempotency-Key': 'pay-1' });
    expect(refund.status).toBe(400);
    expect(JSON.parse(refund.text).error).toMatchObject({ type: 'idempotency_error', message: expect.stringMatching(/same endpoint/) });
    expect((await get(a, '/v1/charges')).data).toHaveLength(1);
    expect((await get(a, '/v1/refunds')).data).toHaveLength(0);
    await auditAccount(a);
  });
});

describe('list filters through auto-pagination', () => {
  let a: TestAccount;
  let stripe: Stripe;
  let customers: string[];
  /** Everything created, oldest first. */
  const made = { intents: [] as any[], charges: [] as string[], refunds: [] as any[] };

  async function pay(amount: number, pm: string, customer?: string, manual = false) {
    const body: Record<string, string> = { amount: String(amount), currency: 'usd', payment_method: pm, confirm: 'true', ...CARD_ONLY };
    if (customer) body['customer'] = customer;
    if (manual) body['capture_method'] = 'manual';
    const reply = await post(a, '/v1/payment_intents', body);
    const pi = reply.status === 402 ? JSON.parse(reply.text).error.payment_intent : JSON.parse(reply.text);
    made.intents.push(pi);
    made.charges.push(pi.latest_charge);
    return pi;
  }

  async function refund(pi: any, amount: number) {
    made.refunds.push({ ...JSON.parse((await post(a, '/v1/refunds', { payment_intent: pi.id, amount: String(amount) })).text), pi: pi.id });
  }

  const newestFirst = <T>(items: T[]) => [...items].reverse();
  const ids = (list: { id: string }[]) => list.map((o) => o.id);

  beforeAll(async () => {
    a = await newAccount();
    stripe = stripeClient(a.key, { direct: true });
    customers = [JSON.parse((await post(a, '/v1/customers', { email: 'one@example.com' })).text).id, JSON.parse((await post(a, '/v1/customers', { email: 'two@example.com' })).text).id];
    for (let i = 0; i < 5; i++) await pay(1_000 + i, 'pm_card_visa', customers[0]);
    await pay(2_000, 'pm_card_chargeDeclined', customers[0]);
    await pay(3_000, 'pm_card_bypassPending', customers[1], true);
    for (let i = 0; i < 3; i++) await pay(4_000 + i, 'pm_card_bypassPending', customers[1]);
    for (let i = 0; i < 2; i++) await pay(5_000 + i, 'pm_card_mastercard');
    // One intent with a declined attempt, then a successful one: two charges.
    const retried = await intent(a, 6_000, {});
    made.intents.push(retried);
    for (const pm of ['pm_card_chargeDeclined', 'pm_card_visa']) {
      const reply = await post(a, `/v1/payment_intents/${retried.id}/confirm`, { payment_method: pm });
      made.charges.push(reply.status === 402 ? JSON.parse(reply.text).error.charge : JSON.parse(reply.text).latest_charge);
    }
    for (const amount of [100, 200, 300]) await refund(made.intents[0], amount);
    for (const amount of [400, 500]) await refund(made.intents[7], amount);
    await refund(retried, 600);
    expect((await post(a, '/v1/payouts', { amount: '1000', currency: 'usd' })).status).toBe(200);
  });

  it('lists charges by customer and by payment_intent, newest first, across pages', async () => {
    const forCustomer = await stripe.charges.list({ customer: customers[0]!, limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(ids(forCustomer)).toEqual(newestFirst(made.charges.slice(0, 6)));
    const forRetried = await stripe.charges.list({ payment_intent: made.intents[made.intents.length - 1].id, limit: 1 }).autoPagingToArray({ limit: 100 });
    expect(ids(forRetried)).toEqual(newestFirst(made.charges.slice(-2)));
    expect(forRetried.map((c) => c.status)).toEqual(['succeeded', 'failed']);
    const all = await stripe.charges.list({ limit: 3 }).autoPagingToArray({ limit: 100 });
    expect(ids(all)).toEqual(newestFirst(made.charges));
  });

  it('pages backwards with ending_before, oldest first, as the stripe client iterates', async () => {
    const oldest = made.charges[0]!;
    const newer = await stripe.charges.list({ ending_before: oldest, limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(ids(newer)).toEqual(made.charges.slice(1));
    const page = await stripe.charges.list({ starting_after: made.charges[made.charges.length - 1]!, limit: 4 });
    expect([ids(page.data), page.has_more]).toEqual([newestFirst(made.charges).slice(1, 5), true]);
  });

  it('lists refunds by charge and by payment_intent', async () => {
    const first = made.intents[0];
    const byCharge = await stripe.refunds.list({ charge: first.latest_charge, limit: 2 }).autoPagingToArray({ limit: 100 });
    const byIntent = await stripe.refunds.list({ payment_intent: first.id, limit: 1 }).autoPagingToArray({ limit: 100 });
    const expected = newestFirst(made.refunds.filter((r) => r.pi === first.id)).map((r) => r.id);
    expect([ids(byCharge), ids(byIntent)]).toEqual([expected, expected]);
    expect(byCharge.map((r) => r.amount)).toEqual([300, 200, 100]);
    const retried = made.intents[made.intents.length - 1];
    expect((await stripe.refunds.list({ payment_intent: retried.id })).data.map((r) => [r.amount, r.charge])).toEqual([[600, made.charges[made.charges.length - 1]]]);
  });

  it('lists balance transactions by type and by source', async () => {
    const refunds = await stripe.balanceTransactions.list({ type: 'refund', limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(refunds.map((t) => t.source)).toEqual(newestFirst(made.refunds).map((r) => r.id));
    expect(refunds.every((t) => t.amount < 0 && t.type === 'refund')).toBe(true);
    const payments = await stripe.balanceTransactions.list({ type: 'charge', limit: 4 }).autoPagingToArray({ limit: 100 });
    const captured = (await stripe.charges.list({ limit: 100 })).data.filter((c) => c.captured);
    expect(payments.map((t) => t.source).sort()).toEqual(captured.map((c) => c.id).sort());
    const bySource = await stripe.balanceTransactions.list({ source: made.charges[0]! });
    expect(bySource.data.map((t) => [t.type, t.amount])).toEqual([['charge', 1_000]]);
    expect((await stripe.balanceTransactions.list({ type: 'payout' })).data.map((t) => t.amount)).toEqual([-1_000]);
  });

  it('lists payment intents by customer across pages', async () => {
    const forCustomer = await stripe.paymentIntents.list({ customer: customers[1]!, limit: 3 }).autoPagingToArray({ limit: 100 });
    expect(ids(forCustomer)).toEqual(newestFirst(made.intents.slice(6, 10)).map((p) => p.id));
    expect(forCustomer.map((p) => p.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'requires_capture']);
    const all = await stripe.paymentIntents.list({ limit: 5 }).autoPagingToArray({ limit: 100 });
    expect(ids(all)).toEqual(newestFirst(made.intents).map((p) => p.id));
    await auditAccount(a);
  });
});
