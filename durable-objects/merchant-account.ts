/**
 * One SQLite-backed Durable Object per merchant account and mode: the single source of truth
 * for the account's objects, idempotency records and outbox. Execution rules live in
 * `execution.ts`; this class is the shell: clock, keyed fingerprints, revocation, alarms
 * (outbox drain, completer, idempotency pruning) and the test-only seams.
 */
import { DurableObject } from 'cloudflare:workers';
import { createHmac } from 'node:crypto';
import { IDEMPOTENCY_KEY_TTL_SECONDS, IDEMPOTENCY_LOCK_TIMEOUT_SECONDS, IDEMPOTENCY_PRUNE_BATCH_MAX, OUTBOX_DRAIN_ROWS_PER_ALARM_MAX } from '../src/domain/limits';
import { fromDomainError } from '../src/stripe/errors';
import { randomBase62 } from '../src/platform/ids';
import { processorFor } from '../src/platform/processor';
import type { KnownObject } from '../src/domain/reconciliation/discrepancy';
import type { MoneyObjectType } from '../src/domain/reconciliation/internal';
import type { PaymentIntent } from '../src/domain/payments/payment-intent';
import type { Services } from './context';
import { executeCall, resumeStalledKey, systemContext, type CallMeta, type CallResponse, type ExecutionHost, type FaultPoint } from './execution';
import type { OperationCall } from './operations';
import { fullBucket, parseRate, takeToken, type TokenBucket } from '../src/domain/rate-limit';
import { drainOutboxOnce, outboxRetryDelayMs } from './outbox';
import { planDelivery, pruneExpiredEvents, recordAttempt, type AttemptReport, type DeliveryPlan } from './webhook-delivery';
import {
  exportLedgerPage,
  exportMovements,
  exportObjectPage,
  knownObjects,
  lookupLedgerRows,
  lookupObjects,
  type LedgerExportPage,
  type MovementCursor,
  type MovementPage,
  type ObjectExportPage,
} from './reconciliation-export';
import { emitOnce, scheduleRepairs, type ReconciliationEvent, type RepairRequest, type RepairResult } from './reconciliation-repair';
import { hostedCheckoutView, type HostedCheckoutView } from './operations/checkout-hosted';
import { runScheduledWork } from './scheduled';
import { ensureSchema } from './schema';
import {
  countInProgressKeys,
  countOutbox,
  isKeyRevoked,
  listStalledKeys,
  oldestIdempotencyKeySeconds,
  pruneIdempotencyKeys,
  readObject,
  readSetting,
  revokeKey,
  writeSetting,
} from './store';

export type { CallMeta, CallResponse } from './execution';

/** The account a reconciliation call is for (checked against the object's binding). */
export interface AccountRef {
  readonly accountId: string;
  readonly livemode: boolean;
}

const OUTBOX_DRAIN_DELAY_MS = 20;
const COMPLETER_BATCH_MAX = 20;

