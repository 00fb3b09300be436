/**
 * Search (`/v1/customers|payment_intents|charges/search`) through the official client, over the
 * D1 copies: like Stripe's, eventually consistent, so each test lets the account's outbox drain
 * first. Query language edge cases are unit-tested (test/unit/domain/search).
 */
import { env } from 'cloudflare:workers';
import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_SEARCH, PAYMENT_INTENT_SEARCH } from '../../src/domain/search/catalogs';
import { parseSearchQuery, type SearchCatalog } from '../../src/domain/search/query';
import { searchStatement } from '../../src/platform/search-store';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { drainOutbox } from '../support/outbox';
import { stripeClient } from '../support/stripe-client';

const noRedirects = { enabled: true, allow_redirects: 'never' as const };

async function account() {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  return { accountId, key, stripe: stripeClient(key) };
}

/** Everything the account acknowledged is in D1 (search reads the D1 copies). */
const drained = (accountId: string) => drainOutbox(env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`));

const sorted = (ids: string[]) => [...ids].sort();

describe('customer search', () => {
  it('matches email exactly (any case), name by substring, metadata, null, negation, OR; never a deleted customer', async () => {
    const { accountId, stripe } = await account();
    const amy = await stripe.customers.create({ email: 'Amy@Example.com', name: 'Amy Pond', metadata: { tier: 'gold' } });
    const rory = await stripe.customers.create({ email: 'rory@example.com', name: 'Rory Williams', metadata: { tier: 'silver' } });
    const clara = await stripe.customers.create({ name: 'Clara Oswald' });
    const gone = await stripe.customers.create({ email: 'gone@example.com', name: 'Gone Williams' });
    await stripe.customers.del(gone.id);
    await drained(accountId);
    const ids = async (query: string) => sorted((await stripe.customers.search({ query })).data.map((c) => c.id));
    expect(await ids('email:"amy@example.com"')).toEqual([amy.id]);
    expect(await ids('name~"william"')).toEqual([rory.id]);
    expect(await ids('metadata["tier"]:"gold"')).toEqual([amy.id]);
    expect(await ids('-metadata["tier"]:"gold"')).toEqual(sorted([rory.id, clara.id]));
    expect(await ids('email:null')).toEqual([clara.id]);
    expect(await ids('email:"amy@example.com" OR name:"clara oswald"')).toEqual(sorted([amy.id, clara.id]));
    expect(await ids('email:"gone@example.com"')).toEqual([]);
    const result = await stripe.customers.search({ query: 'name~"amy"' });
    expect(result).toMatchObject({ object: 'search_result', url: '/v1/customers/search', has_more: false, next_page: null });
    expect(result.data[0]).toEqual(await stripe.customers.retrieve(amy.id));
  });

  it('pages newest first with next_page, which the official client follows, each match once', async () => {
    const { accountId, stripe } = await account();
    const created: string[] = [];
    for (let i = 0; i < 25; i++) created.push((await stripe.customers.create({ name: `Batch ${i}`, metadata: { batch: 'b1' } })).id);
    await stripe.customers.create({ name: 'Other', metadata: { batch: 'b2' } });
    await drained(accountId);
    const first = await stripe.customers.search({ query: 'metadata["batch"]:"b1"', limit: 10 });
    expect(first.data).toHaveLength(10);
    expect(first.has_more).toBe(true);
    expect(first.next_page).toMatch(/^page_/);
    const all = await stripe.customers.search({ query: 'metadata["batch"]:"b1"', limit: 10 }).autoPagingToArray({ limit: 100 });
    // Every match exactly once across the pages, newest first (same-second ties in a fixed order).
    expect(sorted(all.map((c) => c.id))).toEqual(sorted(created));
    expect(all.map((c) => c.created)).toEqual([...all.map((c) => c.created)].sort((a, b) => b - a));
    expect(all.slice(0, 10).map((c) => c.id)).toEqual(first.data.map((c) => c.id));
  });
});

describe('payment intent and charge search', () => {
  it('filters intents by amount range, status, currency and customer, and charges by card, refund and intent', async () => {
    const { accountId, stripe } = await account();
    const customer = await stripe.customers.create({ name: 'Payer' });
    const pay = (amount: number, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
      stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: noRedirects, ...extra });
    const small = await pay(500);
    const large = await pay(5000, { customer: customer.id, metadata: { order: 'A-1' } });
    const euro = await pay(2000, { currency: 'eur' });
    const unpaid = await stripe.paymentIntents.create({ amount: 3000, currency: 'usd', automatic_payment_methods: noRedirects });
    const mastercard = await pay(700, { payment_method: 'pm_card_mastercard' });
    await stripe.refunds.create({ payment_intent: small.id });
    await drained(accountId);
    const intents = async (query: string) => sorted((await stripe.paymentIntents.search({ query })).data.map((p) => p.id));
    expect(await intents('amount>=2000 amount<5000')).toEqual(sorted([euro.id, unpaid.id]));
    expect(await intents('status:"requires_payment_method"')).toEqual([unpaid.id]);
    expect(await intents('currency:"eur"')).toEqual([euro.id]);
    expect(await intents(`customer:"${customer.id}"`)).toEqual([large.id]);
    expect(await intents('metadata["order"]:"A-1"')).toEqual([large.id]);
    expect(await intents('-currency:"usd"')).toEqual([euro.id]);
    const charges = async (query: string) => sorted((await stripe.charges.search({ query })).data.map((ch) => ch.payment_intent as string));
    expect(await charges('refunded:true')).toEqual([small.id]);
    expect(await charges('payment_method_details.card.brand:"mastercard"')).toEqual([mastercard.id]);
    expect(await charges('payment_method_details.card.last4:"4242" amount>1000')).toEqual(sorted([large.id, euro.id]));
    expect(await charges(`payment_intent:"${large.id}"`)).toEqual([large.id]);
  });
});

describe('search refusals and scope', () => {
  it('answers a bad query, page or limit with a 400 naming the parameter, through the client too', async () => {
    const { key, stripe } = await account();
    for (const [query, param] of [
      ['query=name~%22ab%22', 'query'],
      ['query=foo:%22x%22', 'query'],
      ['query=name:%22x%22&page=nope', 'page'],
      ['query=name:%22x%22&limit=101', 'limit'],
      ['limit=5', 'query'],
      ['query=name:%22x%22&expand[]=data.default_source', 'expand'],
    ]) {
      const res = await api('GET', `/v1/customers/search?${query}`, { key });
      expect([query, res.status]).toEqual([query, 400]);
      expect((await json(res)).error).toMatchObject({ type: 'invalid_request_error', param });
    }
    const thrown = await stripe.customers.search({ query: 'email:amy' }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ type: 'StripeInvalidRequestError', param: 'query', message: 'The search value amy must be quoted, e.g. "amy".' });
  });

  it('finds only the caller’s objects, in the caller’s mode, and needs <resource>:read', async () => {
    const mine = await account();
    const theirs = await account();
    await theirs.stripe.customers.create({ email: 'shared@example.com' });
    const own = await mine.stripe.customers.create({ email: 'shared@example.com' });
    await drained(theirs.accountId);
    await drained(mine.accountId);
    expect((await mine.stripe.customers.search({ query: 'email:"shared@example.com"' })).data.map((c) => c.id)).toEqual([own.id]);
    const live = stripeClient(await mintTestKey(mine.accountId, { livemode: true }));
    expect((await live.customers.search({ query: 'email:"shared@example.com"' })).data).toEqual([]);
    const chargesOnly = await mintTestKey(mine.accountId, { kind: 'restricted', scopes: ['charges:read'] });
    expect((await api('GET', '/v1/customers/search?query=email:%22shared@example.com%22', { key: chargesOnly })).status).toBe(403);
    expect((await api('GET', '/v1/charges/search?query=amount>1', { key: chargesOnly })).status).toBe(200);
  });
});

describe('search plans', () => {
  const scope = { accountId: 'acct_plan', livemode: false };
  const plan = async (catalog: SearchCatalog, object: string, text: string) => {
    const query = parseSearchQuery(text, catalog);
    if (!query.ok) throw new Error('query refused');
    const { sql, binds } = searchStatement(scope, object, query.value, { limit: 10, after: null });
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...binds).all<{ detail: string }>();
    return results.map((r) => r.detail).join(' | ');
  };

  it('answers a customer email lookup from the email index, not a scan of the account', async () => {
    expect(await plan(CUSTOMER_SEARCH, 'customer', 'email:"amy@example.com"')).toMatch(/USING INDEX records_by_email/);
  });

  it('bounds other searches to the account’s objects of that type (no scan of the whole table)', async () => {
    for (const text of ['name~"amy"', 'metadata["k"]:"v"', '-email:null']) {
      expect(await plan(CUSTOMER_SEARCH, 'customer', text)).toMatch(/SEARCH records USING INDEX records_by_\w+ \(account_id=\? AND livemode=\? AND object=\?/);
    }
    expect(await plan(PAYMENT_INTENT_SEARCH, 'payment_intent', 'created>1700000000')).toMatch(/records_by_object \(account_id=\? AND livemode=\? AND object=\? AND created>\?\)/);
  });
});
