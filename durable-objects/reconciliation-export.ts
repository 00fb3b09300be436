/**
 * What the account DO hands to reconciliation, in bounded pages, each read in one synchronous
 * call (so a page is a consistent snapshot): ledger rows with the cached balances at the last
 * row, money objects with their versions, the money movements the processor should settle, and
 * what is still waiting in the outbox (in flight to D1, so not drift). Read-only: reconciliation
 * never changes the DO's records.
 */
import type { BalanceTransaction } from '../src/domain/balance/transactions';
import type { KnownObject, LedgerMovement, SettlementOperation } from '../src/domain/reconciliation/discrepancy';
import type { LedgerEntryRow, MoneyObjectRow, MoneyObjectType } from '../src/domain/reconciliation/internal';
import type { LedgerBalances } from '../src/domain/ledger/balances';
import { isCurrencyCode } from '../src/domain/money/currency';
import { computeProcessingFee } from '../src/domain/money/fees';
import type { Charge } from '../src/domain/payments/charge';
import type { PaymentIntent } from '../src/domain/payments/payment-intent';
import type { Refund } from '../src/domain/payments/refund';
import { readLedgerBalances, readLedgerRows, type LedgerRow } from './ledger-store';
import { countOutbox, readObject, type StoredObject } from './store';

export interface LedgerExportPage {
  readonly rows: readonly LedgerEntryRow[];
  readonly full: boolean;
  /** Entries from this seq on may still wait in the outbox (null: none do). */
  readonly inFlightFromSeq: number | null;
  /** The cached balances as of the last row: only on the last page (not full). */
  readonly balances: LedgerBalances | null;
  readonly outboxBacklog: number;
}

export interface ObjectExportPage {
  readonly rows: readonly MoneyObjectRow[];
  readonly full: boolean;
  /** Ids of the page (or lookup) with a projection still waiting in the outbox. */
  readonly inFlight: readonly string[];
  readonly outboxBacklog: number;
}

export interface MovementCursor {
  readonly created: number;
  readonly seq: number;
}

export interface MovementPage {
  readonly movements: readonly LedgerMovement[];
  readonly next: MovementCursor | null;
}

function toEntryRow(row: LedgerRow): LedgerEntryRow {
  const { seq, journal_id: journalId, kind, account, currency, amount, source, created } = row;
  return { seq, journalId, kind, account, currency, amount, source, created };
}

function inFlightLedgerFrom(sql: SqlStorage): number | null {
  return sql
    .exec<{ first: number | null }>(
      "SELECT MIN(CAST(json_extract(payload, '$.firstSeq') AS INTEGER)) AS first FROM outbox WHERE kind IN ('ledger', 'recon_ledger', 'recon_purge_ledger')",
    )
    .one().first;
}

export function exportLedgerPage(sql: SqlStorage, afterSeq: number, max: number): LedgerExportPage {
  const rows = readLedgerRows(sql, afterSeq, max).map(toEntryRow);
  const full = rows.length === max;
  return { rows, full, inFlightFromSeq: inFlightLedgerFrom(sql), balances: full ? null : readLedgerBalances(sql), outboxBacklog: countOutbox(sql) };
}

export function lookupLedgerRows(sql: SqlStorage, seqs: readonly number[]): { rows: LedgerEntryRow[]; inFlightFromSeq: number | null } {
  const rows = seqs.flatMap((seq) => readLedgerRows(sql, seq - 1, 1).filter((row) => row.seq === seq).map(toEntryRow));
  return { rows, inFlightFromSeq: inFlightLedgerFrom(sql) };
}

interface ObjectRow extends Record<string, SqlStorageValue> {
  id: string;
  type: string;
  version: number;
  deleted: number;
  data: string;
}

function toMoneyRow(row: ObjectRow): MoneyObjectRow {
  const data = JSON.parse(row.data) as { amount?: unknown; currency?: unknown; status?: unknown };
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    deleted: row.deleted === 1,
    amount: typeof data.amount === 'number' ? data.amount : null,
    currency: typeof data.currency === 'string' ? data.currency : null,
    status: typeof data.status === 'string' ? data.status : null,
  };
}

function inFlightIds(sql: SqlStorage, ids: readonly string[]): string[] {
  if (ids.length === 0) return [];
  const wanted = new Set(ids);
  return sql
    .exec<{ id: string | null }>("SELECT DISTINCT json_extract(payload, '$.id') AS id FROM outbox WHERE kind IN ('record', 'recon_record', 'recon_purge_record')")
    .toArray()
    .flatMap((row) => (row.id !== null && wanted.has(row.id) ? [row.id] : []));
}

