import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { createSession, merchantWithHostedPage, PAYMENT_SESSION, payWithCard } from '../support/checkout';
import { auditAccount } from '../support/audit';
import { api, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

async function eventsOf(key: string, type: string) {
  return (await json(await api('GET', `/v1/events?type=${type}`, { key }))).data as Array<Record<string, any>>;
}

describe('checkout sessions API', () => {
  it('creates a payment-mode session with price_data through the official client', async () => {
    const accountId = newAccountId();
    const stripe = stripeClient(await mintTestKey(accountId));
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', product_data: { name: 'Mug' }, unit_amount: 1250 }, quantity: 3 }],
      customer_email: 'buyer@example.com',
      success_url: 'https://shop.example/ok?cs={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://shop.example/cart',
      metadata: { order: '42' },
    });
    expect(session).toMatchObject({ object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid', amount_total: 3750, currency: 'usd', customer_email: 'buyer@example.com', metadata: { order: '42' }, ui_mode: 'hosted' });
    expect(session.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(session.url).toBe(`http://edgepay.test/c/pay/${accountId}/${session.id}`);
    expect(session.expires_at - session.created).toBe(86_400);
    const intent = await stripe.paymentIntents.retrieve(session.payment_intent as string);
    expect(intent).toMatchObject({ amount: 3750, currency: 'usd', status: 'requires_payment_method', receipt_email: 'buyer@example.com' });
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ object: 'item', description: 'Mug', quantity: 3, amount_total: 3750, price: { unit_amount: 1250, active: false } });
  });

  it('takes existing prices: active one-time ones in payment mode; inactive or recurring ones are refused', async () => {
    const stripe = stripeClient(await mintTestKey(newAccountId()));
    const product = await stripe.products.create({ name: 'Notebook' });
    const price = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 800 });
    const session = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 2 }], success_url: 'https://shop.example/ok' });
    expect(session).toMatchObject({ amount_total: 1600, currency: 'eur', status: 'open' });
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data[0]).toMatchObject({ description: 'Notebook', quantity: 2, price: { id: price.id, product: product.id, unit_amount: 800 } });
    const monthly = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 500, recurring: { interval: 'month' } });
    await expect(stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: monthly.id, quantity: 1 }] })).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
    await stripe.prices.update(price.id, { active: false });
    await expect(stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }] })).rejects.toMatchObject({ statusCode: 400, code: 'price_inactive' });
  });

  it('expands payment_intent and line_items, and refuses unknown expand paths', async () => {
    const key = await mintTestKey(newAccountId());
    const session = await createSession(key);
    const res = await api('GET', `/v1/checkout/sessions/${session.id}?expand[]=payment_intent&expand[]=line_items`, { key });
    const body = await json(res);
    expect(body.payment_intent).toMatchObject({ id: session.payment_intent, object: 'payment_intent', amount: 3000 });
    expect(body.line_items).toMatchObject({ object: 'list', has_more: false, url: `/v1/checkout/sessions/${session.id}/line_items` });
    expect(body.line_items.data[0].quantity).toBe(2);
    const plain = await json(await api('GET', `/v1/checkout/sessions/${session.id}`, { key }));
    expect(plain.line_items).toBeUndefined();
    const bad = await api('GET', `/v1/checkout/sessions/${session.id}?expand[]=subscription_data`, { key });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.param).toBe('expand');
  });

  it('refuses invalid requests with Stripe-shaped errors', async () => {
    const key = await mintTestKey(newAccountId());
    const cases: Array<[Record<string, string>, string]> = [
      [{ mode: 'payment', success_url: 'https://a.example/' }, 'line_items'],
      [{ ...PAYMENT_SESSION, 'line_items[0][price]': 'price_nope' }, 'line_items[0][price]'],
      [{ ...PAYMENT_SESSION, 'line_items[1][price_data][currency]': 'eur', 'line_items[1][price_data][product_data][name]': 'X', 'line_items[1][price_data][unit_amount]': '100', 'line_items[1][quantity]': '1' }, 'line_items'],
      [{ ...PAYMENT_SESSION, 'line_items[0][price_data][recurring][interval]': 'month' }, 'line_items'],
      [{ ...PAYMENT_SESSION, expires_at: String(Math.floor(Date.now() / 1000) + 60) }, 'expires_at'],
      [{ ...PAYMENT_SESSION, customer: 'cus_missing' }, 'customer'],
      [{ ...PAYMENT_SESSION, customer: 'cus_x', customer_email: 'a@b.example' }, 'customer_email'],
      [{ ...PAYMENT_SESSION, 'line_items[0][quantity]': '0' }, 'line_items[0][quantity]'],
      [{ ...PAYMENT_SESSION, success_url: 'javascript:alert(1)' }, 'success_url'],
      [{ ...PAYMENT_SESSION, mode: 'setup' }, 'mode'],
      [{ ...PAYMENT_SESSION, 'line_items[0][price_data][unit_amount]': '10' }, 'line_items'],
    ];
    for (const [body, param] of cases) {
      const res = await api('POST', '/v1/checkout/sessions', { key, body });
      const error = (await json(res)).error;
      expect({ status: res.status, param: error.param, type: error.type }).toEqual({ status: 400, param, type: 'invalid_request_error' });
    }
    expect((await json(await api('GET', '/v1/checkout/sessions/cs_test_nope', { key }))).error.code).toBe('resource_missing');
    for (const path of ['/v1/prices', '/v1/products', '/v1/payment_intents', '/v1/checkout/sessions']) {
      expect({ path, data: (await json(await api('GET', path, { key }))).data }).toEqual({ path, data: [] });
    }
  });

  it('lists sessions filtered by payment_intent, customer and status', async () => {
    const key = await mintTestKey(newAccountId());
    const customer = await json(await api('POST', '/v1/customers', { key, body: { email: 'c@example.com' } }));
    const a = await createSession(key, { customer: customer.id });
    const b = await createSession(key);
    await api('POST', `/v1/checkout/sessions/${b.id}/expire`, { key });
    const ids = async (query: string) => ((await json(await api('GET', `/v1/checkout/sessions${query}`, { key }))).data as Array<{ id: string }>).map((s) => s.id);
    expect(await ids('')).toEqual([b.id, a.id]);
    expect(await ids(`?payment_intent=${b.payment_intent}`)).toEqual([b.id]);
    expect(await ids(`?customer=${customer.id}`)).toEqual([a.id]);
    expect(await ids('?status=open')).toEqual([a.id]);
    expect(await ids('?status=expired')).toEqual([b.id]);
    expect(await ids('?limit=1')).toEqual([b.id]);
    const expanded = await json(await api('GET', '/v1/checkout/sessions?expand[]=data.payment_intent&limit=1', { key }));
    expect(expanded.data[0].payment_intent.object).toBe('payment_intent');
  });

  it('pages line items with limit and cursors', async () => {
    const key = await mintTestKey(newAccountId());
    const body: Record<string, string> = { mode: 'payment' };
    for (let i = 0; i < 3; i++) {
      Object.assign(body, { [`line_items[${i}][price_data][currency]`]: 'usd', [`line_items[${i}][price_data][product_data][name]`]: `Item ${i}`, [`line_items[${i}][price_data][unit_amount]`]: '100', [`line_items[${i}][quantity]`]: '1' });
    }
    const session = await createSession(key, body);
    const page = async (query: string) => json(await api('GET', `/v1/checkout/sessions/${session.id}/line_items${query}`, { key }));
    const first = await page('?limit=2');
    expect(first.data.map((i: any) => i.description)).toEqual(['Item 0', 'Item 1']);
    expect(first.has_more).toBe(true);
    const second = await page(`?limit=2&starting_after=${first.data[1].id}`);
    expect(second.data.map((i: any) => i.description)).toEqual(['Item 2']);
    expect(second.has_more).toBe(false);
    const back = await page(`?limit=1&ending_before=${second.data[0].id}`);
    expect(back.data.map((i: any) => i.description)).toEqual(['Item 1']);
    expect((await page('?starting_after=li_nope')).error.param).toBe('starting_after');
  });

  it('expires an open session: cancels its PaymentIntent, emits checkout.session.expired, refuses a second expire', async () => {
    const merchant = await merchantWithHostedPage();
    const session = await createSession(merchant.secret);
    const res = await api('POST', `/v1/checkout/sessions/${session.id}/expire`, { key: merchant.secret });
    expect(await json(res)).toMatchObject({ status: 'expired', payment_status: 'unpaid', url: null });
    const intent = await json(await api('GET', `/v1/payment_intents/${session.payment_intent}`, { key: merchant.secret }));
    expect(intent).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect((await eventsOf(merchant.secret, 'checkout.session.expired')).map((e) => e.data.object.id)).toEqual([session.id]);
    const again = await json(await api('POST', `/v1/checkout/sessions/${session.id}/expire`, { key: merchant.secret }));
    expect(again.error).toMatchObject({ code: 'checkout_session_unexpected_state', type: 'invalid_request_error' });
    const pay = await payWithCard(merchant, session, '4242424242424242');
    expect(pay.status).toBe(400);
    expect((await json(pay)).error.code).toBe('checkout_session_unexpected_state');
  });

  it('expires at expires_at by the alarm, and a read past expiry already sees it expired', async () => {
    const accountId = newAccountId();
    const key = await mintTestKey(accountId);
    const now = Math.floor(Date.now() / 1000);
    // Not exactly 30 minutes out: the server's clock may already be a second further on.
    const a = await createSession(key, { expires_at: String(now + 1830) });
    const b = await createSession(key, { expires_at: String(now + 1900) });
    const stub = env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`);
    await stub.setClockOffsetForTest(2000);
    await runDurableObjectAlarm(stub);
    const listed = await json(await api('GET', '/v1/checkout/sessions?status=expired', { key }));
    expect(listed.data.map((s: any) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect((await eventsOf(key, 'checkout.session.expired'))).toHaveLength(2);
    const c = await createSession(key);
    await stub.setClockOffsetForTest(2000 + 86_400);
    expect((await json(await api('GET', `/v1/checkout/sessions/${c.id}`, { key }))).status).toBe('expired');
  });

  it('completes when its PaymentIntent succeeds, once: checkout.session.completed, paid, customer details', async () => {
    const merchant = await merchantWithHostedPage();
    const endpoint = await api('POST', '/v1/webhook_endpoints', { key: merchant.secret, body: { url: 'https://shop.example/hooks', 'enabled_events[0]': 'checkout.session.completed', 'enabled_events[1]': 'checkout.session.expired' } });
    expect(endpoint.status).toBe(200);
    const session = await createSession(merchant.secret);
    const res = await payWithCard(merchant, session, '4242424242424242');
    expect(await json(res)).toMatchObject({ status: 'succeeded', amount_received: 3000, metadata: {} });
    const done = await json(await api('GET', `/v1/checkout/sessions/${session.id}`, { key: merchant.secret }));
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', url: null, customer_details: { email: 'ada@example.com', name: 'Ada Lovelace' } });
    const events = await eventsOf(merchant.secret, 'checkout.session.completed');
    expect(events.map((e) => e.data.object.id)).toEqual([session.id]);
    expect(events[0]!.pending_webhooks).toBe(1);
    const balance = await json(await api('GET', '/v1/balance', { key: merchant.secret }));
    expect(balance.pending.find((b: any) => b.currency === 'usd').amount).toBeGreaterThan(0);
    const twice = await payWithCard(merchant, session, '4242424242424242');
    expect((await json(twice)).error.code).toBe('checkout_session_unexpected_state');
    const serverSide = await api('POST', `/v1/payment_intents/${session.payment_intent}/confirm`, { key: merchant.secret, body: { payment_method: 'pm_card_visa' } });
    expect((await json(serverSide)).error.code).toBe('payment_intent_unexpected_state');
    const expire = await json(await api('POST', `/v1/checkout/sessions/${session.id}/expire`, { key: merchant.secret }));
    expect(expire.error.code).toBe('checkout_session_unexpected_state');
    expect(await eventsOf(merchant.secret, 'checkout.session.completed')).toHaveLength(1);
  });

  it('stays open after a decline and completes on a retry with a good card', async () => {
    const merchant = await merchantWithHostedPage();
    const session = await createSession(merchant.secret);
    const declined = await payWithCard(merchant, session, '4000000000000002');
    expect(declined.status).toBe(402);
    expect((await json(declined)).error).toMatchObject({ type: 'card_error', code: 'card_declined', message: 'Your card was declined.' });
    expect((await json(await api('GET', `/v1/checkout/sessions/${session.id}`, { key: merchant.secret }))).status).toBe('open');
    expect((await json(await payWithCard(merchant, session, '4242424242424242'))).status).toBe('succeeded');
    expect((await json(await api('GET', `/v1/checkout/sessions/${session.id}`, { key: merchant.secret }))).status).toBe('complete');
    // The auditor: books balance, and no card number or cvc anywhere in stored, listed or projected data.
    await auditAccount({ accountId: merchant.accountId, key: merchant.secret }, { cardNumbers: ['4000000000000002', '4242424242424242'] });
  });
});
