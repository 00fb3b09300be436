/**
 * The account Durable Object's SQLite schema, versioned in code. `ensureSchema` runs in the
 * constructor under `blockConcurrencyWhile`: it reads the stored version and applies the
 * missing migrations in order, each inside one transaction, so no request ever sees a
 * half-migrated schema. Migrations are append-only: never edit a shipped one.
 */
import { assert } from '../src/domain/assert';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'objects, idempotency keys, outbox, revoked keys, settings',
    statements: [
      `CREATE TABLE objects (
         id TEXT PRIMARY KEY,
         type TEXT NOT NULL,
         seq INTEGER NOT NULL UNIQUE,
         created INTEGER NOT NULL,
         version INTEGER NOT NULL,
         customer TEXT,
         parent TEXT,
         status TEXT,
         email TEXT,
         deleted INTEGER NOT NULL DEFAULT 0,
         data TEXT NOT NULL
       )`,
      `CREATE INDEX objects_by_type ON objects (type, created DESC, seq DESC)`,
      `CREATE INDEX objects_by_customer ON objects (type, customer, created DESC, seq DESC)`,
      `CREATE INDEX objects_by_parent ON objects (type, parent, created DESC, seq DESC)`,
      `CREATE TABLE idempotency_keys (
         key TEXT PRIMARY KEY,
         fingerprint TEXT NOT NULL,
         endpoint TEXT NOT NULL,
         state TEXT NOT NULL,
         recovery_point TEXT NOT NULL,
         locked_at INTEGER,
         created INTEGER NOT NULL,
         request_id TEXT NOT NULL,
         response_status INTEGER,
         response_body TEXT
       )`,
      `CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created)`,
      `CREATE TABLE outbox (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         kind TEXT NOT NULL,
         payload TEXT NOT NULL,
         created INTEGER NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0
       )`,
      `CREATE TABLE revoked_keys (key_id TEXT PRIMARY KEY, revoked_at INTEGER NOT NULL)`,
      `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    ],
  },
  {
    version: 2,
    description: 'phased operations: saved phase state on in-progress idempotency keys',
    statements: [
      `ALTER TABLE idempotency_keys ADD COLUMN phase_state TEXT`,
      `CREATE INDEX idempotency_keys_in_progress ON idempotency_keys (state, locked_at)`,
    ],
  },
  {
    version: 3,
    description: 'double-entry ledger: append-only entries, cached balances, funds awaiting availability',
    statements: [
      `CREATE TABLE ledger_entries (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         journal_id TEXT NOT NULL,
         kind TEXT NOT NULL,
         account TEXT NOT NULL,
         currency TEXT NOT NULL,
         amount INTEGER NOT NULL,
         source TEXT NOT NULL,
         created INTEGER NOT NULL
       )`,
      `CREATE INDEX ledger_entries_by_journal ON ledger_entries (journal_id)`,
      `CREATE TABLE ledger_balances (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL)`,
      `CREATE TABLE pending_availability (
         balance_transaction TEXT PRIMARY KEY,
         available_on INTEGER NOT NULL
       )`,
      `CREATE INDEX pending_availability_due ON pending_availability (available_on)`,
    ],
  },
  {
    version: 4,
    description: 'due checks: objects whose status changes later (refunds, payouts), for the alarm',
    statements: [
      `CREATE TABLE due_checks (kind TEXT NOT NULL, object_id TEXT NOT NULL, due INTEGER NOT NULL, PRIMARY KEY (kind, object_id))`,
      `CREATE INDEX due_checks_by_due ON due_checks (due)`,
    ],
  },
  {
    version: 5,
    description: 'webhooks: endpoint secrets (rotation overlap), per-endpoint deliveries and their attempt log',
    statements: [
      // Secrets live here, never in the endpoint object (which is projected to D1 and listed).
      `CREATE TABLE webhook_secrets (
         endpoint_id TEXT NOT NULL,
         secret TEXT NOT NULL,
         created INTEGER NOT NULL,
         expires INTEGER,
         PRIMARY KEY (endpoint_id, secret)
       )`,
      // One row per (event, endpoint) that should receive it; state pending|delivered|failed|dead.
      `CREATE TABLE webhook_deliveries (
         event_id TEXT NOT NULL,
         endpoint_id TEXT NOT NULL,
         state TEXT NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0,
         created INTEGER NOT NULL,
         updated INTEGER NOT NULL,
         PRIMARY KEY (event_id, endpoint_id)
       )`,
      `CREATE INDEX webhook_deliveries_by_created ON webhook_deliveries (created)`,
      // Status code or error and duration only: response bodies are never stored.
      `CREATE TABLE webhook_attempts (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         event_id TEXT NOT NULL,
         endpoint_id TEXT NOT NULL,
         attempted_at INTEGER NOT NULL,
         attempt INTEGER NOT NULL,
         outcome TEXT NOT NULL,
         status_code INTEGER,
         error TEXT,
         duration_ms INTEGER,
         manual INTEGER NOT NULL DEFAULT 0
       )`,
      `CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (endpoint_id, seq DESC)`,
      `CREATE INDEX webhook_attempts_by_time ON webhook_attempts (attempted_at)`,
    ],
  },
  {
    version: 6,
    description: 'reconciliation: events emitted once per key, money objects paged by type and id',
    statements: [
      `CREATE TABLE reconciliation_events (key TEXT PRIMARY KEY, created INTEGER NOT NULL)`,
      `CREATE INDEX objects_by_type_id ON objects (type, id)`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function readSchemaVersion(sql: SqlStorage): number {
  sql.exec('CREATE TABLE IF NOT EXISTS schema_meta (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
  const row = sql.exec<{ version: number }>('SELECT version FROM schema_meta WHERE id = 1').toArray()[0];
  return row?.version ?? 0;
}

export function ensureSchema(storage: DurableObjectStorage, migrations: readonly Migration[] = MIGRATIONS): number {
  // Out of order or duplicated versions would silently skip a step: refuse them before touching storage.
  migrations.forEach((m, i) => assert(i === 0 || m.version > migrations[i - 1]!.version, 'migration versions are strictly increasing'));
  const sql = storage.sql;
  let version = readSchemaVersion(sql);
  for (const migration of migrations) {
    if (migration.version <= version) continue;
    storage.transactionSync(() => {
      for (const statement of migration.statements) sql.exec(statement);
      sql.exec(
        'INSERT INTO schema_meta (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
        migration.version,
      );
    });
    version = migration.version;
  }
  return version;
}
