/**
 * edgepay extension objects: `reconciliation.run` and `reconciliation.discrepancy`, in Stripe's
 * conventions (snake_case, unix seconds, ids with a prefix, `object` naming the type). Counts list
 * every class, zeros included, so a client can read `discrepancy_counts.amount` without guessing.
 */
import type { SideTotal } from '../../domain/reconciliation/compare';
import { DISCREPANCY_CLASSES, type LedgerMovement } from '../../domain/reconciliation/discrepancy';
import type { ReconciliationRun, RecordedDiscrepancy, Resolution } from '../../domain/reconciliation/run';
import type { SettlementLine } from '../../domain/cards/processing/protocol';

function totalsJson(totals: Readonly<Record<string, SideTotal>>) {
  return Object.fromEntries(Object.entries(totals).map(([currency, t]) => [currency, { count: t.count, amount: t.amount, fee: t.fee }]));
}

export function toRunJson(run: ReconciliationRun) {
  return {
    id: run.id,
    object: 'reconciliation.run' as const,
    livemode: run.livemode,
    created: run.created,
    window: { start: run.window.startSeconds, end: run.window.endSeconds },
    status: run.status,
    passes: run.passes,
    discrepancy_counts: Object.fromEntries(DISCREPANCY_CLASSES.map((cls) => [cls, run.counts[cls] ?? 0])),
    totals: run.totals === null ? null : { ledger: totalsJson(run.totals.ledger), processor: totalsJson(run.totals.processor) },
    checked: {
      ledger_entries: run.checks.ledgerEntries,
      money_objects: run.checks.moneyObjects,
      movements: run.checks.movements,
      settlement_lines: run.checks.settlementLines,
      messages: run.checks.messages,
    },
    failure_message: run.failure,
    started_at: run.startedAt,
    completed_at: run.completedAt,
  };
}

function movementJson(m: LedgerMovement) {
  return {
    balance_transaction: m.balanceTransaction,
    source: m.objectId,
    operation: m.operation,
    amount: m.amount,
    currency: m.currency,
    fee: m.fee,
    expected_fee: m.expectedFee,
    status: m.status,
    occurred_at: m.occurredAtSeconds,
  };
}

function lineJson(line: SettlementLine) {
  return {
    line_id: line.lineId,
    operation: line.operation,
    amount: line.amount,
    currency: line.currency,
    fee: line.processorFee ?? 0,
    effective_at: line.effectiveAtSeconds,
    settled_at: line.settledAtSeconds,
  };
}

function resolutionJson(resolution: Resolution) {
  const { adjustment } = resolution;
  return {
    note: resolution.note,
    resolved_at: resolution.resolvedAt,
    adjustment: adjustment === null ? null : { balance_transaction: adjustment.balanceTransaction, amount: adjustment.amount, currency: adjustment.currency },
  };
}

export function toDiscrepancyJson(d: RecordedDiscrepancy) {
  const details = d.details;
  return {
    id: d.id,
    object: 'reconciliation.discrepancy' as const,
    livemode: d.livemode,
    created: d.created,
    run: d.runId,
    class: d.class,
    status: d.status,
    reference: d.reference,
    ledger: details.kind === 'settlement' && details.ledger !== null ? movementJson(details.ledger) : null,
    processor: details.kind === 'settlement' ? details.processor.map(lineJson) : null,
    object_status: details.kind === 'settlement' ? (details.objectStatus ?? null) : null,
    projection:
      details.kind === 'projection'
        ? { subject: details.subject, id: details.id, fields: details.fields, source: details.source, copy: details.copy }
        : null,
    balance:
      details.kind === 'balance' ? { currency: details.currency, account: details.account, cached: details.cached, folded: details.folded } : null,
    resolution: d.resolution ? resolutionJson(d.resolution) : null,
  };
}
