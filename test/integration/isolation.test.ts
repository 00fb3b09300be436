import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { stripeClient } from '../support/stripe-client';

async function twoAccounts() {
  const a = await mintTestKey(newAccountId());
  const b = await mintTestKey(newAccountId());
  const created = await json(await api('POST', '/v1/customers', { key: a, body: { name: 'Alice', email: 'alice@example.com' } }));
  return { a, b, customerId: created.id as string };
}

async function expectMissingId(res: Response, id: string): Promise<void> {
  expect(res.status).toBe(404);
  const body = await json(res);
  expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param: 'id' });
  expect(body.error.message).toBe(`No such customer: '${id}'`);
}

describe('tenant isolation (BOLA)', () => {
  it('answers 404 resource_missing to another account on GET, POST and DELETE, changing nothing', async () => {
    const { a, b, customerId } = await twoAccounts();
    await expectMissingId(await api('GET', `/v1/customers/${customerId}`, { key: b }), customerId);
    await expectMissingId(await api('POST', `/v1/customers/${customerId}`, { key: b, body: { name: 'Mallory' } }), customerId);
    await expectMissingId(await api('DELETE', `/v1/customers/${customerId}`, { key: b }), customerId);
    const own = await json(await api('GET', `/v1/customers/${customerId}`, { key: a }));
    expect(own).toMatchObject({ id: customerId, name: 'Alice' });
    expect(own.deleted).toBeUndefined();
  });

  it('refuses another account’s id as a list cursor with 400 resource_missing', async () => {
    const { b, customerId } = await twoAccounts();
    for (const param of ['starting_after', 'ending_before']) {
      const res = await api('GET', `/v1/customers?${param}=${customerId}`, { key: b });
      expect(res.status).toBe(400);
      expect((await json(res)).error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', param });
    }
  });

  it('never lists another account’s customers or events', async () => {
    const { a, b, customerId } = await twoAccounts();
    const own = await json(await api('POST', '/v1/customers', { key: b, body: { name: 'Bob', email: 'alice@example.com' } }));
    const stripeB = stripeClient(b);
    const ids: string[] = [];
    for await (const customer of stripeB.customers.list({ limit: 100 })) ids.push(customer.id);
    expect(ids).toEqual([own.id]);
    const byEmail = await stripeB.customers.list({ email: 'alice@example.com' });
    expect(byEmail.data.map((c) => c.id)).toEqual([own.id]);
    const events = await stripeB.events.list({ limit: 100 });
    expect(events.data.length).toBeGreaterThan(0);
    for (const event of events.data) expect(JSON.stringify(event)).not.toContain(customerId);
    const eventsA = await stripeClient(a).events.list({ limit: 100 });
    const eventOfA = eventsA.data.find((e) => (e.data.object as { id?: string }).id === customerId);
    expect(eventOfA).toBeDefined();
    const res = await api('GET', `/v1/events/${eventOfA!.id}`, { key: b });
    expect(res.status).toBe(404);
  });

  it('keeps live and test mode of the same account apart', async () => {
    const acct = newAccountId();
    const test = await mintTestKey(acct);
    const live = await mintTestKey(acct, { livemode: true });
    expect(live.startsWith('sk_live_')).toBe(true);
    const customer = await json(await api('POST', '/v1/customers', { key: test, body: { name: 'Test only' } }));
    await expectMissingId(await api('GET', `/v1/customers/${customer.id}`, { key: live }), customer.id);
    expect((await json(await api('GET', '/v1/customers', { key: live }))).data).toEqual([]);
    const liveCustomer = await json(await api('POST', '/v1/customers', { key: live, body: { name: 'Live' } }));
    expect(liveCustomer.livemode).toBe(true);
    await expectMissingId(await api('GET', `/v1/customers/${liveCustomer.id}`, { key: test }), liveCustomer.id);
  });

  it('refuses Stripe-Account and Stripe-Context with 403 account_invalid', async () => {
    const { a, customerId } = await twoAccounts();
    for (const header of ['Stripe-Account', 'Stripe-Context']) {
      const res = await api('GET', `/v1/customers/${customerId}`, { key: a, headers: { [header]: newAccountId() } });
      expect(res.status).toBe(403);
      expect((await json(res)).error).toMatchObject({ type: 'invalid_request_error', code: 'account_invalid' });
    }
    const error = await stripeClient(a)
      .customers.retrieve(customerId, {}, { stripeAccount: newAccountId() })
      .then(() => null, (e: any) => e);
    expect(error?.type).toBe('StripePermissionError');
  });

  it('refuses an account parameter in the body (the account comes only from the key)', async () => {
    const { b } = await twoAccounts();
    const res = await api('POST', '/v1/customers', { key: b, body: { name: 'x', account: newAccountId() } });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: 'parameter_unknown', param: 'account' });
  });
});
