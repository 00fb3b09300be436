/**
 * One poison outbox row (a payload its destination refuses) must not stop an account's D1 sync,
 * while a D1 outage, where every row fails, must quarantine nothing.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { OUTBOX_ISOLATE_AFTER_ATTEMPTS } from '../../src/domain/limits';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';

async function account() {
  const accountId = newAccountId();
  return { accountId, key: await mintTestKey(accountId), stub: env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`) };
}

async function inD1(accountId: string, id: string): Promise<boolean> {
  return (await env.DB.prepare('SELECT 1 FROM records WHERE account_id = ? AND id = ?').bind(accountId, id).first()) !== null;
}

type AccountStub = ReturnType<typeof env.MERCHANT_ACCOUNT.getByName>;

function outboxKinds(stub: AccountStub): Promise<string[]> {
  return runInDurableObject(stub, (_i, state) => state.storage.sql.exec<{ kind: string }>('SELECT kind FROM outbox ORDER BY seq').toArray().map((r) => r.kind));
}

async function drainTimes(stub: AccountStub, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await runDurableObjectAlarm(stub);
}

describe('outbox drain', () => {
  it('quarantines a poison row that fails alone while its neighbours reach D1', async () => {
    const { accountId, key, stub } = await account();
    await api('POST', '/v1/customers', { key });
    await drainTimes(stub, 1);
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec("INSERT INTO outbox (kind, payload, created) VALUES ('record', ?, 0)", JSON.stringify({ object: 'customer', id: 'cus_poison' }));
    });
    const customer = await json(await api('POST', '/v1/customers', { key, body: { email: 'after@example.com' } }));
    await drainTimes(stub, OUTBOX_ISOLATE_AFTER_ATTEMPTS + 2);
    expect(await inD1(accountId, customer.id)).toBe(true);
    expect(await outboxKinds(stub)).toEqual(['quarantined:record']);
    expect(await stub.outboxSizeForTest()).toBe(0);
  });

  it('quarantines nothing while D1 is down, and converges once it is back', async () => {
    const { accountId, key, stub } = await account();
    await api('POST', '/v1/customers', { key });
    await drainTimes(stub, 1);
    await env.DB.prepare('ALTER TABLE records RENAME TO records_down').run();
    let created: { id: string };
    try {
      created = await json(await api('POST', '/v1/customers', { key, body: { email: 'outage@example.com' } }));
      await api('POST', '/v1/customers', { key, body: { email: 'outage2@example.com' } });
      await drainTimes(stub, OUTBOX_ISOLATE_AFTER_ATTEMPTS + 3);
      const kinds = await outboxKinds(stub);
      expect(kinds.length).toBeGreaterThan(0);
      expect(kinds.filter((k) => k.startsWith('quarantined:'))).toEqual([]);
    } finally {
      await env.DB.prepare('ALTER TABLE records_down RENAME TO records').run();
    }
    await drainTimes(stub, 2);
    expect(await inD1(accountId, created.id)).toBe(true);
    expect(await stub.outboxSizeForTest()).toBe(0);
  });
});
