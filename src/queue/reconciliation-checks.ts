/**
 * The two checks of a reconciliation run, as the queue consumer performs them.
 *
 * External: every movement of the window (from the account DO) against the processor's
 * settlement lines of the window, its neighbours, and what we hold for unmatched lines; the pure
 * comparer classifies. Internal: one page of ledger entries or of one money object type, DO
 * against D1. Suspected drift is confirmed against a fresh DO read first (the object may have
 * changed, and its new version reached D1, between the two reads), then repaired through the
 * DO's outbox and recorded. The ledger stage ends with the audit of the cached balances.
 */
import type { SettlementLine } from '../domain/cards/processing/protocol';
import { compareSettlement, unmatchedLineObjects, type SettlementComparison } from '../domain/reconciliation/compare';
import type { Discrepancy, KnownObject, LedgerMovement } from '../domain/reconciliation/discrepancy';
import {
  auditBalances,
  comparePage,
  driftDiscrepancies,
  foldRows,
  ledgerEntryFields,
  moneyObjectFields,
  type MoneyObjectRow,
  type MoneyObjectType,
  type RunningFold,
} from '../domain/reconciliation/internal';
import { neighbourRanges, settlementRange, type ReconciliationWindow, type SettlementRange } from '../domain/reconciliation/window';
import {
  RECONCILIATION_LOOKUP_IDS_MAX,
  RECONCILIATION_MOVEMENTS_PAGE_MAX,
  RECONCILIATION_OUTBOX_BACKLOG_MAX,
  RECONCILIATION_WINDOW_ITEMS_MAX,
  SETTLEMENT_REPORT_LINES_MAX,
} from '../domain/limits';
import { readLedgerCopyPage, readMoneyRecordPage } from '../platform/ledger-copy';
import type { CardProcessorClient } from '../platform/processor';
import type { AccountRef } from '../../durable-objects/merchant-account';

/** Movements are smaller than ledger pages' rows: read this many times `pageRows` per call. */
const MOVEMENT_PAGE_FACTOR = 4;

/** The simulated processor charges no fee: any fee on a settlement line is a `fee` discrepancy. */
export const PROCESSOR_FEE_EXPECTED = 0;

export type AccountStub = DurableObjectStub<import('../../durable-objects/merchant-account').MerchantAccount>;

export interface CheckContext {
  readonly db: D1Database;
  readonly stub: AccountStub;
  readonly account: AccountRef;
  readonly pageRows: number;
  /** Records found discrepancies (D1 upsert + events). */
  readonly record: (found: readonly Discrepancy[]) => Promise<void>;
}

/** A transient condition (the account's outbox is catching up): retry the message later. */
export class NotReadyError extends Error {}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function bounded<T>(items: T[], what: string): T[] {
  if (items.length > RECONCILIATION_WINDOW_ITEMS_MAX) throw new Error(`window holds more than ${RECONCILIATION_WINDOW_ITEMS_MAX} ${what}`);
  return items;
}

async function allMovements(ctx: CheckContext, window: ReconciliationWindow): Promise<LedgerMovement[]> {
  const movements: LedgerMovement[] = [];
  let after = null;
  do {
    const max = Math.min(RECONCILIATION_MOVEMENTS_PAGE_MAX, ctx.pageRows * MOVEMENT_PAGE_FACTOR);
    const page = await ctx.stub.reconciliationMovements(ctx.account, window.startSeconds, window.endSeconds, after, max);
    movements.push(...page.movements);
    bounded(movements, 'movements');
    after = page.next;
  } while (after !== null);
  return movements;
}

async function allLines(processor: CardProcessorClient, merchant: string, range: SettlementRange): Promise<SettlementLine[]> {
  const lines: SettlementLine[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await processor.settlementReport({ merchant, ...range, limit: SETTLEMENT_REPORT_LINES_MAX, ...(startingAfter ? { startingAfter } : {}) });
    lines.push(...page.lines);
    bounded(lines, 'settlement lines');
    if (!page.hasMore || page.lines.length === 0) return lines;
    startingAfter = page.lines[page.lines.length - 1]!.lineId;
  }
}

export async function externalCheck(
  ctx: CheckContext,
  processor: CardProcessorClient,
  merchant: string,
  window: ReconciliationWindow,
): Promise<SettlementComparison & { movements: number; lines: number }> {
  const movements = await allMovements(ctx, window);
  const lines = await allLines(processor, merchant, settlementRange(window));
  const neighbourLines = (await Promise.all(neighbourRanges(window).map((range) => allLines(processor, merchant, range)))).flat();
  const known: KnownObject[] = [];
  for (const ids of chunks(unmatchedLineObjects(movements, lines), RECONCILIATION_LOOKUP_IDS_MAX)) {
    known.push(...(await ctx.stub.reconciliationKnownObjects(ctx.account, ids)));
  }
  const comparison = compareSettlement({ window, movements, lines, neighbourLines, known, processorFeeExpected: PROCESSOR_FEE_EXPECTED });
  return { ...comparison, movements: movements.length, lines: lines.length };
}

// ── internal check, one page at a time ─────────────────────────────────────────

export interface PageOutcome<K> {
  /** Compared through this key; null when both sides are exhausted. */
  readonly through: K | null;
  readonly compared: number;
}

