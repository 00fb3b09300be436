import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { stripeClient } from '../support/stripe-client';
import { eventually, failingThenOk, newReceiver } from '../support/webhook-receiver';

const noRedirects = { enabled: true, allow_redirects: 'never' as const };

async function setup() {
  const accountId = newAccountId();
  return { stripe: stripeClient(await mintTestKey(accountId)), stub: env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`) };
}

describe('webhook endpoints and events through the stripe client', () => {
  it('creates, retrieves, updates, lists and deletes webhook endpoints', async () => {
    const { stripe } = await setup();
    const endpoint = await stripe.webhookEndpoints.create({ url: 'https://hooks.example.com/stripe', enabled_events: ['payment_intent.succeeded', 'charge.refunded'], description: 'shop', metadata: { env: 'ci' } });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ object: 'webhook_endpoint', status: 'enabled', enabled_events: ['payment_intent.succeeded', 'charge.refunded'], metadata: { env: 'ci' } });
    const retrieved = await stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(retrieved.secret).toBeUndefined();
    const updated = await stripe.webhookEndpoints.update(endpoint.id, { enabled_events: ['*'], disabled: true });
    expect(updated).toMatchObject({ enabled_events: ['*'], status: 'disabled' });
    const ids: string[] = [];
    for await (const e of stripe.webhookEndpoints.list({ limit: 1 })) ids.push(e.id);
    expect(ids).toEqual([endpoint.id]);
    expect(await stripe.webhookEndpoints.del(endpoint.id)).toMatchObject({ id: endpoint.id, deleted: true });
    await expect(stripe.webhookEndpoints.retrieve(endpoint.id)).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('refuses an internal URL with a StripeInvalidRequestError on `url`', async () => {
    const { stripe } = await setup();
    const error = await stripe.webhookEndpoints.create({ url: 'https://169.254.169.254/latest', enabled_events: ['*'] }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ param: 'url', code: 'url_invalid' });
  });

  it('lists events by types[] and auto-paginates them', async () => {
    const { stripe } = await setup();
    for (let i = 0; i < 3; i++) await stripe.paymentIntents.create({ amount: 1000 + i, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    const seen: string[] = [];
    for await (const event of stripe.events.list({ types: ['payment_intent.succeeded', 'charge.succeeded'], limit: 2 })) seen.push(event.type);
    expect(seen.sort()).toEqual(['charge.succeeded', 'charge.succeeded', 'charge.succeeded', 'payment_intent.succeeded', 'payment_intent.succeeded', 'payment_intent.succeeded']);
    const wildcard = await stripe.events.list({ type: 'charge.*' });
    expect(wildcard.data.map((e) => e.type)).toEqual(['charge.succeeded', 'charge.succeeded', 'charge.succeeded']);
    const one = await stripe.events.retrieve(wildcard.data[0]!.id);
    expect(one).toEqual(wildcard.data[0]);
  });

  it('delivers a payment’s events, which constructEventAsync verifies; a failing receiver leaves the event pending', async () => {
    const { stripe, stub } = await setup();
    const receiver = newReceiver(failingThenOk(1));
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['payment_intent.succeeded'] });
    const pi = await stripe.paymentIntents.create({ amount: 4200, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    await runDurableObjectAlarm(stub);
    await eventually(() => (receiver.received.length > 0 ? true : undefined), 'the first try');
    const [first] = receiver.received;
    const event = await stripe.webhooks.constructEventAsync(first!.body, first!.headers.get('stripe-signature')!, endpoint.secret!, 300, Stripe.createSubtleCryptoProvider());
    expect(event.type).toBe('payment_intent.succeeded');
    expect((event.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect((await stripe.events.retrieve(event.id)).pending_webhooks).toBe(1); // the 500 is not an acknowledgement
  });
});
