/**
 * All SQL of the account Durable Object. Business code calls these functions and never writes
 * SQL itself. Every function is synchronous: callers run them inside `transactionSync`, so a
 * load → decide → commit sequence has no `await` in the middle.
 */
import { assert } from '../src/domain/assert';
import type { IdempotencyRecord } from '../src/domain/idempotency/decide';

export interface StoredObject<T = unknown> {
  readonly id: string;
  readonly type: string;
  readonly seq: number;
  readonly created: number;
  readonly version: number;
  readonly deleted: boolean;
  readonly data: T;
}

/** Indexed columns a list can filter on; `data` holds the rest. */
export interface ObjectIndex {
  readonly customer?: string | null;
  readonly parent?: string | null;
  readonly status?: string | null;
  readonly email?: string | null;
}

interface ObjectRow extends Record<string, SqlStorageValue> {
  id: string;
  type: string;
  seq: number;
  created: number;
  version: number;
  deleted: number;
  data: string;
}

function toStoredObject<T>(row: ObjectRow): StoredObject<T> {
  return {
    id: row.id,
    type: row.type,
    seq: row.seq,
    created: row.created,
    version: row.version,
    deleted: row.deleted === 1,
    data: JSON.parse(row.data) as T,
  };
}

export function readObject<T>(sql: SqlStorage, id: string, type: string): StoredObject<T> | null {
  const row = sql.exec<ObjectRow>('SELECT * FROM objects WHERE id = ? AND type = ?', id, type).toArray()[0];
  return row ? toStoredObject<T>(row) : null;
}

