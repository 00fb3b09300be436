/**
 * D1 read model: the accounts registry and a copy of every object, fed from the account DOs'
 * outboxes. Every statement is an idempotent upsert guarded by the object's version, so an
 * at-least-once drain (retries, duplicates, reordering) converges to the DO's state.
 */
export interface ProjectionRow {
  readonly object: string;
  readonly id: string;
  readonly version: number;
  readonly created: number;
  readonly customer: string | null;
  readonly status: string | null;
  readonly deleted: boolean;
  readonly data: unknown;
}

/** Objects the account deleted for good (events past retention): their D1 copies go too. */
export interface RecordPurge {
  readonly object: string;
  readonly ids: readonly string[];
}

export const PURGE_OUTBOX_KIND = 'purge';

/** Idempotent: deleting rows already gone changes nothing. One statement, ids bound as one JSON array. */
export function purgeRecordsStatement(db: D1Database, accountId: string, livemode: boolean, purge: RecordPurge): D1PreparedStatement {
  return db
    .prepare('DELETE FROM records WHERE account_id = ? AND livemode = ? AND object = ? AND id IN (SELECT value FROM json_each(?))')
    .bind(accountId, livemode ? 1 : 0, purge.object, JSON.stringify(purge.ids));
}

export interface AccountRegistration {
  readonly accountId: string;
  readonly livemode: boolean;
  readonly createdSeconds: number;
}

export function upsertAccountStatement(db: D1Database, account: AccountRegistration): D1PreparedStatement {
  return db
    .prepare('INSERT INTO accounts (account_id, livemode, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
    .bind(account.accountId, account.livemode ? 1 : 0, account.createdSeconds);
}

export function upsertRecordStatement(db: D1Database, accountId: string, livemode: boolean, row: ProjectionRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO records (account_id, livemode, object, id, version, created, customer, status, deleted, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, livemode, id) DO UPDATE SET
         version = excluded.version, customer = excluded.customer, status = excluded.status,
         deleted = excluded.deleted, data = excluded.data
       WHERE excluded.version > records.version`,
    )
    .bind(
      accountId,
      livemode ? 1 : 0,
      row.object,
      row.id,
      row.version,
      row.created,
      row.customer,
      row.status,
      row.deleted ? 1 : 0,
      JSON.stringify(row.data),
    );
}

export interface RecordRow {
  account_id: string;
  livemode: number;
  object: string;
  id: string;
  version: number;
  created: number;
  deleted: number;
  data: string;
}

export async function readRecord(db: D1Database, accountId: string, livemode: boolean, id: string): Promise<RecordRow | null> {
  return db
    .prepare('SELECT * FROM records WHERE account_id = ? AND livemode = ? AND id = ?')
    .bind(accountId, livemode ? 1 : 0, id)
    .first<RecordRow>();
}
