/**
 * One SQLite-backed Durable Object per merchant account and mode: the single source of truth
 * for the account's objects, idempotency records and outbox. Each RPC loads, decides and
 * commits inside one `transactionSync`, so the effect, its events, its outbox rows and its
 * idempotency record are written together or not at all.
 */
import { DurableObject } from 'cloudflare:workers';
import { decideIdempotency } from '../src/domain/idempotency/decide';
import { IDEMPOTENCY_KEY_TTL_SECONDS, IDEMPOTENCY_PRUNE_BATCH_MAX } from '../src/domain/limits';
import { fromDomainError, internalError, type WireError } from '../src/stripe/errors';
import { newObjectId } from '../src/platform/ids';
import { API_VERSION, type OperationContext, type RequestInfo } from './context';
import { handlerFor, type OperationCall } from './operations';
import { drainOutboxOnce, outboxRetryDelayMs } from './outbox';
import { ensureSchema } from './schema';
import {
  appendOutbox,
  completeIdempotencyKey,
  countOutbox,
  isKeyRevoked,
  oldestIdempotencyKeySeconds,
  pruneIdempotencyKeys,
  readIdempotencyRecord,
  readSetting,
  revokeKey,
  writeSetting,
  type IdempotencyWrite,
} from './store';

export interface CallMeta {
  readonly accountId: string;
  readonly livemode: boolean;
  readonly keyId: string;
  readonly requestId: string;
  readonly apiVersion: string;
  /** Present on POSTs: the key and the fingerprint of (method, path, decoded params). */
  readonly idempotency: { readonly key: string; readonly fingerprint: string; readonly endpoint: string } | null;
}

export interface CallResponse {
  readonly status: number;
  /** The exact bytes of the JSON body; replays return the stored bytes unchanged. */
  readonly body: string;
  readonly replayed: boolean;
  /** Sent as `Stripe-Should-Retry` when set. */
  readonly shouldRetry?: boolean;
}

const OUTBOX_DRAIN_DELAY_MS = 20;

function errorResponse(error: WireError, shouldRetry?: boolean): CallResponse {
  const response = { status: error.status, body: JSON.stringify({ error: error.error }), replayed: false };
  return shouldRetry === undefined ? response : { ...response, shouldRetry };
}

