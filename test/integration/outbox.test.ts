import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { OUTBOX_DRAIN_ROWS_PER_ALARM_MAX } from '../../src/domain/limits';
import { countOutbox } from '../../durable-objects/store';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';

interface D1Record {
  account_id: string;
  livemode: number;
  object: string;
  id: string;
  version: number;
  deleted: number;
  data: string;
}

const stubFor = (accountId: string) => env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`);

async function records(accountId: string): Promise<D1Record[]> {
  const { results } = await env.DB.prepare('SELECT * FROM records WHERE account_id = ? ORDER BY id').bind(accountId).all<D1Record>();
  return results;
}

async function record(accountId: string, id: string): Promise<D1Record | null> {
  return env.DB.prepare('SELECT * FROM records WHERE account_id = ? AND livemode = 0 AND id = ?').bind(accountId, id).first<D1Record>();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DRAIN_WAIT_MS = 3_000;

/** Waits (bounded) until the outbox is empty; `force` also runs any armed alarm at once. */
async function drain(accountId: string, force = true): Promise<void> {
  const stub = stubFor(accountId);
  const deadline = Date.now() + DRAIN_WAIT_MS;
  for (;;) {
    if (force) await runDurableObjectAlarm(stub); // an alarm already firing is awaited by the poll
    const size = await stub.outboxSizeForTest();
    if (size === 0) return;
    if (Date.now() > deadline) expect.fail(`outbox still holds ${size} rows after ${DRAIN_WAIT_MS} ms`);
    await sleep(20);
  }
}

/** Makes every D1 write to `records` fail for real while `body` runs, then restores the table. */
async function withRecordsTableGone<T>(body: () => Promise<T>): Promise<T> {
  await env.DB.exec('ALTER TABLE records RENAME TO records_off');
  try {
    return await body();
  } finally {
    await env.DB.exec('ALTER TABLE records_off RENAME TO records');
  }
}

async function newAccount() {
  const accountId = newAccountId();
  return { accountId, key: await mintTestKey(accountId) };
}

describe('outbox drain to D1', () => {
  it('projects every created customer and its events, and registers the account', async () => {
    const { accountId, key } = await newAccount();
    const created = [];
    for (const name of ['Ann', 'Ben', 'Cy']) created.push(await json(await api('POST', '/v1/customers', { key, body: { name } })));
    await drain(accountId);
    for (const customer of created) {
      const row = await record(accountId, customer.id);
      expect(row).toMatchObject({ object: 'customer', version: 1, deleted: 0, livemode: 0 });
      expect(JSON.parse(row!.data)).toEqual(customer);
    }
    const events = (await records(accountId)).filter((r) => r.object === 'event');
    expect(events.map((e) => JSON.parse(e.data).type)).toEqual(['customer.created', 'customer.created', 'customer.created']);
    const account = await env.DB.prepare('SELECT * FROM accounts WHERE account_id = ?').bind(accountId).all();
    expect(account.results).toEqual([expect.objectContaining({ account_id: accountId, livemode: 0 })]);
  });

  it('bumps the version on every update and marks deletes', async () => {
    const { accountId, key } = await newAccount();
    const customer = await json(await api('POST', '/v1/customers', { key, body: { name: 'v1' } }));
    await api('POST', `/v1/customers/${customer.id}`, { key, body: { name: 'v2' } });
    const third = await json(await api('POST', `/v1/customers/${customer.id}`, { key, body: { name: 'v3', 'metadata[k]': 'v' } }));
    await drain(accountId);
    const row = await record(accountId, customer.id);
    expect(row?.version).toBe(3);
    expect(JSON.parse(row!.data)).toEqual(third);
    await api('DELETE', `/v1/customers/${customer.id}`, { key });
    await drain(accountId);
    expect(await record(accountId, customer.id)).toMatchObject({ version: 4, deleted: 1 });
  });

  it('changes nothing when a batch is delivered again, stale rows included', async () => {
    const { accountId, key } = await newAccount();
    const customer = await json(await api('POST', '/v1/customers', { key, body: { name: 'first' } }));
    await drain(accountId);
    const captured = await withRecordsTableGone(async () => {
      await api('POST', `/v1/customers/${customer.id}`, { key, body: { name: 'second' } });
      await runDurableObjectAlarm(stubFor(accountId));
      return runInDurableObject(stubFor(accountId), (_instance, state) =>
        state.storage.sql.exec<{ kind: string; payload: string }>('SELECT kind, payload FROM outbox ORDER BY seq').toArray(),
      );
    });
    expect(captured.length).toBeGreaterThanOrEqual(2);
    await drain(accountId);
    const converged = await records(accountId);
    expect(JSON.parse(converged.find((r) => r.id === customer.id)!.data).name).toBe('second');
    const replay = [...captured, ...captured.slice().reverse()];
    await runInDurableObject(stubFor(accountId), (_instance, state) => {
      for (const row of replay) state.storage.sql.exec('INSERT INTO outbox (kind, payload, created) VALUES (?, ?, 0)', row.kind, row.payload);
      // A stale version-1 projection arriving late must not roll the row back.
      const stale = JSON.parse(replay.find((r) => r.kind === 'record' && r.payload.includes(customer.id))!.payload);
      const old = { ...stale, version: 1, data: { ...stale.data, name: 'first' } };
      state.storage.sql.exec('INSERT INTO outbox (kind, payload, created) VALUES (?, ?, 0)', 'record', JSON.stringify(old));
      return state.storage.setAlarm(Date.now() + 60_000);
    });
    await drain(accountId);
    expect(await records(accountId)).toEqual(converged);
  });

  it('drains new writes promptly after an alarm scheduled idempotency-key pruning a day ahead', async () => {
    const { accountId, key } = await newAccount();
    await api('POST', '/v1/customers', { key, body: { name: 'keyed' }, headers: { 'Idempotency-Key': 'prune-later' } });
    await drain(accountId, false);
    const second = await json(await api('POST', '/v1/customers', { key, body: { name: 'next' } }));
    await drain(accountId, false);
    expect(await record(accountId, second.id)).toMatchObject({ version: 1 });
  });

  // Found by the reconciliation bench: scheduled work run by the alarm itself (funds becoming
  // available, payout and billing transitions) writes outbox rows after the drain, and a far-off
  // alarm armed in the same run (event pruning, 30 days out) used to strand them until the next
  // request to the account — for a quiet account, for weeks.
  it('drains rows written by the alarm’s own scheduled work without waiting for another request', async () => {
    const { accountId, key } = await newAccount();
    const stub = stubFor(accountId);
    const paid = await json(await api('POST', '/v1/payment_intents', {
      key,
      body: { amount: '2000', currency: 'usd', payment_method: 'pm_card_visa', confirm: 'true', 'payment_method_types[]': 'card' },
    }));
    expect(paid.status).toBe('succeeded');
    const { balance_transaction: txnId } = await json(await api('GET', `/v1/charges/${paid.latest_charge}`, { key }));
    await stub.setClockOffsetForTest(36 * 3600); // keys past their 24 h, funds not yet due
    await drain(accountId);
    for (let i = 0; i < 5; i++) await runDurableObjectAlarm(stub); // pruning done: it arms nothing now
    await stub.setClockOffsetForTest(3 * 86_400);
    // The run that makes the funds available (new outbox rows), and the alarm it leaves armed,
    // read before that alarm can fire.
    const afterRun = await runInDurableObject(stub, async (instance, state) => {
      await instance.alarm();
      return { left: countOutbox(state.storage.sql), alarm: await state.storage.getAlarm() };
    });
    expect(afterRun.left).toBeGreaterThan(0);
    expect(afterRun.alarm).not.toBeNull();
    expect(afterRun.alarm! - Date.now()).toBeLessThan(1_000);
    await drain(accountId, false);
    expect(JSON.parse((await record(accountId, txnId))!.data)).toMatchObject({ id: txnId, status: 'available' });
  });

  it('drains a large backlog in bounded alarm runs, re-arming until it is gone', async () => {
    const { accountId, key } = await newAccount();
    const stub = stubFor(accountId);
    await api('POST', '/v1/customers', { key, body: { name: 'registers the account' } });
    await drain(accountId);
    const backlog = 2 * OUTBOX_DRAIN_ROWS_PER_ALARM_MAX + 50;
    await runInDurableObject(stubFor(accountId), (_instance, state) => {
      for (let i = 0; i < backlog; i++) {
        const row = { object: 'customer', id: `cus_backlog${i}`, version: 1, created: 1, customer: null, status: null, deleted: false, data: { id: `cus_backlog${i}` } };
        state.storage.sql.exec('INSERT INTO outbox (kind, payload, created) VALUES (?, ?, 0)', 'record', JSON.stringify(row));
      }
      return state.storage.setAlarm(Date.now() + 60_000);
    });
    // One alarm run, and what it left, read before the next (re-armed in 20 ms) can start.
    const afterOneRun = await runInDurableObject(stub, async (instance, state) => {
      await instance.alarm();
      return { left: countOutbox(state.storage.sql), alarm: await state.storage.getAlarm() };
    });
    expect(afterOneRun.left).toBe(backlog - OUTBOX_DRAIN_ROWS_PER_ALARM_MAX);
    expect(afterOneRun.alarm! - Date.now()).toBeLessThan(1_000);
    await drain(accountId, false);
    const { n } = (await env.DB.prepare("SELECT COUNT(*) AS n FROM records WHERE account_id = ? AND id LIKE 'cus_backlog%'").bind(accountId).first<{ n: number }>())!;
    expect(n).toBe(backlog);
  });

  it('keeps rows in the outbox while D1 fails, and converges once D1 is back', async () => {
    const { accountId, key } = await newAccount();
    const stub = stubFor(accountId);
    const customer = await withRecordsTableGone(async () => {
      const created = await json(await api('POST', '/v1/customers', { key, body: { name: 'Durable' } }));
      await runDurableObjectAlarm(stub);
      await runDurableObjectAlarm(stub);
      expect(await stub.outboxSizeForTest()).toBeGreaterThanOrEqual(3); // account + customer + event
      const attempts = await runInDurableObject(stub, (_i, state) =>
        state.storage.sql.exec<{ n: number }>('SELECT MIN(attempts) AS n FROM outbox').one().n,
      );
      expect(attempts).toBeGreaterThanOrEqual(1);
      const off = await env.DB.prepare('SELECT COUNT(*) AS n FROM records_off WHERE account_id = ?').bind(accountId).first<{ n: number }>();
      expect(off?.n).toBe(0);
      return created;
    });
    await drain(accountId);
    expect(JSON.parse((await record(accountId, customer.id))!.data)).toEqual(customer);
    expect((await env.DB.prepare('SELECT 1 FROM accounts WHERE account_id = ?').bind(accountId).all()).results).toHaveLength(1);
  });
});
