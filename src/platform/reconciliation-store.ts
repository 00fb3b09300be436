/**
 * Reconciliation results in D1: runs and discrepancies, with deterministic ids (a hash of the
 * run's key, and of the run id and the discrepancy's key) written as upserts, so a redelivered
 * message or a rerun of the same window finds and updates the same rows instead of adding new ones.
 * A discrepancy's status, once recorded, is left alone by reruns (a person may have resolved it).
 */
import type { SettlementTotals } from '../domain/reconciliation/compare';
import type { Discrepancy, DiscrepancyClass, DiscrepancyDetails, DiscrepancyStatus } from '../domain/reconciliation/discrepancy';
import {
  EMPTY_RUN_CHECKS,
  type ReconciliationRun,
  type RecordedDiscrepancy,
  type Resolution,
  type RunChecks,
  type RunStatus,
} from '../domain/reconciliation/run';
import { runKey, type ReconciliationWindow } from '../domain/reconciliation/window';

export interface RunRef {
  readonly id: string;
  readonly accountId: string;
  readonly livemode: boolean;
  readonly window: ReconciliationWindow;
}

const ID_HEX_LENGTH = 24;
const BATCH_STATEMENTS_MAX = 50;
const FAILURE_TEXT_LENGTH_MAX = 500;

async function digestHex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('').slice(0, ID_HEX_LENGTH);
}

export async function runRef(accountId: string, livemode: boolean, window: ReconciliationWindow): Promise<RunRef> {
  return { id: `recrun_${await digestHex(runKey(accountId, livemode, window))}`, accountId, livemode, window };
}

export async function discrepancyId(runId: string, key: string): Promise<string> {
  return `recdsc_${await digestHex(`${runId}\n${key}`)}`;
}

function insertRun(db: D1Database, run: RunRef, status: RunStatus, nowSeconds: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO reconciliation_runs (id, account_id, livemode, window_start, window_end, status, created)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(run.id, run.accountId, run.livemode ? 1 : 0, run.window.startSeconds, run.window.endSeconds, status, nowSeconds);
}

/** Records that a run was asked for (on demand or by the cron); an existing run is left as it is. */
export function queueRunStatement(db: D1Database, run: RunRef, nowSeconds: number): D1PreparedStatement {
  return insertRun(db, run, 'queued', nowSeconds);
}

export async function queueRun(db: D1Database, run: RunRef, nowSeconds: number): Promise<void> {
  await queueRunStatement(db, run, nowSeconds).run();
}

/** A new pass over the window begins (first message of a pass, not its continuations). */
export async function startPass(db: D1Database, run: RunRef, nowSeconds: number): Promise<void> {
  await db.batch([
    insertRun(db, run, 'running', nowSeconds),
    db
      .prepare(`UPDATE reconciliation_runs SET status = 'running', passes = passes + 1, started_at = ?, completed_at = NULL, failure = NULL WHERE id = ?`)
      .bind(nowSeconds, run.id),
  ]);
}

export async function saveTotals(db: D1Database, runId: string, totals: SettlementTotals): Promise<void> {
  await db.prepare('UPDATE reconciliation_runs SET totals = ? WHERE id = ?').bind(JSON.stringify(totals), runId).run();
}

/** Upserts the discrepancies (same key, same row); returns them with their ids. */
export async function recordDiscrepancies(db: D1Database, run: RunRef, found: readonly Discrepancy[], nowSeconds: number): Promise<RecordedDiscrepancy[]> {
  const recorded = await Promise.all(
    found.map(async (d): Promise<RecordedDiscrepancy> => ({ ...d, id: await discrepancyId(run.id, d.key), runId: run.id, livemode: run.livemode, created: nowSeconds })),
  );
  const statements = recorded.map((d) =>
    db
      .prepare(
        `INSERT INTO reconciliation_discrepancies (id, run_id, account_id, livemode, class, status, reference, discrepancy_key, details, created)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET details = excluded.details, reference = excluded.reference`,
      )
      .bind(d.id, run.id, run.accountId, run.livemode ? 1 : 0, d.class, d.status, d.reference, d.key, JSON.stringify(d.details), nowSeconds),
  );
  for (let i = 0; i < statements.length; i += BATCH_STATEMENTS_MAX) await db.batch(statements.slice(i, i + BATCH_STATEMENTS_MAX));
  return recorded;
}

/** Completes the pass: counts per class recomputed from the recorded rows. */
export async function finishPass(db: D1Database, runId: string, checks: RunChecks, nowSeconds: number): Promise<void> {
  const { results } = await db
    .prepare('SELECT class, COUNT(*) AS n FROM reconciliation_discrepancies WHERE run_id = ? GROUP BY class ORDER BY class')
    .bind(runId)
    .all<{ class: string; n: number }>();
  const counts = Object.fromEntries(results.map((r) => [r.class, r.n]));
  await db
    .prepare(`UPDATE reconciliation_runs SET status = 'completed', counts = ?, checked = ?, completed_at = ? WHERE id = ?`)
    .bind(JSON.stringify(counts), JSON.stringify(checks), nowSeconds, runId)
    .run();
}

/** Marks the run failed (creating it if its first message never got that far), unless it completed. */
export async function failPass(db: D1Database, run: RunRef, failure: string, nowSeconds: number): Promise<void> {
  await db.batch([
    insertRun(db, run, 'failed', nowSeconds),
    db
      .prepare(`UPDATE reconciliation_runs SET status = 'failed', failure = ?, completed_at = ? WHERE id = ? AND status != 'completed'`)
      .bind(failure.slice(0, FAILURE_TEXT_LENGTH_MAX), nowSeconds, run.id),
  ]);
}

