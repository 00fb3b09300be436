import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { merchantWithHostedPage, payWithCard, type Merchant } from '../support/checkout';
import { api, BASE, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

async function monthlyPrice(merchant: Merchant, unitAmount = 900) {
  const stripe = stripeClient(merchant.secret);
  const product = await stripe.products.create({ name: 'Pro plan' });
  return stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: unitAmount, recurring: { interval: 'month' } });
}

async function subscriptionSession(merchant: Merchant, price: string, extra: Record<string, unknown> = {}) {
  return stripeClient(merchant.secret).checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price, quantity: 1 }],
    customer_email: 'sub@example.com',
    success_url: 'https://shop.example/welcome?cs={CHECKOUT_SESSION_ID}',
    ...extra,
  });
}

describe('checkout sessions in subscription mode', () => {
  it('creates an incomplete subscription whose first invoice the session collects; paying it activates the subscription and completes the session', async () => {
    const merchant = await merchantWithHostedPage();
    const stripe = stripeClient(merchant.secret);
    const price = await monthlyPrice(merchant);
    const session = await subscriptionSession(merchant, price.id);
    expect(session).toMatchObject({ mode: 'subscription', status: 'open', payment_status: 'unpaid', payment_intent: null, amount_total: 900, payment_method_collection: 'always' });
    expect(session.customer).toMatch(/^cus_/);
    expect(session.expires_at - session.created).toBe(23 * 3600);
    expect((await stripe.customers.retrieve(session.customer as string)) as { email: string }).toMatchObject({ email: 'sub@example.com' });
    expect(await stripe.subscriptions.retrieve(session.subscription as string)).toMatchObject({ status: 'incomplete', latest_invoice: session.invoice });
    const invoice = await stripe.invoices.retrieve(session.invoice as string);
    expect(invoice).toMatchObject({ status: 'open', amount_due: 900 });
    const listed = await stripe.checkout.sessions.list({ subscription: session.subscription as string });
    expect(listed.data.map((s) => s.id)).toEqual([session.id]);
    const paid = await payWithCard(merchant, session, '4242424242424242');
    const paidBody = await json(paid);
    expect(paidBody.status, JSON.stringify(paidBody)).toBe('succeeded');
    expect(await stripe.checkout.sessions.retrieve(session.id)).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect(await stripe.subscriptions.retrieve(session.subscription as string)).toMatchObject({ status: 'active' });
    expect(await stripe.invoices.retrieve(session.invoice as string)).toMatchObject({ status: 'paid', amount_paid: 900 });
    const events = (await stripe.events.list({ type: 'checkout.session.completed' })).data;
    expect(events.map((e) => (e.data.object as { id: string }).id)).toEqual([session.id]);
  });

  it('pays the first invoice through the 3DS challenge too', async () => {
    const merchant = await merchantWithHostedPage();
    const stripe = stripeClient(merchant.secret);
    const session = await subscriptionSession(merchant, (await monthlyPrice(merchant)).id);
    const returnUrl = `${session.url}/return`;
    const confirm = await json(await payWithCard(merchant, session, '4000002760003184', returnUrl));
    expect(confirm.status).toBe('requires_action');
    const challenge = await exports.default.fetch(
      new Request(confirm.next_action.redirect_to_url.url.replace(/^https?:\/\/[^/]+/, BASE), { method: 'POST', body: new URLSearchParams({ outcome: 'complete' }), redirect: 'manual' }),
    );
    expect(challenge.status).toBe(303);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
    expect((await stripe.subscriptions.retrieve(session.subscription as string)).status).toBe('active');
    expect((await stripe.invoices.retrieve(session.invoice as string)).status).toBe('paid');
  });

  it('settles the invoice once when the merchant pays it through the invoices API instead', async () => {
    const merchant = await merchantWithHostedPage();
    const stripe = stripeClient(merchant.secret);
    const session = await subscriptionSession(merchant, (await monthlyPrice(merchant)).id);
    const invoice = await stripe.invoices.pay(session.invoice as string, { payment_method: 'pm_card_visa' });
    expect(invoice.status).toBe('paid');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
    expect((await stripe.subscriptions.retrieve(session.subscription as string)).status).toBe('active');
    expect((await stripe.events.list({ type: 'invoice.paid' })).data).toHaveLength(1);
  });

  it('builds recurring prices from price_data, and refuses one-time prices or no recurring price', async () => {
    const merchant = await merchantWithHostedPage();
    const stripe = stripeClient(merchant.secret);
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price_data: { currency: 'eur', product_data: { name: 'Box' }, unit_amount: 1200, recurring: { interval: 'year' } }, quantity: 2 }],
      customer_email: 'box@example.com',
    });
    expect(session.amount_total).toBe(2400);
    const subscription = await stripe.subscriptions.retrieve(session.subscription as string);
    expect(subscription.items.data[0]).toMatchObject({ quantity: 2, price: { unit_amount: 1200, recurring: { interval: 'year' } } });
    const oneTime = { price_data: { currency: 'eur', product_data: { name: 'Setup fee' }, unit_amount: 500 }, quantity: 1 };
    const recurring = { price_data: { currency: 'eur', product_data: { name: 'Box' }, unit_amount: 1200, recurring: { interval: 'year' as const } }, quantity: 1 };
    await expect(stripe.checkout.sessions.create({ mode: 'subscription', line_items: [oneTime] })).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
    await expect(stripe.checkout.sessions.create({ mode: 'subscription', line_items: [recurring, oneTime] })).rejects.toMatchObject({ statusCode: 400, param: 'line_items' });
    const before = (await json(await api('GET', '/v1/subscriptions', { key: merchant.secret }))).data.length;
    expect(before).toBe(1);
  });

  it('expiring the session expires its incomplete subscription and voids the invoice', async () => {
    const merchant = await merchantWithHostedPage();
    const stripe = stripeClient(merchant.secret);
    const session = await subscriptionSession(merchant, (await monthlyPrice(merchant)).id);
    expect((await stripe.checkout.sessions.expire(session.id)).status).toBe('expired');
    expect((await stripe.subscriptions.retrieve(session.subscription as string)).status).toBe('incomplete_expired');
    expect((await stripe.invoices.retrieve(session.invoice as string)).status).toBe('void');
    const pay = await payWithCard(merchant, session, '4242424242424242');
    expect(pay.status).toBe(400);
  });
});
