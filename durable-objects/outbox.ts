/**
 * Drains the outbox into D1 in batches. Rows are deleted only after D1 accepted the batch; on
 * failure they stay, their attempt count grows and the caller re-arms the alarm with backoff.
 * Every statement is an idempotent versioned upsert, so a batch applied twice changes nothing.
 */
import { OUTBOX_BATCH_MAX, OUTBOX_RETRY_DELAY_MAX_MS, OUTBOX_RETRY_DELAY_MIN_MS } from '../src/domain/limits';
import { upsertAccountStatement, upsertRecordStatement, type AccountRegistration, type ProjectionRow } from '../src/platform/records';
import { deleteOutboxThrough, markOutboxAttempt, readOutbox, type OutboxRow } from './store';

export type DrainResult = { readonly drained: number; readonly remaining: boolean } | { readonly failed: true; readonly attempts: number };

function statementFor(db: D1Database, accountId: string, livemode: boolean, row: OutboxRow): D1PreparedStatement {
  if (row.kind === 'account') return upsertAccountStatement(db, JSON.parse(row.payload) as AccountRegistration);
  if (row.kind === 'record') return upsertRecordStatement(db, accountId, livemode, JSON.parse(row.payload) as ProjectionRow);
  throw new Error(`unknown outbox kind ${row.kind}`);
}

export async function drainOutboxOnce(
  sql: SqlStorage,
  db: D1Database,
  account: { accountId: string; livemode: boolean },
): Promise<DrainResult> {
  const rows = readOutbox(sql, OUTBOX_BATCH_MAX);
  if (rows.length === 0) return { drained: 0, remaining: false };
  const seqs = rows.map((r) => r.seq);
  try {
    await db.batch(rows.map((row) => statementFor(db, account.accountId, account.livemode, row)));
  } catch (error) {
    markOutboxAttempt(sql, seqs);
    console.warn(`outbox drain failed for ${account.accountId}: ${error instanceof Error ? error.message : 'unknown'}`);
    return { failed: true, attempts: Math.max(...rows.map((r) => r.attempts)) + 1 };
  }
  deleteOutboxThrough(sql, seqs);
  return { drained: rows.length, remaining: rows.length === OUTBOX_BATCH_MAX };
}

/** Exponential backoff with full jitter, bounded: attempt 1 → ≤ 0.5 s … capped at 60 s. */
export function outboxRetryDelayMs(attempts: number, random: number): number {
  const ceiling = Math.min(OUTBOX_RETRY_DELAY_MAX_MS, OUTBOX_RETRY_DELAY_MIN_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(OUTBOX_RETRY_DELAY_MIN_MS / 2, Math.floor(ceiling * random));
}