// ── reads ─────────────────────────────────────────────────────────────────────

interface RunRow {
  id: string;
  account_id: string;
  livemode: number;
  window_start: number;
  window_end: number;
  status: string;
  passes: number;
  counts: string;
  totals: string;
  checked: string;
  failure: string | null;
  created: number;
  started_at: number | null;
  completed_at: number | null;
}

export function toRun(row: RunRow): ReconciliationRun {
  const totals = JSON.parse(row.totals) as Partial<SettlementTotals>;
  return {
    id: row.id,
    accountId: row.account_id,
    livemode: row.livemode === 1,
    window: { startSeconds: row.window_start, endSeconds: row.window_end },
    status: row.status as RunStatus,
    passes: row.passes,
    counts: JSON.parse(row.counts) as Partial<Record<DiscrepancyClass, number>>,
    totals: totals.ledger && totals.processor ? (totals as SettlementTotals) : null,
    checks: { ...EMPTY_RUN_CHECKS, ...(JSON.parse(row.checked) as Partial<RunChecks>) },
    failure: row.failure,
    created: row.created,
    startedAt: row.started_at,
    completedAt: row.completed_at,
  };
}

interface DiscrepancyRow {
  id: string;
  run_id: string;
  livemode: number;
  class: string;
  status: string;
  reference: string | null;
  discrepancy_key: string;
  details: string;
  resolution: string | null;
  created: number;
}

export function toDiscrepancy(row: DiscrepancyRow): RecordedDiscrepancy {
  return {
    id: row.id,
    runId: row.run_id,
    livemode: row.livemode === 1,
    class: row.class as DiscrepancyClass,
    status: row.status as DiscrepancyStatus,
    reference: row.reference,
    key: row.discrepancy_key,
    details: JSON.parse(row.details) as DiscrepancyDetails,
    resolution: row.resolution === null ? null : (JSON.parse(row.resolution) as Resolution),
    created: row.created,
  };
}

export async function readDiscrepancy(db: D1Database, scope: AccountScope, id: string): Promise<RecordedDiscrepancy | null> {
  const row = await db
    .prepare('SELECT * FROM reconciliation_discrepancies WHERE id = ? AND account_id = ? AND livemode = ?')
    .bind(id, scope.accountId, scope.livemode ? 1 : 0)
    .first<DiscrepancyRow>();
  return row ? toDiscrepancy(row) : null;
}

/** A person closed it (recorded once; the run's counts are per class and do not change). */
export async function resolveDiscrepancy(db: D1Database, id: string, resolution: Resolution): Promise<void> {
  await db
    .prepare(`UPDATE reconciliation_discrepancies SET status = 'resolved', resolution = ? WHERE id = ? AND status != 'resolved'`)
    .bind(JSON.stringify(resolution), id)
    .run();
}

export interface AccountScope {
  readonly accountId: string;
  readonly livemode: boolean;
}

export async function readRun(db: D1Database, scope: AccountScope, id: string): Promise<ReconciliationRun | null> {
  const row = await db
    .prepare('SELECT * FROM reconciliation_runs WHERE id = ? AND account_id = ? AND livemode = ?')
    .bind(id, scope.accountId, scope.livemode ? 1 : 0)
    .first<RunRow>();
  return row ? toRun(row) : null;
}

export interface PageArgs {
  readonly limit: number;
  readonly startingAfter?: string;
  readonly endingBefore?: string;
}

/** Newest first on (created, id), Stripe's cursors; `filters` are exact column matches. */
export async function listRows<R extends { id: string }>(
  db: D1Database,
  table: 'reconciliation_runs' | 'reconciliation_discrepancies',
  scope: AccountScope,
  filters: ReadonlyArray<readonly [column: string, value: string]>,
  page: PageArgs,
): Promise<{ rows: R[]; hasMore: boolean }> {
  const where = ['account_id = ?', 'livemode = ?', ...filters.map(([column]) => `${column} = ?`)];
  const bindings: (string | number)[] = [scope.accountId, scope.livemode ? 1 : 0, ...filters.map(([, value]) => value)];
  const cursorId = page.startingAfter ?? page.endingBefore;
  const ascending = page.startingAfter === undefined && page.endingBefore !== undefined;
  if (cursorId !== undefined) {
    const cursor = await db.prepare(`SELECT created FROM ${table} WHERE id = ?`).bind(cursorId).first<{ created: number }>();
    if (cursor === null) return { rows: [], hasMore: false };
    where.push(ascending ? '(created > ? OR (created = ? AND id > ?))' : '(created < ? OR (created = ? AND id < ?))');
    bindings.push(cursor.created, cursor.created, cursorId);
  }
  const order = ascending ? 'ASC' : 'DESC';
  const { results } = await db
    .prepare(`SELECT * FROM ${table} WHERE ${where.join(' AND ')} ORDER BY created ${order}, id ${order} LIMIT ?`)
    .bind(...bindings, page.limit + 1)
    .all<R>();
  const rows = results.slice(0, page.limit);
  if (ascending) rows.reverse();
  return { rows, hasMore: results.length > page.limit };
}

export type { RunRow, DiscrepancyRow };
