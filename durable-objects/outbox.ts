/**
 * Drains the outbox in batches: record rows into D1, webhook rows onto the events queue. Rows are
 * deleted only after their destination accepted them; on failure they stay, their attempt count
 * grows and the caller re-arms the alarm with backoff. The two destinations fail independently.
 * Every D1 statement is an idempotent versioned upsert (or a purge of rows the account deleted
 * for good, which outbox order puts after their upserts) and every queue consumer is idempotent,
 * so a batch delivered twice (a crash after sending, before deleting) changes nothing.
 */
import { OUTBOX_BATCH_MAX, OUTBOX_ISOLATE_AFTER_ATTEMPTS, OUTBOX_RETRY_DELAY_MAX_MS, OUTBOX_RETRY_DELAY_MIN_MS } from '../src/domain/limits';
import { ledgerCopyStatements } from '../src/platform/ledger-copy';
import {
  PURGE_OUTBOX_KIND,
  purgeRecordsStatement,
  upsertAccountStatement,
  upsertRecordStatement,
  type AccountRegistration,
  type ProjectionRow,
  type RecordPurge,
} from '../src/platform/records';
import { deleteOutboxThrough, markOutboxAttempt, quarantineOutboxRow, readOutbox, type OutboxRow } from './store';
import { WEBHOOK_OUTBOX_KIND, type WebhookOutboxPayload } from './webhook-fanout';

export type DrainResult = { readonly drained: number; readonly remaining: boolean } | { readonly failed: true; readonly attempts: number };

/** A message on the events queue: enough for the consumer to ask the account what to send. */
export interface WebhookMessage extends WebhookOutboxPayload {
  /** The account object's name (`acct_…:test|live`). */
  readonly merchant: string;
}

export interface OutboxSinks {
  readonly db: D1Database;
  readonly eventsQueue: Queue<WebhookMessage>;
  readonly account: { readonly accountId: string; readonly livemode: boolean };
  /** Test-only fault seam, called right before the queue send (inert outside tests). */
  readonly beforeQueueSend?: () => Promise<void>;
}

export function merchantName(account: OutboxSinks['account']): string {
  return `${account.accountId}:${account.livemode ? 'live' : 'test'}`;
}

function statementsFor(db: D1Database, accountId: string, livemode: boolean, row: OutboxRow): D1PreparedStatement[] {
  if (row.kind === 'account') return [upsertAccountStatement(db, JSON.parse(row.payload) as AccountRegistration)];
  if (row.kind === 'record') return [upsertRecordStatement(db, accountId, livemode, JSON.parse(row.payload) as ProjectionRow)];
  if (row.kind === PURGE_OUTBOX_KIND) return [purgeRecordsStatement(db, accountId, livemode, JSON.parse(row.payload) as RecordPurge)];
  const ledger = ledgerCopyStatements(db, { accountId, livemode }, row.kind, row.payload);
  if (ledger !== null) return ledger;
  throw new Error(`unknown outbox kind ${row.kind}`);
}

async function sendRecords(sinks: OutboxSinks, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { accountId, livemode } = sinks.account;
  await sinks.db.batch(rows.flatMap((row) => statementsFor(sinks.db, accountId, livemode, row)));
}

async function sendWebhooks(sinks: OutboxSinks, rows: readonly OutboxRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sinks.beforeQueueSend?.();
  const merchant = merchantName(sinks.account);
  await sinks.eventsQueue.sendBatch(
    rows.map((row) => ({ body: { ...(JSON.parse(row.payload) as WebhookOutboxPayload), merchant }, contentType: 'json' as const })),
  );
}

/**
 * Sends one group of rows; deletes them on success, counts an attempt on failure. A group that has
 * failed OUTBOX_ISOLATE_AFTER_ATTEMPTS times is retried row by row, so one poison row cannot hold
 * the others back; a row that fails alone while a neighbour succeeds is quarantined. When every
 * row fails (the destination is down), nothing is quarantined: that is an outage, not poison.
 */
async function settle(
  sql: SqlStorage,
  rows: readonly OutboxRow[],
  send: (rows: readonly OutboxRow[]) => Promise<void>,
  what: string,
  accountId: string,
): Promise<boolean> {
  if (rows.length === 0) return true;
  if (rows.length > 1 && Math.max(...rows.map((r) => r.attempts)) >= OUTBOX_ISOLATE_AFTER_ATTEMPTS) return isolate(sql, rows, send, what, accountId);
  const seqs = rows.map((r) => r.seq);
  try {
    await send(rows);
  } catch (error) {
    markOutboxAttempt(sql, seqs);
    console.warn(`outbox drain (${what}) failed for ${accountId}: ${error instanceof Error ? error.message : 'unknown'}`);
    return false;
  }
  deleteOutboxThrough(sql, seqs);
  return true;
}

async function isolate(
  sql: SqlStorage,
  rows: readonly OutboxRow[],
  send: (rows: readonly OutboxRow[]) => Promise<void>,
  what: string,
  accountId: string,
): Promise<boolean> {
  const failed: OutboxRow[] = [];
  for (const row of rows) {
    try {
      await send([row]);
      deleteOutboxThrough(sql, [row.seq]);
    } catch {
      failed.push(row);
    }
  }
  if (failed.length === rows.length) {
    markOutboxAttempt(sql, rows.map((r) => r.seq));
    return false;
  }
  for (const row of failed) {
    console.error(`outbox drain (${what}) quarantined row ${row.seq} (${row.kind}) for ${accountId}: it fails alone while others succeed`);
    quarantineOutboxRow(sql, row.seq);
  }
  return true;
}

export async function drainOutboxOnce(sql: SqlStorage, sinks: OutboxSinks): Promise<DrainResult> {
  const rows = readOutbox(sql, OUTBOX_BATCH_MAX);
  if (rows.length === 0) return { drained: 0, remaining: false };
  const webhooks = rows.filter((r) => r.kind === WEBHOOK_OUTBOX_KIND);
  const records = rows.filter((r) => r.kind !== WEBHOOK_OUTBOX_KIND);
  const accountId = sinks.account.accountId;
  const recordsOk = await settle(sql, records, (group) => sendRecords(sinks, group), 'D1', accountId);
  const webhooksOk = await settle(sql, webhooks, (group) => sendWebhooks(sinks, group), 'events queue', accountId);
  if (!recordsOk || !webhooksOk) return { failed: true, attempts: Math.max(...rows.map((r) => r.attempts)) + 1 };
  return { drained: rows.length, remaining: rows.length === OUTBOX_BATCH_MAX };
}

/** Exponential backoff with full jitter, bounded: attempt 1 → ≤ 0.5 s … capped at 60 s. */
export function outboxRetryDelayMs(attempts: number, random: number): number {
  const ceiling = Math.min(OUTBOX_RETRY_DELAY_MAX_MS, OUTBOX_RETRY_DELAY_MIN_MS * 2 ** Math.max(0, attempts - 1));
  return Math.max(OUTBOX_RETRY_DELAY_MIN_MS / 2, Math.floor(ceiling * random));
}