function requireCaughtUp(backlog: number): void {
  if (backlog > RECONCILIATION_OUTBOX_BACKLOG_MAX) throw new NotReadyError(`outbox backlog of ${backlog} rows: D1 is catching up`);
}

export async function ledgerPage(ctx: CheckContext, afterSeq: number, fold: RunningFold): Promise<PageOutcome<number> & { fold: RunningFold }> {
  const source = await ctx.stub.reconciliationLedgerPage(ctx.account, afterSeq, ctx.pageRows);
  requireCaughtUp(source.outboxBacklog);
  const copy = await readLedgerCopyPage(ctx.db, ctx.account, afterSeq, ctx.pageRows);
  const from = source.inFlightFromSeq;
  const cmp = comparePage({ rows: source.rows, full: source.full }, { rows: copy, full: copy.length === ctx.pageRows }, {
    keyOf: (row) => row.seq,
    fieldsOf: ledgerEntryFields,
    inFlight: (seq) => from !== null && seq >= from,
  });
  let extra = cmp.extra;
  if (extra.length > 0) {
    const fresh = (await ctx.stub.reconciliationLookup(ctx.account, extra.map((r) => r.seq), [])).ledger;
    const present = new Set(fresh.rows.map((r) => r.seq));
    extra = extra.filter((r) => !present.has(r.seq) && (fresh.inFlightFromSeq === null || r.seq < fresh.inFlightFromSeq));
  }
  const found = driftDiscrepancies({ ...cmp, extra }, () => 'ledger_entry', (row) => row.seq);
  if (found.length > 0) {
    const seqs = [...cmp.missing.map((r) => r.seq), ...cmp.mismatched.map((m) => m.source.seq), ...extra.map((r) => r.seq)];
    for (const part of chunks(seqs, RECONCILIATION_LOOKUP_IDS_MAX)) await ctx.stub.repairProjections(ctx.account, { ledgerSeqs: part, objectIds: [] });
  }
  const next = foldRows(fold, source.rows.filter((row) => cmp.through === null || row.seq <= cmp.through));
  if (cmp.through === null) found.push(...auditBalances(next, source.balances ?? {}));
  await ctx.record(found);
  return { through: cmp.through, compared: cmp.compared, fold: next };
}

/** Keeps only the suspects a fresh DO read confirms: unchanged since the page, and not in flight. */
async function confirmObjectDrift(ctx: CheckContext, suspects: { missing: MoneyObjectRow[]; mismatched: MoneyObjectRow[]; extra: MoneyObjectRow[] }) {
  const ids = [...suspects.missing, ...suspects.mismatched, ...suspects.extra].map((r) => r.id);
  const fresh = new Map<string, MoneyObjectRow>();
  const moving = new Set<string>();
  for (const part of chunks(ids, RECONCILIATION_LOOKUP_IDS_MAX)) {
    const { objects } = await ctx.stub.reconciliationLookup(ctx.account, [], part);
    for (const row of objects.rows) fresh.set(row.id, row);
    for (const id of objects.inFlight) moving.add(id);
  }
  const unchanged = (row: MoneyObjectRow) => !moving.has(row.id) && fresh.has(row.id) && moneyObjectFields(row, fresh.get(row.id)!).length === 0;
  return (row: MoneyObjectRow, kind: 'source' | 'extra') => (kind === 'extra' ? !moving.has(row.id) && !fresh.has(row.id) : unchanged(row));
}

export async function objectPage(ctx: CheckContext, type: MoneyObjectType, afterId: string): Promise<PageOutcome<string>> {
  const source = await ctx.stub.reconciliationObjectPage(ctx.account, type, afterId, ctx.pageRows);
  requireCaughtUp(source.outboxBacklog);
  const copy = await readMoneyRecordPage(ctx.db, ctx.account, type, afterId, ctx.pageRows);
  const inFlight = new Set(source.inFlight);
  const cmp = comparePage({ rows: source.rows, full: source.full }, { rows: copy, full: copy.length === ctx.pageRows }, {
    keyOf: (row) => row.id,
    fieldsOf: moneyObjectFields,
    inFlight: (id) => inFlight.has(id),
  });
  const suspects = { missing: [...cmp.missing], mismatched: cmp.mismatched.map((m) => m.source), extra: [...cmp.extra] };
  if (suspects.missing.length + suspects.mismatched.length + suspects.extra.length === 0) return cmp;
  const confirmed = await confirmObjectDrift(ctx, suspects);
  const diff = {
    missing: cmp.missing.filter((row) => confirmed(row, 'source')),
    mismatched: cmp.mismatched.filter((m) => confirmed(m.source, 'source')),
    extra: cmp.extra.filter((row) => confirmed(row, 'extra')),
  };
  const found = driftDiscrepancies(diff, (row) => row.type, (row) => row.id);
  const ids = found.map((d) => (d.details.kind === 'projection' ? d.details.id : ''));
  for (const part of chunks(ids, RECONCILIATION_LOOKUP_IDS_MAX)) await ctx.stub.repairProjections(ctx.account, { ledgerSeqs: [], objectIds: part });
  await ctx.record(found);
  return cmp;
}
