/**
 * The D1 copy of the ledger and the reconciliation repairs of the D1 read model, as outbox kinds
 * the account DO drains in order (durable-objects/outbox.ts):
 *
 *  - `ledger`: new journal rows, insert-if-absent (entries are immutable);
 *  - `recon_ledger` / `recon_record`: a re-projection from the DO that OVERWRITES the copy (the
 *    copy drifted: the usual version guard would keep a corrupted row with a higher version);
 *  - `recon_purge_ledger` / `recon_purge_record`: deletes rows the DO does not have.
 *
 * Repairs go through the outbox, never straight to D1, so they are applied in order with the
 * account's own writes: a later version written by the DO always lands after the repair.
 * Also the paged reads of the copy that the internal check compares with the DO.
 */
import type { LedgerEntryRow, MoneyObjectRow, MoneyObjectType } from '../domain/reconciliation/internal';
import type { ProjectionRow } from './records';

export const LEDGER_OUTBOX_KIND = 'ledger';
export const RECON_OUTBOX_KINDS = ['recon_ledger', 'recon_record', 'recon_purge_ledger', 'recon_purge_record'] as const;

export interface LedgerOutboxPayload {
  readonly firstSeq: number;
  readonly rows: readonly LedgerEntryRow[];
}

interface Account {
  readonly accountId: string;
  readonly livemode: boolean;
}

function insertLedgerRow(db: D1Database, account: Account, row: LedgerEntryRow, overwrite: boolean): D1PreparedStatement {
  const conflict = overwrite
    ? `DO UPDATE SET journal_id = excluded.journal_id, kind = excluded.kind, ledger_account = excluded.ledger_account,
         currency = excluded.currency, amount = excluded.amount, source = excluded.source, created = excluded.created`
    : 'DO NOTHING';
  return db
    .prepare(
      `INSERT INTO ledger_entries (account_id, livemode, seq, journal_id, kind, ledger_account, currency, amount, source, created)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, livemode, seq) ${conflict}`,
    )
    .bind(account.accountId, account.livemode ? 1 : 0, row.seq, row.journalId, row.kind, row.account, row.currency, row.amount, row.source, row.created);
}

function overwriteRecord(db: D1Database, account: Account, row: ProjectionRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO records (account_id, livemode, object, id, version, created, customer, status, deleted, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, livemode, id) DO UPDATE SET object = excluded.object, version = excluded.version,
         created = excluded.created, customer = excluded.customer, status = excluded.status,
         deleted = excluded.deleted, data = excluded.data`,
    )
    .bind(
      account.accountId,
      account.livemode ? 1 : 0,
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

/** The D1 statements of one outbox row of a kind defined here, or null for other kinds. */
export function ledgerCopyStatements(db: D1Database, account: Account, kind: string, payload: string): D1PreparedStatement[] | null {
  const mode = account.livemode ? 1 : 0;
  switch (kind) {
    case 'ledger':
    case 'recon_ledger':
      return (JSON.parse(payload) as LedgerOutboxPayload).rows.map((row) => insertLedgerRow(db, account, row, kind === 'recon_ledger'));
    case 'recon_record':
      return [overwriteRecord(db, account, JSON.parse(payload) as ProjectionRow)];
    case 'recon_purge_ledger':
      return (JSON.parse(payload) as { seqs: number[] }).seqs.map((seq) =>
        db.prepare('DELETE FROM ledger_entries WHERE account_id = ? AND livemode = ? AND seq = ?').bind(account.accountId, mode, seq),
      );
    case 'recon_purge_record':
      return [
        db.prepare('DELETE FROM records WHERE account_id = ? AND livemode = ? AND id = ?').bind(account.accountId, mode, (JSON.parse(payload) as { id: string }).id),
      ];
    default:
      return null;
  }
}

// ── paged reads of the copy ───────────────────────────────────────────────────

interface LedgerCopyRow {
  seq: number;
  journal_id: string;
  kind: string;
  ledger_account: string;
  currency: string;
  amount: number;
  source: string;
  created: number;
}

export async function readLedgerCopyPage(db: D1Database, account: Account, afterSeq: number, max: number): Promise<LedgerEntryRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM ledger_entries WHERE account_id = ? AND livemode = ? AND seq > ? ORDER BY seq LIMIT ?')
    .bind(account.accountId, account.livemode ? 1 : 0, afterSeq, max)
    .all<LedgerCopyRow>();
  return results.map((r) => ({
    seq: r.seq,
    journalId: r.journal_id,
    kind: r.kind,
    account: r.ledger_account,
    currency: r.currency,
    amount: r.amount,
    source: r.source,
    created: r.created,
  }));
}

interface RecordCopyRow {
  id: string;
  object: string;
  version: number;
  deleted: number;
  status: string | null;
  amount: number | null;
  currency: string | null;
}

export async function readMoneyRecordPage(db: D1Database, account: Account, type: MoneyObjectType, afterId: string, max: number): Promise<MoneyObjectRow[]> {
  const { results } = await db
    .prepare(
      `SELECT id, object, version, deleted, status, json_extract(data, '$.amount') AS amount, json_extract(data, '$.currency') AS currency
       FROM records WHERE account_id = ? AND livemode = ? AND object = ? AND id > ? ORDER BY id LIMIT ?`,
    )
    .bind(account.accountId, account.livemode ? 1 : 0, type, afterId, max)
    .all<RecordCopyRow>();
  return results.map((r) => ({
    id: r.id,
    type: r.object,
    version: r.version,
    deleted: r.deleted === 1,
    amount: typeof r.amount === 'number' ? r.amount : null,
    currency: typeof r.currency === 'string' ? r.currency : null,
    status: r.status,
  }));
}