export function exportObjectPage(sql: SqlStorage, type: MoneyObjectType, afterId: string, max: number): ObjectExportPage {
  const rows = sql
    .exec<ObjectRow>('SELECT id, type, version, deleted, data FROM objects WHERE type = ? AND id > ? ORDER BY id LIMIT ?', type, afterId, max)
    .toArray()
    .map(toMoneyRow);
  return { rows, full: rows.length === max, inFlight: inFlightIds(sql, rows.map((r) => r.id)), outboxBacklog: countOutbox(sql) };
}

export function lookupObjects(sql: SqlStorage, ids: readonly string[]): ObjectExportPage {
  const rows = ids.flatMap((id) => sql.exec<ObjectRow>('SELECT id, type, version, deleted, data FROM objects WHERE id = ?', id).toArray().map(toMoneyRow));
  return { rows, full: false, inFlight: inFlightIds(sql, ids), outboxBacklog: countOutbox(sql) };
}

// ── money movements (balance transactions the processor settles) ─────────────

const SETTLED_BT_TYPES: Readonly<Record<string, SettlementOperation>> = {
  charge: 'capture',
  payment: 'capture',
  refund: 'refund',
  refund_failure: 'refund_failure',
};

/** Charges: captured | authorized | failed (a charge is `succeeded` at Stripe once authorised). */
function chargeStatus(charge: Charge): string {
  if (charge.captured) return 'captured';
  return charge.status === 'succeeded' ? (charge.authorizationVoided ? 'voided' : 'authorized') : charge.status;
}

function captureMovement(sql: SqlStorage, bt: BalanceTransaction): LedgerMovement | null {
  const charge = readObject<Charge>(sql, bt.sourceId, 'charge')?.data;
  if (!charge) return null;
  const intent = charge.paymentIntent === null ? null : readObject<PaymentIntent>(sql, charge.paymentIntent, 'payment_intent')?.data;
  const step = intent?.captureMethod === 'manual' ? 'capture' : 'authorize';
  const international = charge.card.country !== null && charge.card.country !== 'US';
  const expectedFee = isCurrencyCode(bt.currency) ? computeProcessingFee(bt.amount, bt.currency, { international }).fee : bt.fee;
  return movement(bt, 'capture', `${charge.id}:${step}`, chargeStatus(charge), expectedFee);
}

function movement(bt: BalanceTransaction, operation: SettlementOperation, reference: string, status: string, expectedFee: number): LedgerMovement {
  return {
    objectId: bt.sourceId,
    operation,
    reference,
    balanceTransaction: bt.id,
    amount: bt.amount,
    currency: bt.currency,
    fee: bt.fee,
    expectedFee,
    status,
    occurredAtSeconds: bt.createdSeconds,
  };
}

function toMovement(sql: SqlStorage, bt: BalanceTransaction): LedgerMovement | null {
  const operation = SETTLED_BT_TYPES[bt.type];
  if (operation === undefined) return null;
  if (operation === 'capture') return captureMovement(sql, bt);
  const refund = readObject<Refund>(sql, bt.sourceId, 'refund')?.data;
  return movement(bt, operation, `${bt.sourceId}:refund`, refund?.status ?? 'unknown', 0);
}

interface BtRow extends Record<string, SqlStorageValue> {
  seq: number;
  created: number;
  data: string;
}

/** Movements booked in [from, to), in (created, seq) order, a page at a time. */
export function exportMovements(sql: SqlStorage, fromSeconds: number, toSeconds: number, after: MovementCursor | null, max: number): MovementPage {
  const start = after ?? { created: fromSeconds, seq: 0 };
  const rows = sql
    .exec<BtRow>(
      `SELECT seq, created, data FROM objects WHERE type = 'balance_transaction' AND status IN ('charge', 'payment', 'refund', 'refund_failure')
       AND created >= ? AND created < ? AND (created, seq) > (?, ?) ORDER BY created, seq LIMIT ?`,
      fromSeconds,
      toSeconds,
      start.created,
      start.seq,
      max,
    )
    .toArray();
  const movements = rows.flatMap((row) => toMovement(sql, JSON.parse(row.data) as BalanceTransaction) ?? []);
  const last = rows[rows.length - 1];
  return { movements, next: rows.length === max && last ? { created: last.created, seq: last.seq } : null };
}

/** What we hold for the charges and refunds that settlement lines name: status and every movement. */
export function knownObjects(sql: SqlStorage, ids: readonly string[]): KnownObject[] {
  return ids.flatMap((id) => {
    const charge = readObject<Charge>(sql, id, 'charge');
    const refund: StoredObject<Refund> | null = charge ? null : readObject<Refund>(sql, id, 'refund');
    if (!charge && !refund) return [];
    const bts = sql
      .exec<{ data: string }>("SELECT data FROM objects WHERE type = 'balance_transaction' AND parent = ? ORDER BY seq", id)
      .toArray()
      .flatMap((row) => toMovement(sql, JSON.parse(row.data) as BalanceTransaction) ?? []);
    return [{ id, status: charge ? chargeStatus(charge.data) : refund!.data.status, movements: bts }];
  });
}
