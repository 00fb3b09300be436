/**
 * The simulated card processor (acquirer), one SQLite Durable Object per merchant, reached
 * through `processorFor(env, merchant)` (src/platform/processor.ts) so a real acquirer adapter
 * could replace it.
 *
 *  - Idempotent by OUR reference: same reference + same request → the stored result, no second
 *    effect; same reference + different request (or another operation kind) → `reference_reused`.
 *  - Keeps every operation (approvals, captures, voids, refunds and declines) in `operations`,
 *    and every money movement in `settlement_lines` for the daily settlement report.
 *    Rejections (invalid or impossible requests) and `requires_authentication` answers change
 *    nothing and are not recorded, so a corrected retry may use the same reference.
 *  - Each call loads, decides (src/domain/cards/processing/decide.ts) and commits inside one
 *    transactionSync, so concurrent calls serialise and refunds can never exceed the capture.
 *  - Scheduled refund changes (pending → succeeded, succeeded → failed) are applied, at their
 *    scheduled time, at the start of every call.
 *  - Never sees a card number or CVC: authorisations carry a CardProfile.
 *
 * Test-only seams (clock offset, faults, counters) are inert unless ENVIRONMENT is "test";
 * faults are stored in SQLite so they survive restarts.
 */
import { DurableObject } from 'cloudflare:workers';
import { luhnCheckDigit } from '../src/domain/cards/luhn';
import { canonicalJson } from '../src/domain/cards/processing/canonical';
import {
  checkReference,
  decideAuthorize,
  decideCapture,
  decideRefund,
  decideVoid,
  rejection,
  type AuthorizationState,
} from '../src/domain/cards/processing/decide';
import type {
  AuthorizationApproved,
  AuthorizeRequest,
  AuthorizeResult,
  CaptureRequest,
  CaptureResult,
  ProcessorOperationKind,
  ProcessorRejection,
  RefundRequest,
  RefundResult,
  RefundStatusRequest,
  RefundStatusResult,
  SettlementReport,
  SettlementReportRequest,
  VoidRequest,
  VoidResult,
} from '../src/domain/cards/processing/protocol';
import { settlementLine } from '../src/domain/cards/processing/settlement';
import { SETTLEMENT_REPORT_LINES_MAX } from '../src/domain/limits';
import { randomBase62 } from '../src/platform/ids';
import type { CardProcessorClient, ProcessorFault } from '../src/platform/processor';
import {
  countOperations,
  insertAuthorization,
  insertOperation,
  markCaptured,
  markVoided,
  addRefunded,
  readAuthorization,
  readOperation,
} from './card-processor/operations';
import { completeRefundTransition, insertRefund, readDueRefunds, readRefundByReference } from './card-processor/refunds';
import { ensureProcessorSchema, readSetting, writeSetting } from './card-processor/schema';
import { insertSettlementLine, listSettlementLines } from './card-processor/settlement-lines';
import { applySettlementFault, type SettlementFault } from './card-processor/settlement-faults';

interface Effect<R> {
  readonly result: R;
  /** Recorded as an operation (an issuer answer or a money movement); false for rejections. */
  readonly record: boolean;
  readonly authorizationId: string | null;
}

function unrecorded<R>(result: R): Effect<R> {
  return { result, record: false, authorizationId: null };
}

