import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { createSession, merchantWithHostedPage, payWithCard } from '../support/checkout';
import { api, json } from '../support/http';

describe('publishable keys', () => {
  it('reach exactly what the hosted page needs: tokenize, read the session, read and confirm its PaymentIntent with the client secret', async () => {
    const merchant = await merchantWithHostedPage();
    const session = await createSession(merchant.secret, { 'metadata[internal]': 'secret-note' });
    const read = await api('GET', `/v1/checkout/sessions/${session.id}`, { key: merchant.publishable });
    expect(read.status).toBe(200);
    expect(await json(read)).toMatchObject({ id: session.id, status: 'open', amount_total: 3000, metadata: {} });
    const intent = await json(await api('GET', `/v1/payment_intents/${session.payment_intent}`, { key: merchant.secret }));
    const byPk = await api('GET', `/v1/payment_intents/${intent.id}?client_secret=${intent.client_secret}`, { key: merchant.publishable });
    expect(byPk.status).toBe(200);
    expect((await json(byPk)).id).toBe(intent.id);
    const paid = await payWithCard(merchant, session, '4242 4242 4242 4242');
    expect(paid.status).toBe(200);
  });

  it('get the publishable view (no metadata) of an intent refused for its state', async () => {
    const merchant = await merchantWithHostedPage();
    const body = { amount: '1200', currency: 'usd', payment_method: 'pm_card_visa', confirm: 'true', 'payment_method_types[]': 'card', 'metadata[order]': 'internal-42' };
    const paid = await json(await api('POST', '/v1/payment_intents', { key: merchant.secret, body }));
    expect(paid).toMatchObject({ status: 'succeeded', metadata: { order: 'internal-42' } });
    const again = await api('POST', `/v1/payment_intents/${paid.id}/confirm`, { key: merchant.publishable, body: { client_secret: paid.client_secret, payment_method: 'pm_card_visa' } });
    expect(again.status).toBe(400);
    const refused = (await json(again)).error;
    expect(refused).toMatchObject({ code: 'payment_intent_unexpected_state', payment_intent: { id: paid.id, status: 'succeeded' } });
    expect(refused.payment_intent.metadata).toEqual({});
  });

  it('need the right client secret for a PaymentIntent', async () => {
    const merchant = await merchantWithHostedPage();
    const session = await createSession(merchant.secret);
    const pi = session.payment_intent as string;
    const missing = await api('GET', `/v1/payment_intents/${pi}`, { key: merchant.publishable });
    expect((await json(missing)).error).toMatchObject({ param: 'client_secret', code: 'parameter_missing' });
    const wrong = await api('GET', `/v1/payment_intents/${pi}?client_secret=${pi}_secret_forged`, { key: merchant.publishable });
    expect(wrong.status).toBe(400);
    expect((await json(wrong)).error).toMatchObject({ param: 'client_secret', code: 'payment_intent_invalid_parameter' });
    const confirm = await api('POST', `/v1/payment_intents/${pi}/confirm`, { key: merchant.publishable, body: { client_secret: `${pi}_secret_forged`, payment_method: 'pm_card_visa' } });
    expect((await json(confirm)).error.code).toBe('payment_intent_invalid_parameter');
    const serverOptions = await api('POST', `/v1/payment_intents/${pi}/confirm`, { key: merchant.publishable, body: { client_secret: 'x', payment_method: 'pm_card_visa', off_session: 'true' } });
    expect(serverOptions.status).toBe(400);
  });

  it('answer 403 everywhere else, including expand[]', async () => {
    const merchant = await merchantWithHostedPage();
    const session = await createSession(merchant.secret);
    const pi = session.payment_intent as string;
    const pm = await json(await api('POST', '/v1/payment_methods', { key: merchant.publishable, body: { type: 'card', 'card[number]': '4242424242424242', 'card[exp_month]': '1', 'card[exp_year]': '2040' } }));
    const calls: Array<[string, string, Record<string, string>?]> = [
      ['POST', '/v1/checkout/sessions', { mode: 'payment', 'line_items[0][price_data][currency]': 'usd', 'line_items[0][price_data][product_data][name]': 'x', 'line_items[0][price_data][unit_amount]': '100', 'line_items[0][quantity]': '1' }],
      ['GET', '/v1/checkout/sessions'],
      ['GET', `/v1/checkout/sessions/${session.id}/line_items`],
      ['POST', `/v1/checkout/sessions/${session.id}/expire`],
      ['GET', `/v1/checkout/sessions/${session.id}?expand[]=payment_intent`],
      ['GET', '/v1/edgepay/checkout_settings'],
      ['POST', '/v1/edgepay/checkout_settings', { publishable_key: merchant.publishable }],
      ['GET', '/v1/customers'],
      ['POST', '/v1/customers', { email: 'a@b.example' }],
      ['GET', `/v1/payment_methods/${pm.id}`],
      ['POST', `/v1/payment_methods/${pm.id}`, { 'metadata[a]': 'b' }],
      ['POST', '/v1/payment_methods', { type: 'card', 'card[number]': '4242424242424242', 'card[exp_month]': '1', 'card[exp_year]': '2040', 'expand[]': 'customer' }],
      ['GET', '/v1/payment_intents'],
      ['POST', '/v1/payment_intents', { amount: '100', currency: 'usd' }],
      ['POST', `/v1/payment_intents/${pi}`, { description: 'x' }],
      ['POST', `/v1/payment_intents/${pi}/cancel`],
      ['POST', `/v1/payment_intents/${pi}/capture`],
      ['GET', '/v1/charges'],
      ['GET', '/v1/refunds'],
      ['GET', '/v1/balance'],
      ['GET', '/v1/balance_transactions'],
      ['GET', '/v1/payouts'],
      ['GET', '/v1/events'],
      ['GET', '/v1/webhook_endpoints'],
    ];
    for (const [method, path, body] of calls) {
      const res = await api(method, path, { key: merchant.publishable, ...(body ? { body } : {}) });
      const error = (await json(res)).error;
      expect({ path, method, status: res.status, type: error?.type }).toEqual({ path, method, status: 403, type: 'invalid_request_error' });
    }
    expect((await json(await api('GET', `/v1/checkout/sessions/${session.id}`, { key: merchant.secret }))).status).toBe('open');
  });

  it('of another account reach nothing of this one, and forged ones get 401', async () => {
    const merchant = await merchantWithHostedPage();
    const session = await createSession(merchant.secret);
    const stranger = await mintTestKey(newAccountId(), { kind: 'publishable' });
    expect((await api('GET', `/v1/checkout/sessions/${session.id}`, { key: stranger })).status).toBe(404);
    const forged = `${merchant.publishable.slice(0, -4)}AAAA`;
    expect((await api('GET', `/v1/checkout/sessions/${session.id}`, { key: forged })).status).toBe(401);
  });

  it('are registered for the hosted page only by a secret key, and only for the same account and mode', async () => {
    const accountId = newAccountId();
    const secret = await mintTestKey(accountId);
    const settings = (body: Record<string, string>, key = secret) => api('POST', '/v1/edgepay/checkout_settings', { key, body });
    expect((await json(await api('GET', '/v1/edgepay/checkout_settings', { key: secret }))).publishable_key).toBeNull();
    for (const wrong of [secret, await mintTestKey(newAccountId(), { kind: 'publishable' }), await mintTestKey(accountId, { kind: 'publishable', livemode: true }), 'pk_test_nonsense']) {
      const res = await settings({ publishable_key: wrong });
      expect(res.status).toBe(400);
      expect((await json(res)).error.param).toBe('publishable_key');
    }
    const restricted = await mintTestKey(accountId, { kind: 'restricted', scopes: ['customers:write'] });
    const pk = await mintTestKey(accountId, { kind: 'publishable' });
    expect((await settings({ publishable_key: pk }, restricted)).status).toBe(403);
    const ok = await settings({ publishable_key: pk });
    expect(await json(ok)).toEqual({ object: 'edgepay.checkout_settings', livemode: false, publishable_key: pk });
  });
});