export class MerchantAccount extends DurableObject<Env> implements ExecutionHost {
  readonly sql: SqlStorage;
  readonly storage: DurableObjectStorage;
  /**
   * When the alarm is set for (a hint only: lost on eviction, then re-armed). Avoids re-arming on
   * every write, yet lets an earlier need (an outbox drain) pull a far-off alarm (pruning) forward.
   */
  private alarmAt: number | null = null;
  /** A cache of the account secret; the secret itself lives in SQLite. */
  private secret: string | null = null;
  /** The request-rate bucket (src/domain/rate-limit.ts); per instance, so lost on eviction. */
  private rateBucket: TokenBucket | null = null;
  /** Test-only: a rate for this instance instead of the configured one (null = configured). */
  private rateOverride: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.storage = ctx.storage;
    void ctx.blockConcurrencyWhile(async () => {
      ensureSchema(ctx.storage);
      // Nothing stranded: if an earlier instance died with rows still in the outbox (a crash in
      // the drain), make sure an alarm will send them even if no request comes.
      if (countOutbox(this.sql) > 0 && (await ctx.storage.getAlarm()) === null) await ctx.storage.setAlarm(Date.now());
    });
  }

  get testMode(): boolean {
    return this.env.ENVIRONMENT === 'test';
  }

  get services(): Services {
    const merchant = this.ctx.id.name ?? '';
    return { merchant, processor: processorFor(this.env, merchant) };
  }

  /** The account's clock. Protected so the bench-only seeder can backdate its own subclass. */
  protected nowSeconds(): number {
    const offset = this.testMode ? Number(readSetting(this.sql, 'test_clock_offset_seconds') ?? '0') : 0;
    return Math.floor(Date.now() / 1000) + offset;
  }

  /**
   * HMAC-SHA256 under a random per-account secret: idempotency fingerprints and card fingerprints
   * are keyed (requests may hold card numbers; an unkeyed hash of one is guessable). Synchronous
   * (node:crypto) so handlers can fingerprint cards inside their transaction.
   */
  keyedDigest(text: string): string {
    if (this.secret === null) {
      let secret = readSetting(this.sql, 'account_secret');
      if (secret === null) {
        secret = randomBase62(43);
        writeSetting(this.sql, 'account_secret', secret);
      }
      this.secret = secret;
    }
    return createHmac('sha256', this.secret).update(text).digest('hex');
  }

  /**
   * Revocation, then the account's request rate (a token bucket in memory: a fresh instance
   * starts full) — both before idempotency, so a 401 or 429 is never stored against a key.
   */
  private admit(keyId: string, livemode: boolean): 'ok' | 'revoked' | 'rate_limited' {
    if (isKeyRevoked(this.sql, keyId)) return 'revoked';
    const rate = this.rateOverride ?? parseRate(livemode ? this.env.RATE_LIMIT_LIVE_PER_SECOND : this.env.RATE_LIMIT_TEST_PER_SECOND, livemode ? 100 : 25);
    const now = Date.now();
    const step = takeToken(this.rateBucket ?? fullBucket(rate, now), rate, now);
    this.rateBucket = step.bucket;
    return step.allowed ? 'ok' : 'rate_limited';
  }

  /** Runs one API operation under Stripe's idempotency rules. */
  async execute(call: OperationCall, meta: CallMeta): Promise<CallResponse> {
    const admitted = this.admit(meta.keyId, meta.livemode);
    if (admitted === 'revoked') return toErrorResponse(fromDomainError({ reason: 'api_key_revoked' }));
    if (admitted === 'rate_limited') return toErrorResponse(fromDomainError({ reason: 'rate_limited' }));
    const idem = meta.idempotency;
    const keyed = idem === null ? null : { key: idem.key, endpoint: idem.endpoint, fingerprint: this.keyedDigest(idem.canonical), clientSupplied: true };
    const response = await executeCall(this, call, meta, keyed, () => this.nowSeconds());
    this.armAlarm();
    return response;
  }

  /** The return_url of a PaymentIntent, for the test-mode challenge page's redirect. */
  async returnUrlForChallenge(intentId: string): Promise<string | null> {
    return readObject<PaymentIntent>(this.sql, intentId, 'payment_intent')?.data.returnUrl ?? null;
  }

  /** The hosted checkout page's read-only view of a session; null when unknown (or the object is unbound). */
  async hostedCheckout(sessionId: string): Promise<HostedCheckoutView | null> {
    const ctx = systemContext(this, this.nowSeconds());
    return ctx === null ? null : hostedCheckoutView(ctx, sessionId);
  }

  /** For routes that serve reads from D1 without calling `execute` (which admits requests itself). */
  async admitRequest(keyId: string, livemode: boolean): Promise<'ok' | 'revoked' | 'rate_limited'> {
    return this.admit(keyId, livemode);
  }

  /** Revokes an API key (by its `jti`) for this account; every later request with it gets 401. */
  async revokeApiKey(keyId: string): Promise<{ revoked: boolean }> {
    return { revoked: revokeKey(this.sql, keyId, this.nowSeconds()) };
  }

  /**
   * Test-only fault injection, inert outside tests. `abort` first waits until everything written
   * so far is durable, so it models a crash right after the preceding commit.
   */
  async fault(point: FaultPoint): Promise<void> {
    if (!this.testMode) return;
    const armed = readSetting(this.sql, `fault:${point}`);
    if (armed === null) return;
    this.sql.exec('DELETE FROM settings WHERE name = ?', `fault:${point}`);
    if (armed === 'abort') {
      await this.storage.sync();
      this.ctx.abort(`test fault at ${point}`);
    }
    throw new Error(`test fault at ${point}`);
  }

  private armAlarm(delayMs = OUTBOX_DRAIN_DELAY_MS): void {
    const at = Date.now() + delayMs;
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    void this.storage.setAlarm(at);
  }

  /** Drains the outbox to D1, completes abandoned phased requests, prunes expired idempotency keys. */
  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const accountId = readSetting(this.sql, 'account_id');
    if (accountId === null) return;
    const account = { accountId, livemode: readSetting(this.sql, 'livemode') === '1' };
    let d1Failing = false;
    // Bounded per invocation (subrequests, CPU); what is left is picked up by the re-arm below.
    for (let drained = 0; drained < OUTBOX_DRAIN_ROWS_PER_ALARM_MAX; ) {
      const result = await drainOutboxOnce(this.sql, {
        db: this.env.DB,
        eventsQueue: this.env.EVENTS_QUEUE,
        account,
        beforeQueueSend: () => this.fault('after_commit_before_outbox_send'),
      });
      if ('failed' in result) {
        // D1 is down: retry the drain with backoff, but keep doing the account's own scheduled work.
        d1Failing = true;
        this.alarmAt = null;
        this.armAlarm(outboxRetryDelayMs(result.attempts, Math.random()));
        break;
      }
      if (!result.remaining) break;
      drained += result.drained;
    }
    await this.completeStalledKeys();
    const now = () => this.nowSeconds();
    const next = await runScheduledWork(this, now);
    if (next !== null) this.armAlarm((next - now()) * 1000);
    this.pruneIdempotencyKeys();
    this.pruneEvents();
    // The scheduled work above (funds available, payout and billing transitions) writes outbox
    // rows after the drain: drain them soon, whatever far-off alarm pruning armed meanwhile —
    // unless D1 is failing, when the backoff armed above stands.
    if (!d1Failing && countOutbox(this.sql) > 0) this.armAlarm();
  }

  /** Events (and their webhook logs) past the 30-day retention, a bounded batch per alarm run. */
  private pruneEvents(): void {
    const now = this.nowSeconds();
    const next = this.storage.transactionSync(() => pruneExpiredEvents(this.sql, now));
    if (next !== null) this.armAlarm(Math.max(0, next - now) * 1000);
  }

  // ── Webhook delivery (called by the events queue consumer) ─────────────────────

  /** What to send for one delivery now: URL, active secrets and the exact body, or why not. */
  async webhookDeliveryPlan(eventId: string, endpointId: string, manual: boolean): Promise<DeliveryPlan> {
    return planDelivery(this.sql, this.nowSeconds(), eventId, endpointId, manual);
  }

  /** Logs one attempt (status code or error, duration; never bodies) and moves the delivery on. */
  async recordWebhookAttempt(report: AttemptReport): Promise<void> {
    this.storage.transactionSync(() => {
      const ctx = systemContext(this, this.nowSeconds());
      if (ctx !== null) recordAttempt(ctx, report);
    });
    this.armAlarm();
  }

  // ── Reconciliation (called by its queue consumer; never changes the account's records) ──

  async reconciliationLedgerPage(account: AccountRef, afterSeq: number, max: number): Promise<LedgerExportPage> {
    return exportLedgerPage(this.boundTo(account), afterSeq, max);
  }

  async reconciliationObjectPage(account: AccountRef, type: MoneyObjectType, afterId: string, max: number): Promise<ObjectExportPage> {
    return exportObjectPage(this.boundTo(account), type, afterId, max);
  }

  async reconciliationLookup(account: AccountRef, seqs: number[], ids: string[]) {
    const sql = this.boundTo(account);
    return { ledger: lookupLedgerRows(sql, seqs), objects: lookupObjects(sql, ids) };
  }

  async reconciliationMovements(account: AccountRef, fromSeconds: number, toSeconds: number, after: MovementCursor | null, max: number): Promise<MovementPage> {
    return exportMovements(this.boundTo(account), fromSeconds, toSeconds, after, max);
  }

  async reconciliationKnownObjects(account: AccountRef, ids: string[]): Promise<KnownObject[]> {
    return knownObjects(this.boundTo(account), ids);
  }

  /** Re-projects drifted D1 rows from this DO's current state, in order with its own writes. */
  async repairProjections(account: AccountRef, request: RepairRequest): Promise<RepairResult> {
    const sql = this.boundTo(account);
    const result = this.storage.transactionSync(() => scheduleRepairs(sql, request, this.nowSeconds()));
    this.armAlarm();
    return result;
  }

  async emitReconciliationEvents(account: AccountRef, events: ReconciliationEvent[]): Promise<number> {
    this.boundTo(account);
    const emitted = this.storage.transactionSync(() => emitOnce(this, events, this.nowSeconds()));
    this.armAlarm();
    return emitted;
  }

  /** Refuses (throws) unless this object belongs to `account`: a message for an unknown account is poison. */
  private boundTo(account: AccountRef): SqlStorage {
    const bound = readSetting(this.sql, 'account_id') === account.accountId && readSetting(this.sql, 'livemode') === (account.livemode ? '1' : '0');
    if (!bound) throw new Error(`account object is not bound to ${account.accountId} (${account.livemode ? 'live' : 'test'})`);
    return this.sql;
  }

  private async completeStalledKeys(): Promise<void> {
    const now = () => this.nowSeconds();
    for (const key of listStalledKeys(this.sql, now() - IDEMPOTENCY_LOCK_TIMEOUT_SECONDS, COMPLETER_BATCH_MAX)) {
      await resumeStalledKey(this, key, now);
    }
    if (countInProgressKeys(this.sql) > 0) this.armAlarm(IDEMPOTENCY_LOCK_TIMEOUT_SECONDS * 1000);
  }

  /** Deletes completed keys past the retention window, a bounded batch per alarm run. */
  private pruneIdempotencyKeys(): void {
    const nowSeconds = this.nowSeconds();
    const oldest = oldestIdempotencyKeySeconds(this.sql);
    if (oldest === null) return;
    const cutoff = nowSeconds - IDEMPOTENCY_KEY_TTL_SECONDS;
    if (oldest >= cutoff) {
      this.armAlarm((oldest - cutoff + 1) * 1000);
      return;
    }
    pruneIdempotencyKeys(this.sql, cutoff, IDEMPOTENCY_PRUNE_BATCH_MAX);
    this.armAlarm();
  }

  // ── Test-only seams: inert unless ENVIRONMENT is "test" ───────────────────────

  async setClockOffsetForTest(offsetSeconds: number): Promise<void> {
    this.requireTestMode();
    writeSetting(this.sql, 'test_clock_offset_seconds', String(offsetSeconds));
  }

  async armFaultForTest(point: FaultPoint, action: 'throw' | 'abort'): Promise<void> {
    this.requireTestMode();
    writeSetting(this.sql, `fault:${point}`, action);
  }

  async setRateLimitForTest(perSecond: number | null): Promise<void> {
    this.requireTestMode();
    this.rateOverride = perSecond;
    this.rateBucket = null;
  }

  async outboxSizeForTest(): Promise<number> {
    this.requireTestMode();
    return countOutbox(this.sql);
  }

  private requireTestMode(): void {
    if (!this.testMode) throw new Error('test-only method called outside tests');
  }
}

function toErrorResponse(error: ReturnType<typeof fromDomainError>): CallResponse {
  return { status: error.status, body: JSON.stringify({ error: error.error }), replayed: false };
}