async function requestFingerprint(kind: ProcessorOperationKind, request: object): Promise<string> {
  const bytes = new TextEncoder().encode(`${kind}\n${canonicalJson(request)}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * 15 random digits like a network's transaction id, with the last digit chosen to FAIL the Luhn
 * check, so PAN scanners (RELIABILITY R8) never mistake one for a card number.
 */
function networkTransactionId(): string {
  const payload = [...crypto.getRandomValues(new Uint8Array(14))].map((b) => String(b % 10)).join('');
  return payload + String((Number(luhnCheckDigit(payload)) + 1) % 10);
}

export class CardProcessor extends DurableObject<Env> implements CardProcessorClient {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => {
      ensureProcessorSchema(ctx.storage);
    });
  }

  private get testMode(): boolean {
    return this.env.ENVIRONMENT === 'test';
  }

  /** The processor's clock. Protected so the bench-only seeder can backdate its own subclass. */
  protected nowSeconds(): number {
    const offset = this.testMode ? Number(readSetting(this.sql, 'test_clock_offset_seconds') ?? '0') : 0;
    return Math.floor(Date.now() / 1000) + offset;
  }

  // ── the processor API ─────────────────────────────────────────────────────────

  async authorize(request: AuthorizeRequest): Promise<AuthorizeResult> {
    return this.perform('authorize', request, (nowSeconds): Effect<AuthorizeResult> => {
      const decision = decideAuthorize(request, nowSeconds);
      switch (decision.kind) {
        case 'reject':
          return unrecorded(decision.rejection);
        case 'requires_authentication':
          return unrecorded({ outcome: 'requires_authentication' });
        case 'decline':
          return { result: { outcome: 'declined', ...decision.decline, processedAtSeconds: nowSeconds }, record: true, authorizationId: null };
        case 'approve': {
          const approved = this.approve(request, nowSeconds);
          return { result: approved, record: true, authorizationId: approved.authorizationId };
        }
      }
    });
  }

  async capture(request: CaptureRequest): Promise<CaptureResult> {
    return this.perform('capture', request, (nowSeconds): Effect<CaptureResult> => {
      const decision = decideCapture(readAuthorization(this.sql, request.authorizationId), request, nowSeconds);
      if (!decision.ok) return unrecorded(decision.error);
      const { capturedAmount, releasedAmount } = decision.value;
      markCaptured(this.sql, request.authorizationId, capturedAmount);
      this.recordMovement('capture', request.reference, request.authorizationId, capturedAmount, request.currency, nowSeconds);
      const result: CaptureResult = {
        outcome: 'captured',
        authorizationId: request.authorizationId,
        capturedAmount,
        releasedAmount,
        currency: request.currency,
        processedAtSeconds: nowSeconds,
      };
      return { result, record: true, authorizationId: request.authorizationId };
    });
  }

  async void(request: VoidRequest): Promise<VoidResult> {
    return this.perform('void', request, (nowSeconds): Effect<VoidResult> => {
      const decision = decideVoid(readAuthorization(this.sql, request.authorizationId), request.authorizationId, nowSeconds);
      if (!decision.ok) return unrecorded(decision.error);
      markVoided(this.sql, request.authorizationId, decision.value.releasedAmount);
      const result: VoidResult = {
        outcome: 'voided',
        authorizationId: request.authorizationId,
        releasedAmount: decision.value.releasedAmount,
        processedAtSeconds: nowSeconds,
      };
      return { result, record: true, authorizationId: request.authorizationId };
    });
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    return this.perform('refund', request, (nowSeconds): Effect<RefundResult> => {
      const decision = decideRefund(readAuthorization(this.sql, request.authorizationId), request, nowSeconds);
      if (!decision.ok) return unrecorded(decision.error);
      const { status, transition } = decision.value;
      const refundId = `prf_${randomBase62(24)}`;
      const { reference, authorizationId, amount, currency } = request;
      insertRefund(this.sql, { id: refundId, reference, authorizationId, amount, currency, status, failureReason: null, transition, createdSeconds: nowSeconds });
      addRefunded(this.sql, authorizationId, amount);
      if (status === 'succeeded') this.recordMovement('refund', reference, authorizationId, amount, currency, nowSeconds);
      const result: RefundResult = { outcome: 'refunded', refundId, authorizationId, amount, currency, status, transition, processedAtSeconds: nowSeconds };
      return { result, record: true, authorizationId };
    });
  }

  async refundStatus(request: RefundStatusRequest): Promise<RefundStatusResult> {
    return this.ctx.storage.transactionSync((): RefundStatusResult => {
      this.prepare(request.merchant);
      const refund = readRefundByReference(this.sql, request.reference);
      if (refund === null) return rejection('refund_missing', `No refund with reference ${request.reference}`);
      const { id: refundId, status, failureReason, transition } = refund;
      return { outcome: 'found', refundId, status, failureReason, transition };
    });
  }

  async settlementReport(request: SettlementReportRequest): Promise<SettlementReport> {
    return this.ctx.storage.transactionSync((): SettlementReport => {
      const nowSeconds = this.prepare(request.merchant);
      const limit = Math.min(Math.max(Math.trunc(request.limit ?? SETTLEMENT_REPORT_LINES_MAX), 1), SETTLEMENT_REPORT_LINES_MAX);
      const lines = listSettlementLines(this.sql, {
        fromSeconds: request.fromSeconds,
        toSeconds: Math.min(request.toSeconds, nowSeconds + 1), // only cut-offs that have passed
        limit: limit + 1,
        startingAfter: request.startingAfter ?? null,
      });
      const { merchant, fromSeconds, toSeconds } = request;
      return { merchant, fromSeconds, toSeconds, lines: lines.slice(0, limit), hasMore: lines.length > limit };
    });
  }

  // ── mechanics ─────────────────────────────────────────────────────────────────

  /**
   * The idempotent envelope of every mutating call: fingerprint the request, then in one
   * transaction replay or reject a used reference, or run the effect and record it.
   */
  private async perform<R>(
    kind: ProcessorOperationKind,
    request: { readonly reference: string; readonly merchant: string },
    effect: (nowSeconds: number) => Effect<R>,
  ): Promise<R | ProcessorRejection> {
    const fingerprint = await requestFingerprint(kind, request);
    const fault = this.takeFault(kind);
    await this.injectFault(fault, 'before_effect');
    const result = this.ctx.storage.transactionSync((): R | ProcessorRejection => {
      const nowSeconds = this.prepare(request.merchant);
      const invalid = checkReference(request.reference);
      if (invalid) return invalid;
      const stored = readOperation(this.sql, request.reference);
      if (stored !== null) {
        if (stored.fingerprint === fingerprint) return stored.result as R;
        return rejection('reference_reused', `Reference ${request.reference} was already used for a different ${stored.kind} request.`);
      }
      const outcome = effect(nowSeconds);
      if (outcome.record) {
        const { reference } = request;
        insertOperation(this.sql, { reference, kind, fingerprint, result: outcome.result, authorizationId: outcome.authorizationId, nowSeconds });
      }
      return outcome.result;
    });
    await this.injectFault(fault, 'after_effect');
    return result;
  }

  /** Binds this object to its merchant on first use, applies due refund changes; returns now. */
  private prepare(merchant: string): number {
    const bound = readSetting(this.sql, 'merchant');
    if (bound === null) writeSetting(this.sql, 'merchant', merchant);
    else if (bound !== merchant) throw new Error('card processor object reached for another merchant');
    const nowSeconds = this.nowSeconds();
    this.applyDueRefundTransitions(nowSeconds);
    return nowSeconds;
  }

  private approve(request: AuthorizeRequest, nowSeconds: number): AuthorizationApproved {
    const authorizationId = `auth_${randomBase62(24)}`;
    const capturedAmount = request.capture ? request.amount : 0;
    const auth: AuthorizationState = {
      id: authorizationId,
      amount: request.amount,
      currency: request.currency,
      status: request.capture ? 'captured' : 'authorized',
      capturedAmount,
      refundedAmount: 0,
      refundBehaviour: request.card.behaviour.refund,
      createdSeconds: nowSeconds,
    };
    insertAuthorization(this.sql, { ...auth, reference: request.reference });
    if (request.capture) {
      this.recordMovement('capture', request.reference, authorizationId, capturedAmount, request.currency, nowSeconds);
    }
    return {
      outcome: 'approved',
      authorizationId,
      networkTransactionId: networkTransactionId(),
      amount: request.amount,
      currency: request.currency,
      capturedAmount,
      availability: request.card.behaviour.availability,
      processedAtSeconds: nowSeconds,
    };
  }

  private recordMovement(
    operation: 'capture' | 'refund' | 'refund_failure',
    reference: string,
    authorizationId: string,
    grossAmount: number,
    currency: string,
    effectiveAtSeconds: number,
  ): void {
    insertSettlementLine(this.sql, settlementLine({ operation, reference, authorizationId, grossAmount, currency, effectiveAtSeconds }));
  }

  /** pending → succeeded settles the refund; succeeded → failed gives the money back. */
  private applyDueRefundTransitions(nowSeconds: number): void {
    for (const refund of readDueRefunds(this.sql, nowSeconds)) {
      const transition = refund.transition!;
      completeRefundTransition(this.sql, refund);
      const { reference, authorizationId, amount, currency } = refund;
      if (transition.status === 'succeeded') {
        this.recordMovement('refund', reference, authorizationId, amount, currency, transition.atSeconds);
      } else {
        addRefunded(this.sql, authorizationId, -amount);
        this.recordMovement('refund_failure', reference, authorizationId, amount, currency, transition.atSeconds);
      }
    }
  }

  // ── test-only seams: inert unless ENVIRONMENT is "test" ──────────────────────

  /** The armed fault for this kind of call, consumed (its `times` counted down) in storage. */
  private takeFault(kind: ProcessorOperationKind): ProcessorFault | null {
    if (!this.testMode) return null;
    const stored = readSetting(this.sql, 'test_fault');
    if (stored === null) return null;
    const fault = JSON.parse(stored) as ProcessorFault;
    if (fault.operations && !fault.operations.includes(kind)) return null;
    const remaining = (fault.times ?? 1) - 1;
    writeSetting(this.sql, 'test_fault', remaining > 0 ? JSON.stringify({ ...fault, times: remaining }) : null);
    return fault;
  }

  private async injectFault(fault: ProcessorFault | null, phase: 'before_effect' | 'after_effect'): Promise<void> {
    if (fault === null) return;
    if (fault.mode === 'delay_ms') {
      if ((fault.phase ?? 'before_effect') === phase) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      return;
    }
    if (fault.mode === 'fail_before_effect' && phase === 'before_effect') throw new Error('card processor fault: failed before the effect');
    if (fault.mode === 'fail_after_effect' && phase === 'after_effect') throw new Error('card processor fault: failed after the effect');
  }

  async setFaultForTest(fault: ProcessorFault | null): Promise<void> {
    if (!this.testMode) throw new Error('test-only');
    writeSetting(this.sql, 'test_fault', fault === null ? null : JSON.stringify(fault));
  }

  async setClockOffsetForTest(offsetSeconds: number): Promise<void> {
    if (!this.testMode) throw new Error('test-only');
    writeSetting(this.sql, 'test_clock_offset_seconds', String(offsetSeconds));
  }

  /** Rewrites stored settlement lines (drop, duplicate, alter, settle late); returns lines changed. */
  async alterSettlementForTest(fault: SettlementFault): Promise<number> {
    if (!this.testMode) throw new Error('test-only');
    return this.ctx.storage.transactionSync(() => applySettlementFault(this.sql, fault));
  }

  /** Recorded operations, all or for one reference. */
  async operationCountForTest(reference?: string): Promise<number> {
    if (!this.testMode) throw new Error('test-only');
    return countOperations(this.sql, reference);
  }

  async authorizationForTest(authorizationId: string): Promise<AuthorizationState | null> {
    if (!this.testMode) throw new Error('test-only');
    return readAuthorization(this.sql, authorizationId);
  }
}
