/**
 * Issue #4: bad input never yields a 500 or partial state. Every refused request below answers
 * Stripe's error envelope with the right status, code and param, and the account's intents,
 * charges, refunds, payouts, balance transactions and balance are unchanged.
 */
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditAccount } from '../support/audit';
import { CARD_ONLY, expectStripeError, get, intent, newAccount, post, send, stateOf, type ExpectedError, type TestAccount } from '../support/payments-state';
import { stripeClient } from '../support/stripe-client';

const PAY = { currency: 'usd', payment_method: 'pm_card_visa', confirm: 'true', ...CARD_ONLY };
const INVALID_INTEGER = 'parameter_invalid_integer';

/** Sends the request and checks the error and that nothing at all changed on the account. */
async function refused(a: TestAccount, path: string, body: Record<string, string> | undefined, expected: ExpectedError) {
  const before = await stateOf(a);
  const error = expectStripeError(await post(a, path, body), expected);
  expect(await stateOf(a)).toEqual(before);
  return error;
}

describe('PaymentIntent amounts', () => {
  let a: TestAccount;
  beforeAll(async () => {
    a = await newAccount();
  });

  it.each([
    ['0', 'amount_too_small', /^Amount must be at least \$0\.50 usd$/],
    ['-1', 'amount_too_small', /at least \$0\.50 usd/],
    ['-0', 'amount_too_small', /at least \$0\.50 usd/],
    ['49', 'amount_too_small', /at least \$0\.50 usd/],
    ['1.5', INVALID_INTEGER, /^Invalid integer: 1\.5/],
    ['1e3', INVALID_INTEGER, /Invalid integer/],
    ['0x10', INVALID_INTEGER, /Invalid integer/],
    [' 100', INVALID_INTEGER, /Invalid integer/],
    ['100 ', INVALID_INTEGER, /Invalid integer/],
    ['١٠٠', INVALID_INTEGER, /Invalid integer/],
    ['1,000', INVALID_INTEGER, /Invalid integer/],
    ['100000000', 'amount_too_large', /^Amount must be no more than \$999,?999\.99 usd$/],
    ['9007199254740993', INVALID_INTEGER, /Invalid integer/],
    ['99999999999999999999', INVALID_INTEGER, /Invalid integer/],
    ['abc', INVALID_INTEGER, /Invalid integer: abc/],
    ['', INVALID_INTEGER, /Invalid integer/],
  ])('refuses amount %j with %s', async (amount, code, message) => {
    await refused(a, '/v1/payment_intents', { ...PAY, amount }, { status: 400, code, param: 'amount', message });
  });

  it.each([
    ['1.5', INVALID_INTEGER],
    ['"abc"', INVALID_INTEGER],
    ['null', INVALID_INTEGER],
    ['true', INVALID_INTEGER],
    ['1e21', INVALID_INTEGER],
    ['[1000]', 'parameter_invalid'],
    ['{"value":1000}', 'parameter_invalid'],
  ])('refuses amount %s in a JSON body with %s', async (amount, code) => {
    const before = await stateOf(a);
    const body = `{"amount":${amount},"currency":"usd","confirm":true,"payment_method":"pm_card_visa","allowed_payment_method_types":["card"]}`;
    expectStripeError(await send(a, 'POST', '/v1/payment_intents', undefined, {}, body), { status: 400, code, param: 'amount' });
    expect(await stateOf(a)).toEqual(before);
  });

  it('refuses a missing amount with parameter_missing', async () => {
    await refused(a, '/v1/payment_intents', PAY, { status: 400, code: 'parameter_missing', param: 'amount', message: /^Missing required param: amount\.$/ });
  });

  it('accepts 99999999, the largest amount, and books it in full', async () => {
    const reply = await post(a, '/v1/payment_intents', { ...PAY, amount: '99999999' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ status: 'succeeded', amount: 99_999_999, amount_received: 99_999_999 });
    const snapshot = await auditAccount(a);
    expect(snapshot.balances['usd']?.pending).toBe(99_999_999 - (Math.floor((99_999_999 * 290 + 5_000) / 10_000) + 30));
  });
});

