/**
 * A refused request leaves no partial state: whatever a handler wrote before deciding to refuse is
 * undone (execution.ts `undoOnError`), while phased `prepare` effects (an invoice finalized before a
 * refused payment attempt) stay.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';

function countObjects(accountId: string, type: string): Promise<number> {
  return runInDurableObject(env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`), (_i, state) =>
    state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM objects WHERE type = ?', type).one().n,
  );
}

describe('refused requests', () => {
  it('undo what the handler wrote before refusing (a magic id materialised, then an unknown customer)', async () => {
    const accountId = newAccountId();
    const key = await mintTestKey(accountId);
    await api('POST', '/v1/customers', { key });
    const res = await api('POST', '/v1/payment_methods/pm_card_visa/attach', { key, body: { customer: 'cus_missing' } });
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: 'resource_missing', param: 'customer' });
    expect(await countObjects(accountId, 'payment_method')).toBe(0);
  });

  it('keep prepare effects: a draft invoice is finalized before a refused payment attempt', async () => {
    const key = await mintTestKey(newAccountId());
    const customer = await json(await api('POST', '/v1/customers', { key }));
    const invoice = await json(await api('POST', '/v1/invoices', { key, body: { customer: customer.id } }));
    await api('POST', '/v1/invoiceitems', { key, body: { customer: customer.id, invoice: invoice.id, amount: '1000', currency: 'usd' } });
    const pay = await api('POST', `/v1/invoices/${invoice.id}/pay`, { key });
    expect(pay.status).toBe(400);
    expect((await json(await api('GET', `/v1/invoices/${invoice.id}`, { key }))).status).toBe('open');
  });
});
