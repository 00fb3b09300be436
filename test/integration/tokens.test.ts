/**
 * Card tokens (`/v1/tokens`) through the official client: created from card details (secret or
 * publishable key), single use as `card[token]` or a legacy charge's `source`, the card's test
 * behaviour kept, and no card number or CVC stored anywhere.
 */
import { describe, expect, it } from 'vitest';
import { auditAccount } from '../support/audit';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

async function account() {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  return { accountId, key, stripe: stripeClient(key) };
}

// stripe-node types the token's card fields as strings (they travel form-encoded anyway).
const card = (number: string) => ({ number, exp_month: '12', exp_year: '2040', cvc: '314' });

describe('card tokens', () => {
  it('creates and retrieves a token with its card object, then turns it into a PaymentMethod once', async () => {
    const a = await account();
    const token = await a.stripe.tokens.create({ card: { ...card('4242424242424242'), name: 'Amy Pond' } });
    expect(token).toMatchObject({
      id: expect.stringMatching(/^tok_/),
      object: 'token',
      type: 'card',
      used: false,
      livemode: false,
      client_ip: null,
      card: { id: expect.stringMatching(/^card_/), object: 'card', brand: 'Visa', last4: '4242', exp_month: 12, exp_year: 2040, funding: 'credit', country: 'US', cvc_check: 'pass', name: 'Amy Pond' },
    });
    expect(await a.stripe.tokens.retrieve(token.id)).toEqual(token);
    const method = await a.stripe.paymentMethods.create({ type: 'card', card: { token: token.id } });
    expect(method.card).toMatchObject({ brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2040, fingerprint: token.card!.fingerprint });
    expect(await a.stripe.tokens.retrieve(token.id)).toMatchObject({ used: true });
    const again = await a.stripe.paymentMethods.create({ type: 'card', card: { token: token.id } }).catch((e: unknown) => e);
    expect(again).toMatchObject({ type: 'StripeInvalidRequestError', code: 'token_already_used', param: 'card[token]', message: `You cannot use a Stripe token more than once: ${token.id}.` });
    await auditAccount(a, { cardNumbers: ['4242424242424242'] });
  });

  it('charges a token once as a legacy source, with the card’s test behaviour', async () => {
    const a = await account();
    const good = await a.stripe.tokens.create({ card: card('5555555555554444') });
    const charge = await a.stripe.charges.create({ amount: 1500, currency: 'usd', source: good.id });
    expect(charge).toMatchObject({ status: 'succeeded', paid: true, amount: 1500, payment_method_details: { card: { brand: 'mastercard', last4: '4444' } } });
    const twice = await a.stripe.charges.create({ amount: 1500, currency: 'usd', source: good.id }).catch((e: unknown) => e);
    expect(twice).toMatchObject({ code: 'token_already_used', param: 'source' });
    const declining = await a.stripe.tokens.create({ card: card('4000000000000002') });
    const declined = await a.stripe.charges.create({ amount: 1500, currency: 'usd', source: declining.id }).catch((e: unknown) => e);
    expect(declined).toMatchObject({ type: 'StripeCardError', code: 'card_declined', decline_code: 'generic_decline' });
    await auditAccount(a, { cardNumbers: ['5555555555554444', '4000000000000002'] });
  });

  it('refuses bad card details with the card_error codes of PaymentMethods, and unknown tokens with 404', async () => {
    const a = await account();
    for (const [details, code] of [
      [card('4242424242424241'), 'incorrect_number'],
      [{ ...card('4242424242424242'), exp_month: '13' }, 'invalid_expiry_month'],
      [{ ...card('4242424242424242'), exp_year: '2001' }, 'invalid_expiry_year'],
      [{ ...card('4242424242424242'), cvc: '1' }, 'invalid_cvc'],
    ] as const) {
      const thrown = await a.stripe.tokens.create({ card: details }).catch((e: unknown) => e);
      expect([code, (thrown as { type?: string }).type, (thrown as { code?: string }).code]).toEqual([code, 'StripeCardError', code]);
    }
    expect((await api('GET', '/v1/tokens/tok_doesnotexist', { key: a.key })).status).toBe(404);
    const unknown = await a.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_doesnotexist' } }).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ code: 'resource_missing', param: 'card[token]' });
    expect((await api('POST', '/v1/tokens', { key: a.key, body: { 'bank_account[country]': 'US' } })).status).toBe(400);
  });

  it('lets a publishable key create a token but not read one; another account’s token is unknown', async () => {
    const a = await account();
    const publishable = await mintTestKey(a.accountId, { kind: 'publishable' });
    const body = { 'card[number]': '4242424242424242', 'card[exp_month]': '12', 'card[exp_year]': '2040', 'card[cvc]': '123' };
    const created = await api('POST', '/v1/tokens', { key: publishable, body });
    expect(created.status).toBe(200);
    const token = await json(created);
    expect((await api('GET', `/v1/tokens/${token.id}`, { key: publishable })).status).toBe(403);
    const other = await account();
    expect((await api('GET', `/v1/tokens/${token.id}`, { key: other.key })).status).toBe(404);
    const stolen = await other.stripe.charges.create({ amount: 1000, currency: 'usd', source: token.id }).catch((e: unknown) => e);
    expect(stolen).toMatchObject({ code: 'resource_missing', param: 'source' });
    const charged = await a.stripe.charges.create({ amount: 1000, currency: 'usd', source: token.id });
    expect(charged.status).toBe('succeeded');
  });
});
