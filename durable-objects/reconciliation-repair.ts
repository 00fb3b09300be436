/**
 * The account DO's two writes for reconciliation, neither of which changes its records:
 *
 *  - repairs of the D1 copy: the current state of each drifted ledger entry or money object is
 *    re-projected through the outbox with an overwriting kind (or, when the DO does not have it,
 *    a purge), so it lands in order with the account's own writes (src/platform/ledger-copy.ts);
 *  - `reconciliation.*` events, emitted once per key (a redelivered queue message or a rerun
 *    with the same result emits nothing new), stored and delivered like every other event.
 */
import type { BalanceTransaction } from '../src/domain/balance/transactions';
import type { Charge } from '../src/domain/payments/charge';
import type { Payout } from '../src/domain/payments/payout';
import type { Refund } from '../src/domain/payments/refund';
import type { LedgerOutboxPayload } from '../src/platform/ledger-copy';
import type { ProjectionRow } from '../src/platform/records';
import { toBalanceTransactionJson } from '../src/stripe/objects/balance-transaction';
import { toChargeJson } from '../src/stripe/objects/charge';
import { toPayoutJson } from '../src/stripe/objects/payout';
import { toRefundJson } from '../src/stripe/objects/refund';
import { emit } from './context';
import { systemContext, type ExecutionHost } from './execution';
import { lookupLedgerRows } from './reconciliation-export';
import { appendOutbox, type StoredObject } from './store';

export interface RepairRequest {
  readonly ledgerSeqs: readonly number[];
  readonly objectIds: readonly string[];
}

export interface RepairResult {
  readonly reprojected: number;
  readonly purged: number;
}

type Rendered = { readonly json: unknown; readonly customer: string | null; readonly status: string | null };

/** The wire shape and index columns `project()` writes for each money object type. */
const RENDERERS: Readonly<Record<string, (data: never) => Rendered>> = {
  charge: (c: Charge) => ({ json: toChargeJson(c), customer: c.customer, status: c.status }),
  refund: (r: Refund) => ({ json: toRefundJson(r), customer: null, status: r.status }),
  payout: (p: Payout) => ({ json: toPayoutJson(p), customer: null, status: p.status }),
  balance_transaction: (b: BalanceTransaction) => ({ json: toBalanceTransactionJson(b), customer: null, status: b.status }),
};

interface ObjectRow extends Record<string, SqlStorageValue> {
  id: string;
  type: string;
  seq: number;
  created: number;
  version: number;
  deleted: number;
  data: string;
}

function projectionOf(row: ObjectRow): ProjectionRow | null {
  const render = RENDERERS[row.type];
  if (render === undefined) return null;
  const stored: StoredObject = { id: row.id, type: row.type, seq: row.seq, created: row.created, version: row.version, deleted: row.deleted === 1, data: null };
  const rendered = render(JSON.parse(row.data) as never);
  return { object: stored.type, id: stored.id, version: stored.version, created: stored.created, deleted: stored.deleted, ...rendered, data: rendered.json };
}

/** Re-projects (or purges from D1) each listed entry and object, from the DO's current state. */
export function scheduleRepairs(sql: SqlStorage, request: RepairRequest, nowSeconds: number): RepairResult {
  let reprojected = 0;
  let purged = 0;
  const { rows } = lookupLedgerRows(sql, request.ledgerSeqs);
  if (rows.length > 0) {
    const payload: LedgerOutboxPayload = { firstSeq: Math.min(...rows.map((r) => r.seq)), rows };
    appendOutbox(sql, 'recon_ledger', payload, nowSeconds);
    reprojected += rows.length;
  }
  const present = new Set(rows.map((r) => r.seq));
  const gone = request.ledgerSeqs.filter((seq) => !present.has(seq));
  if (gone.length > 0) {
    appendOutbox(sql, 'recon_purge_ledger', { firstSeq: Math.min(...gone), seqs: gone }, nowSeconds);
    purged += gone.length;
  }
  for (const id of request.objectIds) {
    const row = sql.exec<ObjectRow>('SELECT * FROM objects WHERE id = ?', id).toArray()[0];
    const projection = row ? projectionOf(row) : null;
    if (projection) {
      appendOutbox(sql, 'recon_record', projection, nowSeconds);
      reprojected += 1;
    } else if (!row) {
      appendOutbox(sql, 'recon_purge_record', { id }, nowSeconds);
      purged += 1;
    }
  }
  return { reprojected, purged };
}

export interface ReconciliationEvent {
  /** Emitted at most once per key, ever. */
  readonly key: string;
  readonly type: 'reconciliation.completed' | 'reconciliation.discrepancy_found';
  readonly object: unknown;
}

/** Emits the events whose keys are new; returns how many were emitted. */
export function emitOnce(host: ExecutionHost, events: readonly ReconciliationEvent[], nowSeconds: number): number {
  const ctx = systemContext(host, nowSeconds);
  if (ctx === null) throw new Error('reconciliation events for an account object that is not bound to an account');
  let emitted = 0;
  for (const event of events) {
    const fresh = host.sql
      .exec('INSERT INTO reconciliation_events (key, created) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING key', event.key, nowSeconds)
      .toArray();
    if (fresh.length === 0) continue;
    emit(ctx, event.type, event.object);
    emitted += 1;
  }
  return emitted;
}
