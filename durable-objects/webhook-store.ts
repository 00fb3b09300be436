/**
 * SQL of events and webhooks in the account DO (migration 5): endpoint secrets, deliveries (one
 * row per event × endpoint that should receive it), the attempt log, and event retention.
 * Synchronous, like store.ts: callers run these inside `transactionSync`.
 */
import type { StoredObject } from './store';

export const ENDPOINT_TYPE = 'webhook_endpoint';

// ── Endpoints (rows of `objects`) ────────────────────────────────────────────

export function countLiveEndpoints(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM objects WHERE type = ? AND deleted = 0", ENDPOINT_TYPE).one().n;
}

/** Enabled, not deleted endpoints, oldest first: the candidates for a new event. */
export function readEnabledEndpoints<T>(sql: SqlStorage): Array<Pick<StoredObject<T>, 'id' | 'data'>> {
  return sql
    .exec<{ id: string; data: string }>(
      "SELECT id, data FROM objects WHERE type = ? AND deleted = 0 AND status = 'enabled' ORDER BY seq",
      ENDPOINT_TYPE,
    )
    .toArray()
    .map((row) => ({ id: row.id, data: JSON.parse(row.data) as T }));
}

// ── Secrets ──────────────────────────────────────────────────────────────────

export function insertSecret(sql: SqlStorage, endpointId: string, secret: string, nowSeconds: number): void {
  sql.exec('INSERT INTO webhook_secrets (endpoint_id, secret, created, expires) VALUES (?, ?, ?, NULL)', endpointId, secret, nowSeconds);
}

/** Gives every still-active secret of the endpoint an expiry (a rotation's overlap window). */
export function expireSecrets(sql: SqlStorage, endpointId: string, expiresSeconds: number): void {
  sql.exec(
    'UPDATE webhook_secrets SET expires = ? WHERE endpoint_id = ? AND (expires IS NULL OR expires > ?)',
    expiresSeconds,
    endpointId,
    expiresSeconds,
  );
}

/** Secrets that sign a delivery sent now, newest first. */
export function activeSecrets(sql: SqlStorage, endpointId: string, nowSeconds: number): string[] {
  return sql
    .exec<{ secret: string }>(
      'SELECT secret FROM webhook_secrets WHERE endpoint_id = ? AND (expires IS NULL OR expires > ?) ORDER BY created DESC, expires IS NULL DESC',
      endpointId,
      nowSeconds,
    )
    .toArray()
    .map((row) => row.secret);
}

export function deleteSecrets(sql: SqlStorage, endpointId: string): void {
  sql.exec('DELETE FROM webhook_secrets WHERE endpoint_id = ?', endpointId);
}

export function pruneExpiredSecrets(sql: SqlStorage, nowSeconds: number): void {
  sql.exec('DELETE FROM webhook_secrets WHERE expires IS NOT NULL AND expires <= ?', nowSeconds);
}

// ── Deliveries ───────────────────────────────────────────────────────────────

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'dead';

export interface DeliveryRow {
  readonly state: DeliveryState;
  readonly attempts: number;
}

export function insertDelivery(sql: SqlStorage, eventId: string, endpointId: string, nowSeconds: number): void {
  sql.exec(
    "INSERT INTO webhook_deliveries (event_id, endpoint_id, state, attempts, created, updated) VALUES (?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING",
    eventId,
    endpointId,
    nowSeconds,
    nowSeconds,
  );
}

export function readDelivery(sql: SqlStorage, eventId: string, endpointId: string): DeliveryRow | null {
  const row = sql
    .exec<{ state: string; attempts: number }>('SELECT state, attempts FROM webhook_deliveries WHERE event_id = ? AND endpoint_id = ?', eventId, endpointId)
    .toArray()[0];
  return row ? { state: row.state as DeliveryState, attempts: row.attempts } : null;
}

