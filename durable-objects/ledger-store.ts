/**
 * The ledger's SQL: append-only journal rows, the cached balances (a cache of the fold of all
 * entries, checked against it), and the index of balance transactions awaiting availability.
 * Synchronous, for use inside the caller's transaction.
 */
import { assertLedgerBalances, EMPTY_LEDGER_BALANCES, type LedgerBalances } from '../src/domain/ledger/balances';
import type { JournalEntry } from '../src/domain/ledger/entries';
import type { LedgerEntryRow } from '../src/domain/reconciliation/internal';
import { LEDGER_OUTBOX_KIND, type LedgerOutboxPayload } from '../src/platform/ledger-copy';
import { appendOutbox } from './store';

export function readLedgerBalances(sql: SqlStorage): LedgerBalances {
  const row = sql.exec<{ data: string }>('SELECT data FROM ledger_balances WHERE id = 1').toArray()[0];
  if (!row) return EMPTY_LEDGER_BALANCES;
  const parsed: unknown = JSON.parse(row.data);
  assertLedgerBalances(parsed);
  return parsed;
}

export function writeLedgerBalances(sql: SqlStorage, balances: LedgerBalances): void {
  sql.exec(
    'INSERT INTO ledger_balances (id, data) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data',
    JSON.stringify(balances),
  );
}

/** Appends the entry's rows and queues their D1 copy (outbox kind `ledger`, one row per journal). */
export function insertJournalEntry(sql: SqlStorage, journalId: string, entry: JournalEntry, source: string, nowSeconds: number): void {
  const rows: LedgerEntryRow[] = [];
  for (const posting of entry.postings) {
    const { seq } = sql
      .exec<{ seq: number }>(
        'INSERT INTO ledger_entries (journal_id, kind, account, currency, amount, source, created) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq',
        journalId,
        entry.kind,
        posting.account,
        posting.currency,
        posting.amountMinor,
        source,
        nowSeconds,
      )
      .one();
    rows.push({ seq, journalId, kind: entry.kind, account: posting.account, currency: posting.currency, amount: posting.amountMinor, source, created: nowSeconds });
  }
  const payload: LedgerOutboxPayload = { firstSeq: rows[0]!.seq, rows };
  appendOutbox(sql, LEDGER_OUTBOX_KIND, payload, nowSeconds);
}

export interface LedgerRow {
  readonly seq: number;
  readonly journal_id: string;
  readonly kind: string;
  readonly account: string;
  readonly currency: string;
  readonly amount: number;
  readonly source: string;
  readonly created: number;
}

/** Entries in sequence order, a bounded page at a time (reconciliation and audits). */
export function readLedgerRows(sql: SqlStorage, afterSeq: number, max: number): LedgerRow[] {
  return sql
    .exec<LedgerRow & Record<string, SqlStorageValue>>('SELECT * FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?', afterSeq, max)
    .toArray();
}

export function schedulePendingAvailability(sql: SqlStorage, balanceTransactionId: string, availableOnSeconds: number): void {
  sql.exec(
    'INSERT INTO pending_availability (balance_transaction, available_on) VALUES (?, ?) ON CONFLICT DO NOTHING',
    balanceTransactionId,
    availableOnSeconds,
  );
}

export function dueAvailability(sql: SqlStorage, nowSeconds: number, max: number): string[] {
  return sql
    .exec<{ balance_transaction: string }>(
      'SELECT balance_transaction FROM pending_availability WHERE available_on <= ? ORDER BY available_on LIMIT ?',
      nowSeconds,
      max,
    )
    .toArray()
    .map((row) => row.balance_transaction);
}

export function nextAvailabilitySeconds(sql: SqlStorage): number | null {
  return sql.exec<{ next: number | null }>('SELECT MIN(available_on) AS next FROM pending_availability').one().next;
}

export function clearPendingAvailability(sql: SqlStorage, balanceTransactionId: string): void {
  sql.exec('DELETE FROM pending_availability WHERE balance_transaction = ?', balanceTransactionId);
}

// ── Due checks: objects whose status changes at a known time ─────────────────

export type DueCheckKind = 'refund' | 'payout' | 'subscription' | 'test_clock' | 'checkout_session';

export function scheduleDueCheck(sql: SqlStorage, kind: DueCheckKind, objectId: string, dueSeconds: number): void {
  sql.exec(
    'INSERT INTO due_checks (kind, object_id, due) VALUES (?, ?, ?) ON CONFLICT (kind, object_id) DO UPDATE SET due = excluded.due',
    kind,
    objectId,
    dueSeconds,
  );
}

export function dueChecks(sql: SqlStorage, kind: DueCheckKind, nowSeconds: number, max: number): string[] {
  return sql
    .exec<{ object_id: string }>('SELECT object_id FROM due_checks WHERE kind = ? AND due <= ? ORDER BY due LIMIT ?', kind, nowSeconds, max)
    .toArray()
    .map((row) => row.object_id);
}

export function clearDueCheck(sql: SqlStorage, kind: DueCheckKind, objectId: string): void {
  sql.exec('DELETE FROM due_checks WHERE kind = ? AND object_id = ?', kind, objectId);
}

/** The earliest time any scheduled work (availability, due checks) falls due, or null. */
export function nextScheduledSeconds(sql: SqlStorage): number | null {
  return sql
    .exec<{ next: number | null }>(
      `SELECT MIN(t) AS next FROM (SELECT MIN(available_on) AS t FROM pending_availability UNION ALL SELECT MIN(due) AS t FROM due_checks)`,
    )
    .one().next;
}
