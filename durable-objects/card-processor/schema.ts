/**
 * The CardProcessor Durable Object's SQLite schema, versioned in code and append-only (never
 * edit a shipped migration), plus its settings table. No table has a column for a card number
 * or CVC: the processor only ever receives CardProfiles.
 */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE operations (
       reference TEXT PRIMARY KEY,
       kind TEXT NOT NULL,
       fingerprint TEXT NOT NULL,
       result TEXT NOT NULL,
       authorization_id TEXT,
       created INTEGER NOT NULL
     )`,
    `CREATE TABLE authorizations (
       id TEXT PRIMARY KEY,
       reference TEXT NOT NULL UNIQUE,
       amount INTEGER NOT NULL CHECK (amount > 0),
       currency TEXT NOT NULL,
       captured INTEGER NOT NULL DEFAULT 0,
       refunded INTEGER NOT NULL DEFAULT 0,
       voided INTEGER NOT NULL DEFAULT 0,
       status TEXT NOT NULL,
       refund_behaviour TEXT NOT NULL,
       created INTEGER NOT NULL,
       CHECK (captured >= 0 AND captured <= amount),
       CHECK (refunded >= 0 AND refunded <= captured)
     )`,
    `CREATE TABLE refunds (
       id TEXT PRIMARY KEY,
       reference TEXT NOT NULL UNIQUE,
       authorization_id TEXT NOT NULL REFERENCES authorizations (id),
       amount INTEGER NOT NULL CHECK (amount > 0),
       currency TEXT NOT NULL,
       status TEXT NOT NULL,
       failure_reason TEXT,
       transition_status TEXT,
       transition_at INTEGER,
       transition_failure_reason TEXT,
       created INTEGER NOT NULL
     )`,
    `CREATE INDEX refunds_by_transition ON refunds (transition_at) WHERE transition_at IS NOT NULL`,
    `CREATE TABLE settlement_lines (
       line_id TEXT PRIMARY KEY,
       reference TEXT NOT NULL,
       authorization_id TEXT NOT NULL,
       operation TEXT NOT NULL,
       amount INTEGER NOT NULL,
       currency TEXT NOT NULL,
       effective_at INTEGER NOT NULL,
       settled_at INTEGER NOT NULL
     )`,
    `CREATE INDEX settlement_lines_by_settled ON settlement_lines (settled_at, effective_at, line_id)`,
    `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  ],
  [
    // A processor fee on a settlement line. The simulator charges none (NULL); only test-only
    // settlement faults (card-processor/settlement-faults.ts) set one.
    `ALTER TABLE settlement_lines ADD COLUMN processor_fee INTEGER`,
    `CREATE INDEX settlement_lines_by_reference ON settlement_lines (reference)`,
  ],
];

/** Applies missing migrations, each in one transaction. Call under blockConcurrencyWhile. */
export function ensureProcessorSchema(storage: DurableObjectStorage): void {
  const sql = storage.sql;
  sql.exec('CREATE TABLE IF NOT EXISTS processor_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
  const version = sql.exec<{ version: number }>('SELECT version FROM processor_schema').toArray()[0]?.version ?? 0;
  MIGRATIONS.forEach((statements, index) => {
    if (index + 1 <= version) return;
    storage.transactionSync(() => {
      for (const statement of statements) sql.exec(statement);
      sql.exec('INSERT OR REPLACE INTO processor_schema (id, version) VALUES (1, ?)', index + 1);
    });
  });
}

// ── settings ──────────────────────────────────────────────────────────────────

export function readSetting(sql: SqlStorage, name: string): string | null {
  return sql.exec<{ value: string }>('SELECT value FROM settings WHERE name = ?', name).toArray()[0]?.value ?? null;
}

export function writeSetting(sql: SqlStorage, name: string, value: string | null): void {
  if (value === null) sql.exec('DELETE FROM settings WHERE name = ?', name);
  else sql.exec('INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)', name, value);
}