export function updateDelivery(sql: SqlStorage, eventId: string, endpointId: string, row: DeliveryRow, nowSeconds: number): void {
  sql.exec(
    'UPDATE webhook_deliveries SET state = ?, attempts = ?, updated = ? WHERE event_id = ? AND endpoint_id = ?',
    row.state,
    row.attempts,
    nowSeconds,
    eventId,
    endpointId,
  );
}

// ── Attempt log ──────────────────────────────────────────────────────────────

export type AttemptOutcome = 'delivered' | 'failed' | 'gone' | 'dead';

export interface AttemptRow {
  readonly seq: number;
  readonly eventId: string;
  readonly endpointId: string;
  readonly attemptedAt: number;
  readonly attempt: number;
  readonly outcome: AttemptOutcome;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number | null;
  readonly manual: boolean;
}

export function insertAttempt(sql: SqlStorage, row: Omit<AttemptRow, 'seq'>): void {
  sql.exec(
    `INSERT INTO webhook_attempts (event_id, endpoint_id, attempted_at, attempt, outcome, status_code, error, duration_ms, manual)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    row.eventId,
    row.endpointId,
    row.attemptedAt,
    row.attempt,
    row.outcome,
    row.statusCode,
    row.error,
    row.durationMs,
    row.manual ? 1 : 0,
  );
}

interface AttemptSqlRow extends Record<string, SqlStorageValue> {
  seq: number;
  event_id: string;
  endpoint_id: string;
  attempted_at: number;
  attempt: number;
  outcome: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
  manual: number;
}

/** Newest first; `beforeSeq` pages backwards; returns one extra row to tell `has_more`. */
export function listAttempts(sql: SqlStorage, endpointId: string, query: { eventId?: string; beforeSeq?: number; limit: number }): AttemptRow[] {
  const where = ['endpoint_id = ?'];
  const bindings: SqlStorageValue[] = [endpointId];
  if (query.eventId !== undefined) {
    where.push('event_id = ?');
    bindings.push(query.eventId);
  }
  if (query.beforeSeq !== undefined) {
    where.push('seq < ?');
    bindings.push(query.beforeSeq);
  }
  return sql
    .exec<AttemptSqlRow>(`SELECT * FROM webhook_attempts WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`, ...bindings, query.limit + 1)
    .toArray()
    .map((r) => ({
      seq: r.seq,
      eventId: r.event_id,
      endpointId: r.endpoint_id,
      attemptedAt: r.attempted_at,
      attempt: r.attempt,
      outcome: r.outcome as AttemptOutcome,
      statusCode: r.status_code,
      error: r.error,
      durationMs: r.duration_ms,
      manual: r.manual === 1,
    }));
}

// ── Retention ────────────────────────────────────────────────────────────────

export function oldestEventSeconds(sql: SqlStorage): number | null {
  return sql.exec<{ created: number | null }>("SELECT MIN(created) AS created FROM objects WHERE type = 'event'").one().created;
}

/**
 * Deletes up to `max` events created before the cutoff with their deliveries, and up to `max`
 * attempt-log rows older than the cutoff; returns the events' ids (their D1 copies go too) and how
 * many rows went in all.
 */
export function pruneEvents(sql: SqlStorage, cutoffSeconds: number, max: number): { readonly eventIds: string[]; readonly removed: number } {
  const ids = sql
    .exec<{ id: string }>("SELECT id FROM objects WHERE type = 'event' AND created < ? ORDER BY created LIMIT ?", cutoffSeconds, max)
    .toArray()
    .map((row) => row.id);
  for (const id of ids) {
    sql.exec("DELETE FROM objects WHERE id = ? AND type = 'event'", id);
    sql.exec('DELETE FROM webhook_deliveries WHERE event_id = ?', id);
  }
  const attempts = sql
    .exec(
      'DELETE FROM webhook_attempts WHERE seq IN (SELECT seq FROM webhook_attempts WHERE attempted_at < ? ORDER BY attempted_at LIMIT ?) RETURNING seq',
      cutoffSeconds,
      max,
    )
    .toArray().length;
  return { eventIds: ids, removed: ids.length + attempts };
}