export class MerchantAccount extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** A hint only (lost on eviction, then re-armed): avoids re-arming the alarm on every write. */
  private alarmArmed = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => {
      ensureSchema(ctx.storage);
    });
  }

  private get testMode(): boolean {
    return this.env.ENVIRONMENT === 'test';
  }

  private nowSeconds(): number {
    const offset = this.testMode ? Number(readSetting(this.sql, 'test_clock_offset_seconds') ?? '0') : 0;
    return Math.floor(Date.now() / 1000) + offset;
  }

  private context(meta: CallMeta, nowSeconds: number): OperationContext {
    const request: RequestInfo = {
      id: meta.requestId,
      idempotencyKey: meta.idempotency?.key ?? null,
      apiVersion: meta.apiVersion || API_VERSION,
    };
    return {
      sql: this.sql,
      accountId: meta.accountId,
      livemode: meta.livemode,
      nowSeconds,
      newId: newObjectId,
      request,
      testMode: this.testMode,
    };
  }

  /** Binds this object to its account on first use and registers the account in D1 (via the outbox). */
  private bindAccount(meta: CallMeta, nowSeconds: number): void {
    const bound = readSetting(this.sql, 'account_id');
    if (bound === null) {
      writeSetting(this.sql, 'account_id', meta.accountId);
      writeSetting(this.sql, 'livemode', meta.livemode ? '1' : '0');
      appendOutbox(this.sql, 'account', { accountId: meta.accountId, livemode: meta.livemode, createdSeconds: nowSeconds }, nowSeconds);
      return;
    }
    if (bound !== meta.accountId || readSetting(this.sql, 'livemode') !== (meta.livemode ? '1' : '0')) {
      throw new Error('account object reached with another account’s credentials');
    }
  }

  /** Runs one API operation. Idempotent POSTs commit their record with the effect. */
  async execute(call: OperationCall, meta: CallMeta): Promise<CallResponse> {
    const nowSeconds = this.nowSeconds();
    if (isKeyRevoked(this.sql, meta.keyId)) return errorResponse(fromDomainError({ reason: 'api_key_revoked' }));
    let response: CallResponse;
    try {
      response = this.ctx.storage.transactionSync(() => this.executeInTransaction(call, meta, nowSeconds));
    } catch (error) {
      console.error(`operation ${call.name} failed: ${error instanceof Error ? error.stack ?? error.message : 'unknown'}`);
      response = this.recordFailure(meta, nowSeconds);
    }
    this.armOutboxAlarm();
    return response;
  }

  private executeInTransaction(call: OperationCall, meta: CallMeta, nowSeconds: number): CallResponse {
    this.bindAccount(meta, nowSeconds);
    const idem = meta.idempotency;
    if (idem !== null) {
      const decision = decideIdempotency(readIdempotencyRecord(this.sql, idem.key), idem, nowSeconds);
      switch (decision.action) {
        case 'replay':
          return { status: decision.status, body: decision.body, replayed: true, ...(decision.status >= 500 ? { shouldRetry: false } : {}) };
        case 'reject_mismatch':
          return errorResponse(fromDomainError({ reason: 'idempotency_key_reused', differs: decision.differs }));
        case 'reject_in_progress':
          return errorResponse(fromDomainError({ reason: 'idempotency_key_in_use' }));
        case 'execute':
        case 'resume':
          break;
      }
    }
    const result = handlerFor(call)(this.context(meta, nowSeconds), call.input);
    const response: CallResponse = result.ok
      ? { status: 200, body: JSON.stringify(result.value), replayed: false }
      : errorResponse(fromDomainError(result.error));
    if (idem !== null) completeIdempotencyKey(this.sql, this.idempotencyWrite(meta, nowSeconds), response);
    return response;
  }

  private idempotencyWrite(meta: CallMeta, nowSeconds: number): IdempotencyWrite {
    const idem = meta.idempotency!;
    return { key: idem.key, fingerprint: idem.fingerprint, endpoint: idem.endpoint, requestId: meta.requestId, nowSeconds };
  }

  /**
   * A bug (thrown error) rolled the transaction back, so nothing of the effect exists. Stripe
   * stores a 500 raised after execution began and replays it; `Stripe-Should-Retry: false` tells
   * SDKs not to retry a response that cannot change.
   */
  private recordFailure(meta: CallMeta, nowSeconds: number): CallResponse {
    const response = errorResponse(internalError(), false);
    if (meta.idempotency === null) return response;
    try {
      this.ctx.storage.transactionSync(() => completeIdempotencyKey(this.sql, this.idempotencyWrite(meta, nowSeconds), response));
    } catch (error) {
      console.error(`could not record failure: ${error instanceof Error ? error.message : 'unknown'}`);
    }
    return response;
  }

  /** Revokes an API key (by its `jti`) for this account; every later request with it gets 401. */
  async revokeApiKey(keyId: string): Promise<{ revoked: boolean }> {
    return { revoked: revokeKey(this.sql, keyId, this.nowSeconds()) };
  }

  private armOutboxAlarm(): void {
    if (this.alarmArmed) return;
    this.alarmArmed = true;
    void this.ctx.storage.setAlarm(Date.now() + OUTBOX_DRAIN_DELAY_MS);
  }

  override async alarm(): Promise<void> {
    this.alarmArmed = false;
    const accountId = readSetting(this.sql, 'account_id');
    if (accountId === null) return;
    const account = { accountId, livemode: readSetting(this.sql, 'livemode') === '1' };
    for (;;) {
      const result = await drainOutboxOnce(this.sql, this.env.DB, account);
      if ('failed' in result) {
        this.alarmArmed = true;
        await this.ctx.storage.setAlarm(Date.now() + outboxRetryDelayMs(result.attempts, Math.random()));
        return;
      }
      if (!result.remaining) break;
    }
    this.pruneIdempotencyKeys();
    if (countOutbox(this.sql) > 0) this.armOutboxAlarm();
  }

  /** Deletes completed keys past the retention window, a bounded batch per alarm run. */
  private pruneIdempotencyKeys(): void {
    const nowSeconds = this.nowSeconds();
    const oldest = oldestIdempotencyKeySeconds(this.sql);
    if (oldest === null) return;
    const cutoff = nowSeconds - IDEMPOTENCY_KEY_TTL_SECONDS;
    if (oldest >= cutoff) {
      if (!this.alarmArmed) void this.ctx.storage.setAlarm(Date.now() + (oldest - cutoff + 1) * 1000);
      return;
    }
    pruneIdempotencyKeys(this.sql, cutoff, IDEMPOTENCY_PRUNE_BATCH_MAX);
    this.armOutboxAlarm();
  }

  // ── Test-only seams: inert unless ENVIRONMENT is "test" ───────────────────────

  async setClockOffsetForTest(offsetSeconds: number): Promise<void> {
    if (!this.testMode) throw new Error('test-only');
    writeSetting(this.sql, 'test_clock_offset_seconds', String(offsetSeconds));
  }

  async outboxSizeForTest(): Promise<number> {
    if (!this.testMode) throw new Error('test-only');
    return countOutbox(this.sql);
  }
}
