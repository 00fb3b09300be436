import { abortAllDurableObjects, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ensureSchema, MIGRATIONS, readSchemaVersion, SCHEMA_VERSION, type Migration } from '../../durable-objects/schema';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';

const EXTRA: Migration = {
  version: SCHEMA_VERSION + 1,
  description: 'test only: a tier column with a backfill',
  statements: ['ALTER TABLE objects ADD COLUMN tier TEXT', "UPDATE objects SET tier = 'basic'"],
};

const stubFor = (name: string) => env.MERCHANT_ACCOUNT.getByName(name);

/** Drops every application table, leaving the storage as a never-migrated (v0) database. */
function resetToV0(sql: SqlStorage): void {
  const tables = sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
    .toArray();
  for (const { name } of tables) sql.exec(`DROP TABLE "${name}"`);
}

function tableNames(sql: SqlStorage): string[] {
  return sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").toArray().map((r) => r.name);
}

describe('durable object schema migrations', () => {
  it('brings a new account object to the current version in its constructor', async () => {
    const version = await runInDurableObject(stubFor(`${newAccountId()}:test`), (_i, state) => readSchemaVersion(state.storage.sql));
    expect(version).toBe(SCHEMA_VERSION);
  });

  it('upgrades v0 → v1 → current → +1 keeping data, and a re-run is a no-op', async () => {
    await runInDurableObject(stubFor('acct_schema_upgrade:test'), (_i, state) => {
      const sql = state.storage.sql;
      resetToV0(sql);
      expect(readSchemaVersion(sql)).toBe(0);
      expect(ensureSchema(state.storage, MIGRATIONS.slice(0, 1))).toBe(1);
      sql.exec(
        `INSERT INTO objects (id, type, seq, created, version, email, data) VALUES ('cus_old', 'customer', 1, 100, 3, 'o@example.com', '{"id":"cus_old"}')`,
      );
      sql.exec(`INSERT INTO outbox (kind, payload, created) VALUES ('record', '{"id":"cus_old"}', 100)`);
      expect(ensureSchema(state.storage, MIGRATIONS)).toBe(SCHEMA_VERSION);
      expect(ensureSchema(state.storage, [...MIGRATIONS, EXTRA])).toBe(EXTRA.version);
      expect(readSchemaVersion(sql)).toBe(EXTRA.version);
      const row = sql.exec('SELECT id, version, email, data, tier FROM objects').toArray();
      expect(row).toEqual([{ id: 'cus_old', version: 3, email: 'o@example.com', data: '{"id":"cus_old"}', tier: 'basic' }]);
      expect(sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').one().n).toBe(1);
      // Re-running would fail loudly ("duplicate column") if any migration were applied twice.
      expect(ensureSchema(state.storage, [...MIGRATIONS, EXTRA])).toBe(EXTRA.version);
      expect(ensureSchema(state.storage, MIGRATIONS)).toBe(EXTRA.version);
      expect(sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM objects').one().n).toBe(1);
    });
  });

  it('rolls a failing migration back entirely, leaving the version unchanged', async () => {
    await runInDurableObject(stubFor('acct_schema_failure:test'), (_i, state) => {
      const broken: Migration = {
        version: SCHEMA_VERSION + 1,
        description: 'test only: fails half way',
        statements: ['CREATE TABLE half_done (x TEXT)', 'ALTER TABLE objects ADD COLUMN half TEXT', 'NOT VALID SQL'],
      };
      expect(() => ensureSchema(state.storage, [...MIGRATIONS, broken])).toThrow();
      expect(readSchemaVersion(state.storage.sql)).toBe(SCHEMA_VERSION);
      expect(tableNames(state.storage.sql)).not.toContain('half_done');
      const columns = state.storage.sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('objects')").toArray();
      expect(columns.map((c) => c.name)).not.toContain('half');
    });
  });

  it('refuses a migration list that is not strictly increasing instead of skipping a step', async () => {
    await runInDurableObject(stubFor('acct_schema_order:test'), (_i, state) => {
      const a: Migration = { version: SCHEMA_VERSION + 2, description: 'later', statements: ['CREATE TABLE later_t (x TEXT)'] };
      const b: Migration = { version: SCHEMA_VERSION + 1, description: 'earlier', statements: ['CREATE TABLE earlier_t (x TEXT)'] };
      expect(() => ensureSchema(state.storage, [...MIGRATIONS, a, b])).toThrow(/increasing/);
      expect(() => ensureSchema(state.storage, [...MIGRATIONS, b, { ...b, description: 'duplicate' }])).toThrow(/increasing/);
      expect(readSchemaVersion(state.storage.sql)).toBe(SCHEMA_VERSION);
      expect(tableNames(state.storage.sql)).not.toContain('later_t');
    });
  });
});

describe('durable object eviction', () => {
  it('serves the same state after every object is aborted (nothing correctness-critical in memory)', async () => {
    const acct = newAccountId();
    const key = await mintTestKey(acct);
    const customer = await json(await api('POST', '/v1/customers', { key, body: { name: 'Survivor' } }));
    const headers = { 'Idempotency-Key': 'evict-replay' };
    const first = await json(await api('POST', '/v1/customers', { key, headers, body: { name: 'Once' } }));
    await abortAllDurableObjects();
    expect(await json(await api('GET', `/v1/customers/${customer.id}`, { key }))).toEqual(customer);
    const replay = await api('POST', '/v1/customers', { key, headers, body: { name: 'Once' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(replay)).toEqual(first);
    const list = await json(await api('GET', '/v1/customers', { key }));
    expect(list.data.map((c: { id: string }) => c.id)).toEqual([first.id, customer.id]);
    const version = await runInDurableObject(stubFor(`${acct}:test`), (_i, state) => readSchemaVersion(state.storage.sql));
    expect(version).toBe(SCHEMA_VERSION);
  });

  it('still drains the outbox when the object is aborted right after a write (the alarm lives in storage)', async () => {
    const acct = newAccountId();
    const key = await mintTestKey(acct);
    const customer = await json(await api('POST', '/v1/customers', { key, body: { name: 'Projected' } }));
    await abortAllDurableObjects();
    const deadline = Date.now() + 3_000;
    let row: { data: string } | null = null;
    while (row === null && Date.now() < deadline) {
      row = await env.DB.prepare('SELECT data FROM records WHERE account_id = ? AND id = ?').bind(acct, customer.id).first();
      if (row === null) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(row && JSON.parse(row.data)).toEqual(customer);
  });
});