export function insertObject(
  sql: SqlStorage,
  object: { id: string; type: string; created: number; data: unknown },
  index: ObjectIndex,
): StoredObject {
  const seqRow = sql.exec<{ next: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM objects').one();
  sql.exec(
    `INSERT INTO objects (id, type, seq, created, version, customer, parent, status, email, deleted, data)
     VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, 0, ?)`,
    object.id,
    object.type,
    seqRow.next,
    object.created,
    index.customer ?? null,
    index.parent ?? null,
    index.status ?? null,
    index.email ?? null,
    JSON.stringify(object.data),
  );
  return { id: object.id, type: object.type, seq: seqRow.next, created: object.created, version: 1, deleted: false, data: object.data };
}

export function updateObject(
  sql: SqlStorage,
  current: StoredObject,
  data: unknown,
  index: ObjectIndex,
  options: { deleted?: boolean } = {},
): StoredObject {
  const version = current.version + 1;
  const deleted = options.deleted ?? current.deleted;
  const cursor = sql.exec(
    `UPDATE objects SET version = ?, customer = ?, parent = ?, status = ?, email = ?, deleted = ?, data = ?
     WHERE id = ? AND version = ? RETURNING id`,
    version,
    index.customer ?? null,
    index.parent ?? null,
    index.status ?? null,
    index.email ?? null,
    deleted ? 1 : 0,
    JSON.stringify(data),
    current.id,
    current.version,
  );
  assert(cursor.toArray().length === 1, `object ${current.id} changed underneath an update`);
  return { ...current, version, deleted, data };
}

export interface ListQuery {
  readonly type: string;
  readonly limit: number;
  readonly startingAfter?: { created: number; seq: number };
  readonly endingBefore?: { created: number; seq: number };
  readonly created?: { gt?: number; gte?: number; lt?: number; lte?: number };
  readonly equals?: ObjectIndex;
  readonly includeDeleted?: boolean;
  readonly statusAnyOf?: readonly StatusPattern[];
}

/** An exact `status` value, or a prefix (the `charge.*` event-type wildcard). */
export type StatusPattern = { readonly exact: string } | { readonly prefix: string };

function statusClause(patterns: readonly StatusPattern[], bindings: SqlStorageValue[]): string {
  const clauses = patterns.map((pattern) => {
    if ('exact' in pattern) {
      bindings.push(pattern.exact);
      return 'status = ?';
    }
    bindings.push(`${pattern.prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return "status LIKE ? ESCAPE '\\'";
  });
  return `(${clauses.join(' OR ')})`;
}

/** Newest first; returns up to `limit` objects plus whether more exist in the paging direction. */
export function listObjects<T>(sql: SqlStorage, query: ListQuery): { objects: StoredObject<T>[]; hasMore: boolean } {
  const where: string[] = ['type = ?'];
  const bindings: SqlStorageValue[] = [query.type];
  if (!query.includeDeleted) where.push('deleted = 0');
  for (const column of ['customer', 'parent', 'status', 'email'] as const) {
    const value = query.equals?.[column];
    if (value !== undefined && value !== null) {
      where.push(`${column} = ?`);
      bindings.push(value);
    }
  }
  if (query.statusAnyOf && query.statusAnyOf.length > 0) where.push(statusClause(query.statusAnyOf, bindings));
  const ranges: Array<[keyof NonNullable<ListQuery['created']>, string]> = [
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
  ];
  for (const [name, op] of ranges) {
    const bound = query.created?.[name];
    if (bound !== undefined) {
      where.push(`created ${op} ?`);
      bindings.push(bound);
    }
  }
  let order = 'DESC';
  if (query.startingAfter) {
    where.push('(created < ? OR (created = ? AND seq < ?))');
    bindings.push(query.startingAfter.created, query.startingAfter.created, query.startingAfter.seq);
  } else if (query.endingBefore) {
    where.push('(created > ? OR (created = ? AND seq > ?))');
    bindings.push(query.endingBefore.created, query.endingBefore.created, query.endingBefore.seq);
    order = 'ASC';
  }
  const rows = sql
    .exec<ObjectRow>(
      `SELECT * FROM objects WHERE ${where.join(' AND ')} ORDER BY created ${order}, seq ${order} LIMIT ?`,
      ...bindings,
      query.limit + 1,
    )
    .toArray();
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  if (order === 'ASC') page.reverse();
  return { objects: page.map((row) => toStoredObject<T>(row)), hasMore };
}

// ── Idempotency keys ──────────────────────────────────────────────────────────

interface IdempotencyRow extends Record<string, SqlStorageValue> {
  key: string;
  fingerprint: string;
  endpoint: string;
  state: string;
  recovery_point: string;
  locked_at: number | null;
  created: number;
  request_id: string;
  response_status: number | null;
  response_body: string | null;
}

export function readIdempotencyRecord(sql: SqlStorage, key: string): IdempotencyRecord | null {
  const row = sql.exec<IdempotencyRow>('SELECT * FROM idempotency_keys WHERE key = ?', key).toArray()[0];
  if (!row) return null;
  assert(row.state === 'in_progress' || row.state === 'completed', 'idempotency state is known');
  return {
    key: row.key,
    fingerprint: row.fingerprint,
    endpoint: row.endpoint,
    state: row.state,
    recoveryPoint: row.recovery_point,
    lockedAtSeconds: row.locked_at,
    createdSeconds: row.created,
    responseStatus: row.response_status,
    responseBody: row.response_body,
  };
}

export interface IdempotencyWrite {
  readonly key: string;
  readonly fingerprint: string;
  readonly endpoint: string;
  readonly requestId: string;
  readonly nowSeconds: number;
}

/**
 * Claims (or re-claims) a key for a phased execution: state in_progress, locked now, with the
 * saved phase state a later retry or the completer needs to resume.
 */
export function lockIdempotencyKey(sql: SqlStorage, write: IdempotencyWrite, recoveryPoint: string, phaseState: string): void {
  sql.exec(
    `INSERT INTO idempotency_keys (key, fingerprint, endpoint, state, recovery_point, locked_at, created, request_id, phase_state)
     VALUES (?, ?, ?, 'in_progress', ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET fingerprint = excluded.fingerprint, endpoint = excluded.endpoint,
       state = 'in_progress', recovery_point = excluded.recovery_point, locked_at = excluded.locked_at,
       created = excluded.created, request_id = excluded.request_id, phase_state = excluded.phase_state,
       response_status = NULL, response_body = NULL`,
    write.key,
    write.fingerprint,
    write.endpoint,
    recoveryPoint,
    write.nowSeconds,
    write.nowSeconds,
    write.requestId,
    phaseState,
  );
}

export function readPhaseState(sql: SqlStorage, key: string): string | null {
  return sql.exec<{ phase_state: string | null }>('SELECT phase_state FROM idempotency_keys WHERE key = ?', key).toArray()[0]?.phase_state ?? null;
}

/** Re-takes the lock of an in-progress key (a retry or the completer resuming it). */
export function relockIdempotencyKey(sql: SqlStorage, key: string, nowSeconds: number): void {
  sql.exec("UPDATE idempotency_keys SET locked_at = ? WHERE key = ? AND state = 'in_progress'", nowSeconds, key);
}

/**
 * In-progress keys abandoned mid-way: locked longer ago than the cutoff, or released (by a failed
 * attempt, which the client may retry at once) and begun longer ago than the cutoff. The completer
 * leaves freshly released keys to the client's own retry, so the two do not race into a 409.
 */
export function listStalledKeys(sql: SqlStorage, cutoffSeconds: number, max: number): string[] {
  return sql
    .exec<{ key: string }>(
      `SELECT key FROM idempotency_keys WHERE state = 'in_progress'
         AND (locked_at < ? OR (locked_at IS NULL AND created < ?))
       ORDER BY created LIMIT ?`,
      cutoffSeconds,
      cutoffSeconds,
      max,
    )
    .toArray()
    .map((row) => row.key);
}

export function countInProgressKeys(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency_keys WHERE state = 'in_progress'").one().n;
}

export function setRecoveryPoint(sql: SqlStorage, key: string, recoveryPoint: string, nowSeconds: number): void {
  sql.exec('UPDATE idempotency_keys SET recovery_point = ?, locked_at = ? WHERE key = ?', recoveryPoint, nowSeconds, key);
}

export function releaseIdempotencyLock(sql: SqlStorage, key: string): void {
  sql.exec("UPDATE idempotency_keys SET locked_at = NULL WHERE key = ? AND state = 'in_progress'", key);
}

export function completeIdempotencyKey(
  sql: SqlStorage,
  write: IdempotencyWrite,
  response: { status: number; body: string },
): void {
  sql.exec(
    `INSERT INTO idempotency_keys (key, fingerprint, endpoint, state, recovery_point, locked_at, created, request_id, response_status, response_body)
     VALUES (?, ?, ?, 'completed', 'finished', NULL, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET state = 'completed', recovery_point = 'finished', locked_at = NULL,
       phase_state = NULL, response_status = excluded.response_status, response_body = excluded.response_body,
       created = CASE WHEN idempotency_keys.state = 'completed' THEN excluded.created ELSE idempotency_keys.created END`,
    write.key,
    write.fingerprint,
    write.endpoint,
    write.nowSeconds,
    write.requestId,
    response.status,
    response.body,
  );
}

/** Deletes up to `max` completed keys created before `cutoffSeconds`; never unfinished ones. */
export function pruneIdempotencyKeys(sql: SqlStorage, cutoffSeconds: number, max: number): number {
  return sql
    .exec(
      `DELETE FROM idempotency_keys WHERE key IN (
         SELECT key FROM idempotency_keys WHERE state = 'completed' AND created < ? ORDER BY created LIMIT ?) RETURNING key`,
      cutoffSeconds,
      max,
    )
    .toArray().length;
}

export function oldestIdempotencyKeySeconds(sql: SqlStorage): number | null {
  const row = sql.exec<{ created: number | null }>("SELECT MIN(created) AS created FROM idempotency_keys WHERE state = 'completed'").one();
  return row.created;
}

// ── Outbox ───────────────────────────────────────────────────────────────────

export interface OutboxRow {
  readonly seq: number;
  readonly kind: string;
  readonly payload: string;
  readonly attempts: number;
}

export function appendOutbox(sql: SqlStorage, kind: string, payload: unknown, nowSeconds: number): void {
  sql.exec('INSERT INTO outbox (kind, payload, created) VALUES (?, ?, ?)', kind, JSON.stringify(payload), nowSeconds);
}

export function readOutbox(sql: SqlStorage, max: number): OutboxRow[] {
  return sql
    .exec<{ seq: number; kind: string; payload: string; attempts: number }>(
      "SELECT seq, kind, payload, attempts FROM outbox WHERE kind NOT LIKE 'quarantined:%' ORDER BY seq LIMIT ?",
      max,
    )
    .toArray();
}

export function deleteOutboxThrough(sql: SqlStorage, seqs: readonly number[]): void {
  for (const seq of seqs) sql.exec('DELETE FROM outbox WHERE seq = ?', seq);
}

export function markOutboxAttempt(sql: SqlStorage, seqs: readonly number[]): void {
  for (const seq of seqs) sql.exec('UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?', seq);
}

export function countOutbox(sql: SqlStorage): number {
  return sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE kind NOT LIKE 'quarantined:%'").one().n;
}

/**
 * Takes a row that keeps failing on its own while its neighbours succeed (poison: a payload its
 * destination refuses) out of the drain, kept in place for a person to inspect. Reconciliation
 * then finds the missing D1 row and re-projects it from the account's current state.
 */
export function quarantineOutboxRow(sql: SqlStorage, seq: number): void {
  sql.exec("UPDATE outbox SET kind = 'quarantined:' || kind WHERE seq = ? AND kind NOT LIKE 'quarantined:%'", seq);
}

export function listQuarantinedOutbox(sql: SqlStorage, max: number): OutboxRow[] {
  return sql
    .exec<{ seq: number; kind: string; payload: string; attempts: number }>(
      "SELECT seq, kind, payload, attempts FROM outbox WHERE kind LIKE 'quarantined:%' ORDER BY seq LIMIT ?",
      max,
    )
    .toArray();
}

// ── Revoked keys and settings ────────────────────────────────────────────────

export function isKeyRevoked(sql: SqlStorage, keyId: string): boolean {
  return sql.exec('SELECT 1 FROM revoked_keys WHERE key_id = ?', keyId).toArray().length > 0;
}

export function revokeKey(sql: SqlStorage, keyId: string, nowSeconds: number): boolean {
  return (
    sql.exec('INSERT INTO revoked_keys (key_id, revoked_at) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING key_id', keyId, nowSeconds).toArray()
      .length === 1
  );
}

export function readSetting(sql: SqlStorage, name: string): string | null {
  return sql.exec<{ value: string }>('SELECT value FROM settings WHERE name = ?', name).toArray()[0]?.value ?? null;
}

export function writeSetting(sql: SqlStorage, name: string, value: string): void {
  sql.exec('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value', name, value);
}

/** An object of any type by id (for expansion). */
export function readAnyObject(sql: SqlStorage, id: string): StoredObject | null {
  const row = sql.exec<ObjectRow>('SELECT * FROM objects WHERE id = ?', id).toArray()[0];
  return row ? toStoredObject(row) : null;
}
