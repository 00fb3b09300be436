/** Refunds with their scheduled status change. Synchronous SQL, run inside transactionSync. */
import type {
  RefundFailureReason,
  RefundStatus,
  RefundTransition,
} from '../../src/domain/cards/processing/protocol';

// ── refunds ───────────────────────────────────────────────────────────────────

export interface RefundRecord {
  readonly id: string;
  readonly reference: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly currency: string;
  readonly status: RefundStatus;
  readonly failureReason: RefundFailureReason | null;
  readonly transition: RefundTransition | null;
  readonly createdSeconds: number;
}

interface RefundRow extends Record<string, SqlStorageValue> {
  id: string;
  reference: string;
  authorization_id: string;
  amount: number;
  currency: string;
  status: string;
  failure_reason: string | null;
  transition_status: string | null;
  transition_at: number | null;
  transition_failure_reason: string | null;
  created: number;
}

function toRefundRecord(row: RefundRow): RefundRecord {
  const transition: RefundTransition | null =
    row.transition_status === null || row.transition_at === null
      ? null
      : {
          status: row.transition_status as RefundTransition['status'],
          atSeconds: row.transition_at,
          failureReason: row.transition_failure_reason as RefundFailureReason | null,
        };
  return {
    id: row.id,
    reference: row.reference,
    authorizationId: row.authorization_id,
    amount: row.amount,
    currency: row.currency,
    status: row.status as RefundStatus,
    failureReason: row.failure_reason as RefundFailureReason | null,
    transition,
    createdSeconds: row.created,
  };
}

export function insertRefund(sql: SqlStorage, refund: RefundRecord): void {
  sql.exec(
    `INSERT INTO refunds (id, reference, authorization_id, amount, currency, status, failure_reason,
                          transition_status, transition_at, transition_failure_reason, created)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    refund.id,
    refund.reference,
    refund.authorizationId,
    refund.amount,
    refund.currency,
    refund.status,
    refund.failureReason,
    refund.transition?.status ?? null,
    refund.transition?.atSeconds ?? null,
    refund.transition?.failureReason ?? null,
    refund.createdSeconds,
  );
}

export function readRefundByReference(sql: SqlStorage, reference: string): RefundRecord | null {
  const row = sql.exec<RefundRow>('SELECT * FROM refunds WHERE reference = ?', reference).toArray()[0];
  return row ? toRefundRecord(row) : null;
}

/** Refunds whose scheduled change is due, oldest first. */
export function readDueRefunds(sql: SqlStorage, nowSeconds: number): RefundRecord[] {
  return sql
    .exec<RefundRow>('SELECT * FROM refunds WHERE transition_at IS NOT NULL AND transition_at <= ? ORDER BY transition_at, id', nowSeconds)
    .toArray()
    .map(toRefundRecord);
}

/** Makes the scheduled change the refund's status and clears the schedule. */
export function completeRefundTransition(sql: SqlStorage, refund: RefundRecord): void {
  sql.exec(
    `UPDATE refunds SET status = transition_status, failure_reason = transition_failure_reason,
       transition_status = NULL, transition_at = NULL, transition_failure_reason = NULL
     WHERE id = ? AND transition_at IS NOT NULL`,
    refund.id,
  );
}