describe('PaymentIntent currencies', () => {
  let a: TestAccount;
  beforeAll(async () => {
    a = await newAccount();
  });

  it.each([
    ['XYZ', null, /^Invalid currency: xyz\. Stripe currently supports these currencies: usd, /],
    ['', null, /^Invalid currency\. /],
    ['US', null, /^Invalid currency: us\. /],
    ['usdd', null, /^Invalid currency: usdd\. /],
    ['ＵＳＤ', null, /^Invalid currency\. /],
    ['uѕd', null, /^Invalid currency\. /], // Cyrillic ѕ
    ['kwd', 'currency_not_supported', /Three-decimal currencies are not supported/],
  ])('refuses currency %j', async (currency, code, message) => {
    await refused(a, '/v1/payment_intents', { ...PAY, amount: '1000', currency }, { status: 400, code, param: 'currency', message });
  });

  it('accepts USD and stores it as usd', async () => {
    const reply = await post(a, '/v1/payment_intents', { ...PAY, amount: '1000', currency: 'USD' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toMatchObject({ currency: 'usd', status: 'succeeded' });
    await auditAccount(a);
  });
});

describe('unknown parameters and raw card data', () => {
  let a: TestAccount;
  beforeAll(async () => {
    a = await newAccount();
  });

  it.each([
    ['/v1/payment_intents', { ...PAY, amount: '1000', foo: 'bar' }, 'foo'],
    ['/v1/payment_intents', { ...PAY, amount: '1000', 'automatic_payment_methods[enabled]': 'true', 'automatic_payment_methods[foo]': 'x' }, 'automatic_payment_methods[foo]'],
    ['/v1/refunds', { charge: 'ch_x', foo: 'bar' }, 'foo'],
    ['/v1/payouts', { amount: '100', currency: 'usd', foo: 'bar' }, 'foo'],
  ])('answers parameter_unknown for an unknown param on %s', async (path, body, param) => {
    await refused(a, path, body, { status: 400, code: 'parameter_unknown', param, message: new RegExp(`^Received unknown parameter: ${param.replace(/[[\]]/g, '\\$&')}$`) });
  });

  it.each([
    [{ ...PAY, amount: '1000', 'card[number]': '4242424242424242', 'card[exp_month]': '12', 'card[exp_year]': '2034', 'card[cvc]': '123' }, 'card'],
    [{ ...PAY, amount: '1000', 'payment_method_data[type]': 'card', 'payment_method_data[card][number]': '4242424242424242' }, 'payment_method_data'],
  ])('refuses raw card fields on PaymentIntent create without echoing or storing them (%#)', async (body, param) => {
    const error = await refused(a, '/v1/payment_intents', body, { status: 400, code: 'parameter_unknown', param });
    expect(JSON.stringify(error)).not.toContain('4242424242424242');
    await auditAccount(a, { cardNumbers: ['4242424242424242'] });
  });

  it('refuses card fields on confirm and capture', async () => {
    const pi = await intent(a, 1_000, { pm: 'pm_card_visa', manual: true });
    await refused(a, `/v1/payment_intents/${pi.id}/confirm`, { 'card[cvc]': '123' }, { status: 400, code: 'parameter_unknown', param: 'card' });
    await refused(a, `/v1/payment_intents/${pi.id}/capture`, { amount: '500' }, { status: 400, code: 'parameter_unknown', param: 'amount' });
    await auditAccount(a);
  });
});

describe('PaymentIntent create-and-confirm refused before anything is written', () => {
  let a: TestAccount;
  let used: string;
  beforeAll(async () => {
    a = await newAccount();
    used = (await intent(a, 1_000, { pm: 'pm_card_visa' })).payment_method;
  });

  it.each([
    ['without a payment method', { amount: '1000', currency: 'usd', confirm: 'true', ...CARD_ONLY }, { code: 'payment_intent_unexpected_state', param: 'payment_method' }],
    ['without the return_url redirects need', { amount: '1000', currency: 'usd', confirm: 'true', payment_method: 'pm_card_visa' }, { code: null, param: 'return_url' }],
    ['with an unknown magic payment method', { ...PAY, amount: '1000', payment_method: 'pm_card_nope' }, { code: 'resource_missing', param: 'payment_method' }],
    ['with a payment method already used', () => ({ ...PAY, amount: '1000', payment_method: used }), { code: 'payment_method_unexpected_state', param: 'payment_method' }],
    ['with an unknown customer', { ...PAY, amount: '1000', customer: 'cus_nope' }, { code: 'resource_missing', param: 'customer' }],
  ])('leaves no intent behind when confirming %s', async (_what, body, expected) => {
    await refused(a, '/v1/payment_intents', typeof body === 'function' ? body() : body, { status: 400, ...expected });
  });
});

describe('operations in the wrong state', () => {
  let a: TestAccount;
  const ids: Record<string, any> = {};
  beforeAll(async () => {
    a = await newAccount();
    ids['succeeded'] = await intent(a, 5_000, { pm: 'pm_card_visa' });
    ids['held'] = await intent(a, 4_000, { pm: 'pm_card_visa', manual: true });
    ids['unpaid'] = await intent(a, 3_000);
    ids['declined'] = await intent(a, 2_000, { pm: 'pm_card_chargeDeclined' });
    ids['action'] = await intent(a, 2_500, { pm: 'pm_card_authenticationRequired' });
    ids['canceled'] = await intent(a, 1_500, { pm: 'pm_card_visa', manual: true });
    expect((await post(a, `/v1/payment_intents/${ids['canceled'].id}/cancel`)).status).toBe(200);
    ids['refunded'] = await intent(a, 1_000, { pm: 'pm_card_visa' });
    expect((await post(a, '/v1/refunds', { payment_intent: ids['refunded'].id })).status).toBe(200);
    expect(ids['action'].status).toBe('requires_action');
  });

  const unexpected: ExpectedError = { status: 400, code: 'payment_intent_unexpected_state', param: null };
  it.each([
    ['confirm', 'succeeded'],
    ['confirm', 'canceled'],
    ['confirm', 'held'],
    ['capture', 'succeeded'],
    ['capture', 'unpaid'],
    ['capture', 'declined'],
    ['capture', 'action'],
    ['capture', 'canceled'],
    ['cancel', 'succeeded'],
    ['cancel', 'canceled'],
  ])('refuses %s on a %s intent', async (action, which) => {
    const body = action === 'confirm' ? { payment_method: 'pm_card_visa' } : undefined;
    const error = await refused(a, `/v1/payment_intents/${ids[which].id}/${action}`, body, unexpected);
    expect(error.message).toMatch(/^This PaymentIntent's status is \w+, but it must be one of [\w, ]+ to \w+ this PaymentIntent\.$/);
    // As at Stripe, the intent comes back in the error, exactly as a retrieve shows it.
    expect(error.payment_intent).toEqual(await get(a, `/v1/payment_intents/${ids[which].id}`));
  });

  it('refuses to update a succeeded intent', async () => {
    const error = await refused(a, `/v1/payment_intents/${ids['succeeded'].id}`, { amount: '9000' }, unexpected);
    expect(error.payment_intent).toMatchObject({ id: ids['succeeded'].id, status: 'succeeded', amount: ids['succeeded'].amount });
  });

  it('hands the official client the intent on the error (err.payment_intent)', async () => {
    const thrown = await stripeClient(a.key).paymentIntents.capture(ids['succeeded'].id).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const error = thrown as Stripe.errors.StripeInvalidRequestError;
    expect(error.code).toBe('payment_intent_unexpected_state');
    expect(error.payment_intent).toMatchObject({ id: ids['succeeded'].id, object: 'payment_intent', status: 'succeeded' });
  });

  it.each([
    ['an uncaptured charge', () => ({ charge: ids['held'].latest_charge }), { code: 'charge_not_refundable', param: 'charge' }],
    ['an uncaptured intent', () => ({ payment_intent: ids['held'].id }), { code: 'charge_not_refundable', param: 'payment_intent' }],
    ['a declined charge', () => ({ charge: ids['declined'].latest_charge }), { code: 'charge_not_refundable', param: 'charge' }],
    ['an intent without a charge', () => ({ payment_intent: ids['unpaid'].id }), { code: 'charge_not_refundable', param: 'payment_intent' }],
    ['a canceled authorisation', () => ({ charge: ids['canceled'].latest_charge }), { code: 'charge_not_refundable', param: 'charge' }],
    ['a fully refunded charge', () => ({ payment_intent: ids['refunded'].id }), { code: 'charge_already_refunded', param: null }],
    ['more than was captured', () => ({ charge: ids['succeeded'].latest_charge, amount: '5001' }), { code: 'amount_too_large', param: 'amount' }],
    ['a zero amount', () => ({ charge: ids['succeeded'].latest_charge, amount: '0' }), { param: 'amount' }],
    ['a negative amount', () => ({ charge: ids['succeeded'].latest_charge, amount: '-5' }), { param: 'amount' }],
    ['a fractional amount', () => ({ charge: ids['succeeded'].latest_charge, amount: '1.5' }), { code: INVALID_INTEGER, param: 'amount' }],
    ['both charge and payment_intent', () => ({ charge: ids['succeeded'].latest_charge, payment_intent: ids['succeeded'].id }), { code: 'parameters_exclusive', param: 'payment_intent' }],
    ['neither charge nor payment_intent', () => ({ amount: '100' }), { code: 'parameter_missing', param: 'charge' }],
  ])('refuses a refund of %s', async (_what, body, expected) => {
    await refused(a, '/v1/refunds', body(), { status: 400, ...expected });
  });

  it.each([
    ['more than capturable', '4001', 'amount_too_large'],
    ['zero', '0', undefined],
    ['below the minimum', '49', 'amount_too_small'],
    ['a fraction', '10.5', INVALID_INTEGER],
  ])('refuses to capture %s', async (_what, amount, code) => {
    await refused(a, `/v1/payment_intents/${ids['held'].id}/capture`, { amount_to_capture: amount }, { status: 400, code, param: 'amount_to_capture' });
  });

  it.each([
    ['more than available', { amount: '100', currency: 'usd' }, { code: 'balance_insufficient', param: null }],
    ['nothing', { amount: '0', currency: 'usd' }, { param: 'amount' }],
    ['an unknown currency', { amount: '100', currency: 'XYZ' }, { param: 'currency' }],
  ])('refuses a payout of %s', async (_what, body, expected) => {
    await refused(a, '/v1/payouts', body, { status: 400, ...expected });
  });

  it('leaves the account auditable', async () => {
    await auditAccount(a);
  });
});

describe("another account's ids", () => {
  let a: TestAccount;
  let b: TestAccount;
  const theirs: Record<string, string> = {};
  beforeAll(async () => {
    [a, b] = [await newAccount(), await newAccount()];
    await intent(a, 2_000, { pm: 'pm_card_visa' });
    const paid = await intent(b, 3_000, { pm: 'pm_card_visa' });
    const held = await intent(b, 2_000, { pm: 'pm_card_visa', manual: true });
    const refund = JSON.parse((await post(b, '/v1/refunds', { payment_intent: paid.id, amount: '100' })).text);
    const pm = JSON.parse((await post(b, '/v1/payment_methods', { type: 'card', 'card[number]': '5555555555554444', 'card[exp_month]': '12', 'card[exp_year]': '2034' })).text);
    const customer = JSON.parse((await post(b, '/v1/customers', { email: 'b@example.com' })).text);
    Object.assign(theirs, { pi: held.id, paidPi: paid.id, ch: paid.latest_charge, re: refund.id, pm: pm.id, cus: customer.id });
    expect(Object.values(theirs).every((id) => /^[a-z]+_/.test(id))).toBe(true);
  });

  const missing = (param: string): ExpectedError => ({ status: param === 'id' ? 404 : 400, code: 'resource_missing', param });
  type Case = readonly [method: string, path: () => string, body: () => Record<string, string> | undefined, param: string];
  const none = () => undefined;
  it.each<Case>([
    ['GET', () => `/v1/payment_intents/${theirs['pi']}`, none, 'id'],
    ['POST', () => `/v1/payment_intents/${theirs['pi']}`, () => ({ description: 'x' }), 'id'],
    ['POST', () => `/v1/payment_intents/${theirs['pi']}/capture`, none, 'id'],
    ['POST', () => `/v1/payment_intents/${theirs['pi']}/cancel`, none, 'id'],
    ['POST', () => `/v1/payment_intents/${theirs['pi']}/confirm`, () => ({ payment_method: 'pm_card_visa' }), 'id'],
    ['GET', () => `/v1/charges/${theirs['ch']}`, none, 'id'],
    ['POST', () => `/v1/charges/${theirs['ch']}`, () => ({ 'metadata[k]': 'v' }), 'id'],
    ['GET', () => `/v1/refunds/${theirs['re']}`, none, 'id'],
    ['POST', () => `/v1/refunds/${theirs['re']}`, () => ({ 'metadata[k]': 'v' }), 'id'],
    ['GET', () => `/v1/payment_methods/${theirs['pm']}`, none, 'id'],
    ['POST', () => '/v1/refunds', () => ({ charge: theirs['ch']! }), 'charge'],
    ['POST', () => '/v1/refunds', () => ({ payment_intent: theirs['paidPi']! }), 'payment_intent'],
    ['POST', () => '/v1/payment_intents', () => ({ ...PAY, amount: '1000', payment_method: theirs['pm']! }), 'payment_method'],
    ['POST', () => '/v1/payment_intents', () => ({ ...PAY, amount: '1000', customer: theirs['cus']! }), 'customer'],
    ['GET', () => `/v1/charges?starting_after=${theirs['ch']}`, none, 'starting_after'],
    ['GET', () => `/v1/payment_intents?ending_before=${theirs['pi']}`, none, 'ending_before'],
  ])('answers resource_missing to %s %s', async (method, path, body, param) => {
    const [beforeA, beforeB] = [await stateOf(a), await stateOf(b)];
    expectStripeError(await send(a, method, path(), body()), missing(param));
    expect([await stateOf(a), await stateOf(b)]).toEqual([beforeA, beforeB]);
  });

  it('filters lists by their ids to nothing rather than leaking them', async () => {
    for (const path of [`/v1/charges?payment_intent=${theirs['paidPi']}`, `/v1/refunds?charge=${theirs['ch']}`, `/v1/balance_transactions?source=${theirs['ch']}`]) {
      expect((await get(a, path)).data, path).toEqual([]);
    }
    await auditAccount(a);
    await auditAccount(b);
  });
});
