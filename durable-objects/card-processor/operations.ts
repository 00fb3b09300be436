/**
 * Operations (the processor's idempotency record and audit log, keyed by our reference) and
 * authorisations. Synchronous SQL: callers run it inside one transactionSync.
 */
import type { AuthorizationState } from '../../src/domain/cards/processing/decide';
import type { ProcessorOperationKind } from '../../src/domain/cards/processing/protocol';

// ── operations ────────────────────────────────────────────────────────────────

export interface StoredOperation {
  readonly kind: ProcessorOperationKind;
  readonly fingerprint: string;
  readonly result: unknown;
}

export function readOperation(sql: SqlStorage, reference: string): StoredOperation | null {
  const row = sql
    .exec<{ kind: string; fingerprint: string; result: string }>(
      'SELECT kind, fingerprint, result FROM operations WHERE reference = ?',
      reference,
    )
    .toArray()[0];
  if (!row) return null;
  return { kind: row.kind as ProcessorOperationKind, fingerprint: row.fingerprint, result: JSON.parse(row.result) };
}

export function insertOperation(
  sql: SqlStorage,
  op: { reference: string; kind: ProcessorOperationKind; fingerprint: string; result: unknown; authorizationId: string | null; nowSeconds: number },
): void {
  sql.exec(
    'INSERT INTO operations (reference, kind, fingerprint, result, authorization_id, created) VALUES (?, ?, ?, ?, ?, ?)',
    op.reference,
    op.kind,
    op.fingerprint,
    JSON.stringify(op.result),
    op.authorizationId,
    op.nowSeconds,
  );
}

export function countOperations(sql: SqlStorage, reference?: string): number {
  const row =
    reference === undefined
      ? sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM operations').one()
      : sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM operations WHERE reference = ?', reference).one();
  return row.n;
}

// ── authorizations ────────────────────────────────────────────────────────────

interface AuthorizationRow extends Record<string, SqlStorageValue> {
  id: string;
  amount: number;
  currency: string;
  captured: number;
  refunded: number;
  status: string;
  refund_behaviour: string;
  created: number;
}

export function readAuthorization(sql: SqlStorage, id: string): AuthorizationState | null {
  const row = sql.exec<AuthorizationRow>('SELECT * FROM authorizations WHERE id = ?', id).toArray()[0];
  if (!row) return null;
  return {
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    status: row.status as AuthorizationState['status'],
    capturedAmount: row.captured,
    refundedAmount: row.refunded,
    refundBehaviour: row.refund_behaviour as AuthorizationState['refundBehaviour'],
    createdSeconds: row.created,
  };
}

export function insertAuthorization(sql: SqlStorage, auth: AuthorizationState & { reference: string }): void {
  sql.exec(
    `INSERT INTO authorizations (id, reference, amount, currency, captured, refunded, status, refund_behaviour, created)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    auth.id,
    auth.reference,
    auth.amount,
    auth.currency,
    auth.capturedAmount,
    auth.status,
    auth.refundBehaviour,
    auth.createdSeconds,
  );
}

export function markCaptured(sql: SqlStorage, id: string, capturedAmount: number): void {
  sql.exec("UPDATE authorizations SET status = 'captured', captured = ? WHERE id = ? AND status = 'authorized'", capturedAmount, id);
}

export function markVoided(sql: SqlStorage, id: string, releasedAmount: number): void {
  sql.exec("UPDATE authorizations SET status = 'voided', voided = ? WHERE id = ? AND status = 'authorized'", releasedAmount, id);
}

/** Adds (or, for a failed refund, subtracts) refunded amount; the CHECK keeps it ≤ captured. */
export function addRefunded(sql: SqlStorage, id: string, delta: number): void {
  sql.exec('UPDATE authorizations SET refunded = refunded + ? WHERE id = ?', delta, id);
}
