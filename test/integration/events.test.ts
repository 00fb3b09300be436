import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { EVENT_RETENTION_SECONDS } from '../../src/domain/limits';
import { isLuhnValid } from '../../src/domain/cards/luhn';
import { insertObject, listObjects } from '../../durable-objects/store';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { drainOutbox } from '../support/outbox';
import { stripeClient } from '../support/stripe-client';
import { eventually, newReceiver } from '../support/webhook-receiver';
import { createEndpoint } from '../support/webhooks';

const noRedirects = { enabled: true, allow_redirects: 'never' as const };

async function setup() {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  return { accountId, key, stripe: stripeClient(key), stub: env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`) };
}

/** The account's events about one object, oldest first. */
async function typesFor(stripe: Stripe, objectId: string): Promise<string[]> {
  const events = await stripe.events.list({ limit: 100 });
  return events.data
    .filter((e) => (e.data.object as { id?: string }).id === objectId)
    .reverse()
    .map((e) => e.type);
}

async function allTypes(stripe: Stripe): Promise<string[]> {
  return (await stripe.events.list({ limit: 100 })).data.reverse().map((e) => e.type);
}

describe('events per flow', () => {
  it('customer create → update → delete, with previous_attributes on the update', async () => {
    const { stripe } = await setup();
    const customer = await stripe.customers.create({ name: 'Old' });
    await stripe.customers.update(customer.id, { name: 'New' });
    await stripe.customers.del(customer.id);
    expect(await typesFor(stripe, customer.id)).toEqual(['customer.created', 'customer.updated', 'customer.deleted']);
    const [updated] = (await stripe.events.list({ type: 'customer.updated' })).data;
    expect(updated!.data.previous_attributes).toEqual({ name: 'Old' });
    expect(updated).toMatchObject({ object: 'event', api_version: expect.any(String), livemode: false, pending_webhooks: 0 });
    expect(updated!.request).toEqual({ id: expect.stringMatching(/^req_/), idempotency_key: expect.stringMatching(/^stripe-node-retry-/) });
  });

  it('PaymentMethod attach → detach', async () => {
    const { stripe } = await setup();
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.create({ type: 'card', card: { number: '4242424242424242', exp_month: 12, exp_year: 2040, cvc: '123' } });
    await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    await stripe.paymentMethods.detach(pm.id);
    expect(await typesFor(stripe, pm.id)).toEqual(['payment_method.attached', 'payment_method.detached']);
  });

  it('PaymentIntent create+confirm: payment_intent.created → charge.succeeded → payment_intent.succeeded', async () => {
    const { stripe } = await setup();
    await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    expect(await allTypes(stripe)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
  });

  it('decline: payment_intent.created → charge.failed → payment_intent.payment_failed', async () => {
    const { stripe } = await setup();
    const params = { amount: 2000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true, automatic_payment_methods: noRedirects };
    await expect(stripe.paymentIntents.create(params)).rejects.toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(await allTypes(stripe)).toEqual(['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed']);
  });

  it('manual capture: amount_capturable_updated, then charge.captured → payment_intent.succeeded', async () => {
    const { stripe } = await setup();
    const pi = await stripe.paymentIntents.create({ amount: 3000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual', automatic_payment_methods: noRedirects });
    await stripe.paymentIntents.capture(pi.id);
    expect(await allTypes(stripe)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated', 'charge.captured', 'payment_intent.succeeded']);
  });

  it('3-D Secure: payment_intent.requires_action; cancel: payment_intent.canceled', async () => {
    const { stripe } = await setup();
    const pi = await stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_threeDSecure2Required', confirm: true, return_url: 'https://shop.example.com/back' });
    expect(pi.status).toBe('requires_action');
    await stripe.paymentIntents.cancel(pi.id);
    expect(await typesFor(stripe, pi.id)).toEqual(['payment_intent.created', 'payment_intent.requires_action', 'payment_intent.canceled']);
  });

  it('refund: refund.created → charge.refunded', async () => {
    const { stripe } = await setup();
    const pi = await stripe.paymentIntents.create({ amount: 2500, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    const before = (await stripe.events.list({ limit: 100 })).data.length;
    await stripe.refunds.create({ payment_intent: pi.id, amount: 500 });
    const after = (await stripe.events.list({ limit: 100 })).data.slice(0, -before).reverse().map((e) => e.type);
    expect(after).toEqual(['refund.created', 'charge.refunded']);
  });
});

describe('events per flow: payouts and balance', () => {
  it('balance.available when funds land; payout.created → payout.updated → payout.paid; payout.canceled', async () => {
    const { stripe, stub } = await setup();
    await stripe.paymentIntents.create({ amount: 10_000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    await stub.setClockOffsetForTest(3 * 86_400);
    await runDurableObjectAlarm(stub);
    expect((await stripe.events.list({ type: 'balance.available' })).data).toHaveLength(1);
    const paid = await stripe.payouts.create({ amount: 1000, currency: 'usd' });
    const canceled = await stripe.payouts.create({ amount: 500, currency: 'usd' });
    await stripe.payouts.cancel(canceled.id);
    await stub.setClockOffsetForTest(6 * 86_400);
    await runDurableObjectAlarm(stub);
    expect(await typesFor(stripe, paid.id)).toEqual(['payout.created', 'payout.updated', 'payout.paid']);
    expect(await typesFor(stripe, canceled.id)).toEqual(['payout.created', 'payout.canceled']);
  });
});

describe('GET /v1/events filters', () => {
  async function seeded() {
    const ctx = await setup();
    const customer = await ctx.stripe.customers.create({ name: 'a' });
    await ctx.stripe.customers.update(customer.id, { name: 'b' });
    await ctx.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects });
    return ctx;
  }
  const typesOf = async (key: string, query: string) => (await json(await api('GET', `/v1/events?${query}`, { key }))).data.map((e: { type: string }) => e.type).reverse();

  it('filters by exact type, by `*` wildcard and by types[]', async () => {
    const { key } = await seeded();
    expect(await typesOf(key, 'type=customer.updated')).toEqual(['customer.updated']);
    expect(await typesOf(key, 'type=customer.*')).toEqual(['customer.created', 'customer.updated']);
    expect(await typesOf(key, 'type=payment_intent.*')).toEqual(['payment_intent.created', 'payment_intent.succeeded']);
    expect(await typesOf(key, 'type=*')).toHaveLength(5);
    expect(await typesOf(key, 'types[]=charge.succeeded&types[]=customer.created')).toEqual(['customer.created', 'charge.succeeded']);
    expect(await typesOf(key, 'types[0]=charge.*&types[1]=payment_intent.succeeded')).toEqual(['charge.succeeded', 'payment_intent.succeeded']);
    expect(await typesOf(key, 'type=payment%5Fintent.created')).toEqual(['payment_intent.created']);
  });

  it('treats LIKE metacharacters in a wildcard prefix literally', async () => {
    const { stub } = await setup();
    const matched = await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      for (const [id, status] of [['p1', 'payment_intent.created'], ['p2', 'paymentXintent.created'], ['p3', 'payment%intent.created']]) {
        insertObject(sql, { id: id!, type: 'probe', created: 1, data: {} }, { status: status! });
      }
      return listObjects(sql, { type: 'probe', limit: 10, statusAnyOf: [{ prefix: 'payment_intent.' }] }).objects.map((o) => o.id);
    });
    expect(matched).toEqual(['p1']);
    const { key } = await setup();
    expect((await api('GET', '/v1/events?type=payment_intent_*', { key })).status).toBe(400);
  });

  it('filters by created and pages with starting_after', async () => {
    const { key } = await seeded();
    const all = (await json(await api('GET', '/v1/events?limit=100', { key }))).data;
    const created = all[0].created;
    expect((await json(await api('GET', `/v1/events?created[gt]=${created}`, { key }))).data).toEqual([]);
    expect((await json(await api('GET', `/v1/events?created[lte]=${created}`, { key }))).data).toHaveLength(all.length);
    const page = await json(await api('GET', `/v1/events?limit=2&starting_after=${all[1].id}`, { key }));
    expect(page.data.map((e: { id: string }) => e.id)).toEqual([all[2].id, all[3].id]);
    expect(page.has_more).toBe(true);
  });

  it('refuses type with types[], more than 20 types, and malformed patterns', async () => {
    const { key } = await setup();
    const both = await api('GET', '/v1/events?type=charge.succeeded&types[]=charge.failed', { key });
    expect(both.status).toBe(400);
    expect((await json(both)).error).toMatchObject({ param: 'types' });
    const many = Array.from({ length: 21 }, (_, i) => `types[${i}]=charge.succeeded`).join('&');
    expect((await api('GET', `/v1/events?${many}`, { key })).status).toBe(400);
    for (const bad of ['*.succeeded', 'charge.*.x', "charge'--"]) expect((await api('GET', `/v1/events?type=${encodeURIComponent(bad)}`, { key })).status, bad).toBe(400);
  });
});

describe('event retention', () => {
  it('prunes events older than 30 days in the alarm, D1 copies included, and keeps newer ones', async () => {
    const { accountId, stripe, stub } = await setup();
    const d1Events = async () =>
      (await env.DB.prepare("SELECT id FROM records WHERE account_id = ? AND object = 'event' ORDER BY id").bind(accountId).all<{ id: string }>()).results.map((r) => r.id);
    const old = await stripe.customers.create({ name: 'old' });
    await stub.setClockOffsetForTest(EVENT_RETENTION_SECONDS - 60);
    const recent = await stripe.customers.create({ name: 'recent' });
    const before = (await stripe.events.list({ limit: 100 })).data;
    await drainOutbox(stub);
    expect(await d1Events()).toEqual(before.map((e) => e.id).sort());
    await stub.setClockOffsetForTest(EVENT_RETENTION_SECONDS + 120);
    await runDurableObjectAlarm(stub); // prunes, and queues the purge of the D1 copies
    await drainOutbox(stub);
    const left = (await stripe.events.list({ limit: 100 })).data;
    expect(left.map((e) => (e.data.object as { id: string }).id)).toEqual([recent.id]);
    expect(await d1Events()).toEqual(left.map((e) => e.id));
    await expect(stripe.customers.retrieve(old.id)).resolves.toMatchObject({ id: old.id }); // only the event goes
  });
});

describe('card data in events', () => {
  const LUHN_RUN = /\d{13,19}/g;
  function findCardData(text: string): string[] {
    const runs = (text.match(LUHN_RUN) ?? []).filter((run) => isLuhnValid(run));
    const cvcKeys = text.match(/"cvc"\s*:/g) ?? [];
    return [...runs, ...cvcKeys];
  }

  it('stores and lists no card number or CVC in any event, even for a PaymentMethod made from a raw card', async () => {
    const { accountId, key, stripe, stub } = await setup();
    const receiver = newReceiver();
    await createEndpoint(key, receiver.url);
    const customer = await stripe.customers.create({});
    const pm = await stripe.paymentMethods.create({ type: 'card', card: { number: '4000056655665556', exp_month: 11, exp_year: 2041, cvc: '314' } });
    await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
    const pi = await stripe.paymentIntents.create({ amount: 1234, currency: 'usd', customer: customer.id, payment_method: pm.id, confirm: true, automatic_payment_methods: noRedirects });
    await stripe.refunds.create({ payment_intent: pi.id });
    const listed = JSON.stringify((await stripe.events.list({ limit: 100 })).data);
    expect(listed).toContain('5556'); // the last4 is there: the scan looks at the right data
    expect(findCardData(listed)).toEqual([]);
    const stored = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ data: string }>("SELECT data FROM objects WHERE type = 'event'").toArray().map((r) => r.data).join('\n'),
    );
    expect(findCardData(stored)).toEqual([]);
    const eventCount = (await stripe.events.list({ limit: 100 })).data.length;
    await runDurableObjectAlarm(stub);
    await eventually(() => (receiver.received.length === eventCount ? true : undefined), 'every event delivered');
    const delivered = receiver.received.map((r) => r.body).join('\n');
    expect(delivered).toContain('5556');
    expect(findCardData(delivered)).toEqual([]);
    const { results } = await env.DB.prepare("SELECT data FROM records WHERE account_id = ? AND object IN ('event', 'payment_method')").bind(accountId).all<{ data: string }>();
    expect(results.length).toBeGreaterThan(0);
    expect(findCardData(results.map((r) => r.data).join('\n'))).toEqual([]);
    expect(findCardData('4000056655665556 "cvc": 1')).toHaveLength(2); // the scanner itself finds both
  });
});
