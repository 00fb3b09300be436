/**
 * The wire between the account and a card processor (acquirer): plain-JSON requests and
 * results, so they cross Durable Object RPC unchanged and a real acquirer adapter could
 * implement the same calls.
 *
 * Every mutating request carries `reference`: OUR deterministic downstream idempotency key for
 * one logical operation (`ch_123:authorize`, `ch_123:capture`, `re_456:refund`). Retrying with
 * the same reference and the same request returns the stored result with no second effect; the
 * same reference with a different request is rejected (`reference_reused`) with no effect.
 *
 * Amounts are integer minor units; currencies lowercase ISO codes; times unix seconds.
 */
import type { Decline } from '../behaviour';
import type { CardProfile } from '../profile';

export type ProcessorOperationKind = 'authorize' | 'capture' | 'void' | 'refund';

interface MutatingRequest {
  /** Downstream idempotency key, at most PROCESSOR_REFERENCE_LENGTH_MAX characters. */
  readonly reference: string;
  /** The merchant's account object name (e.g. `acct_123:test`); one processor object each. */
  readonly merchant: string;
}

export interface AuthorizeRequest extends MutatingRequest {
  readonly amount: number;
  readonly currency: string;
  readonly card: CardProfile;
  /** Authorise and capture in one step (automatic capture). */
  readonly capture: boolean;
  /** Merchant-initiated, customer absent: 3DS cannot be performed. */
  readonly offSession: boolean;
  /** The customer completed 3DS for this payment. */
  readonly authenticated: boolean;
}

export interface CaptureRequest extends MutatingRequest {
  readonly authorizationId: string;
  /** At most the authorised amount; the rest of the hold is released. */
  readonly amount: number;
  readonly currency: string;
}

export interface VoidRequest extends MutatingRequest {
  readonly authorizationId: string;
}

export interface RefundRequest extends MutatingRequest {
  readonly authorizationId: string;
  readonly amount: number;
  readonly currency: string;
}

export interface RefundStatusRequest {
  readonly merchant: string;
  /** The reference the refund was created with. */
  readonly reference: string;
}

export interface SettlementReportRequest {
  readonly merchant: string;
  /** Window on `settledAtSeconds`: from inclusive, to exclusive. */
  readonly fromSeconds: number;
  readonly toSeconds: number;
  /** Page size, 1..SETTLEMENT_REPORT_LINES_MAX (default the maximum). */
  readonly limit?: number;
  /** Continue after this `lineId` (from the previous page). */
  readonly startingAfter?: string;
}

/** The request was not acceptable; nothing happened and nothing was recorded. */
export interface ProcessorRejection {
  readonly outcome: 'rejected';
  readonly reason: ProcessorRejectionReason;
  readonly message: string;
}

export type ProcessorRejectionReason =
  | 'reference_reused'
  | 'invalid_request'
  | 'authorization_missing'
  | 'authorization_expired'
  | 'already_captured'
  | 'already_voided'
  | 'not_captured'
  | 'amount_exceeds_capturable'
  | 'amount_exceeds_refundable'
  | 'currency_mismatch'
  | 'refund_missing';

export interface AuthorizationApproved {
  readonly outcome: 'approved';
  readonly authorizationId: string;
  /** The card network's id for this authorisation (Stripe: `network_transaction_id`). */
  readonly networkTransactionId: string;
  readonly amount: number;
  readonly currency: string;
  /** `amount` when captured in the same step, else 0. */
  readonly capturedAmount: number;
  /** `bypass_pending`: the funds may be made available immediately. */
  readonly availability: 'standard' | 'bypass_pending';
  readonly processedAtSeconds: number;
}

export interface AuthorizationDeclined extends Decline {
  readonly outcome: 'declined';
  readonly processedAtSeconds: number;
}

/** On-session 3DS needed: retry the same reference with `authenticated: true` after it. */
export interface AuthenticationRequired {
  readonly outcome: 'requires_authentication';
}

export type AuthorizeResult = AuthorizationApproved | AuthorizationDeclined | AuthenticationRequired | ProcessorRejection;

export type CaptureResult =
  | {
      readonly outcome: 'captured';
      readonly authorizationId: string;
      readonly capturedAmount: number;
      /** Authorised but not captured: released back to the cardholder. */
      readonly releasedAmount: number;
      readonly currency: string;
      readonly processedAtSeconds: number;
    }
  | ProcessorRejection;

export type VoidResult =
  | {
      readonly outcome: 'voided';
      readonly authorizationId: string;
      readonly releasedAmount: number;
      readonly processedAtSeconds: number;
    }
  | ProcessorRejection;

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

/** Stripe's `refund.failure_reason` values this simulator produces. */
export type RefundFailureReason = 'expired_or_canceled_card';

/** A change the processor has scheduled for a refund (pending → succeeded, succeeded → failed). */
export interface RefundTransition {
  readonly status: 'succeeded' | 'failed';
  readonly atSeconds: number;
  readonly failureReason: RefundFailureReason | null;
}

export interface RefundAccepted {
  readonly outcome: 'refunded';
  readonly refundId: string;
  readonly authorizationId: string;
  readonly amount: number;
  readonly currency: string;
  /** The status when the refund was accepted; see `transition` and `refundStatus()` for later. */
  readonly status: RefundStatus;
  readonly transition: RefundTransition | null;
  readonly processedAtSeconds: number;
}

export type RefundResult = RefundAccepted | ProcessorRejection;

export type RefundStatusResult =
  | {
      readonly outcome: 'found';
      readonly refundId: string;
      readonly status: RefundStatus;
      readonly failureReason: RefundFailureReason | null;
      /** Still scheduled, or null once final. */
      readonly transition: RefundTransition | null;
    }
  | ProcessorRejection;

/**
 * One settled money movement, signed from the merchant's side: capture +amount, refund
 * −amount, refund_failure +amount (a failed refund's money comes back).
 */
export interface SettlementLine {
  readonly lineId: string;
  /** The reference of the operation that moved the money. */
  readonly reference: string;
  readonly authorizationId: string;
  readonly operation: 'capture' | 'refund' | 'refund_failure';
  readonly amount: number;
  readonly currency: string;
  /** The processor's own fee; the simulator charges none, so it is absent. */
  readonly processorFee?: number;
  /** When the money moved (capture time, refund success or failure time). */
  readonly effectiveAtSeconds: number;
  /** The daily cut-off it settled at: the first 00:00 UTC strictly after `effectiveAtSeconds`. */
  readonly settledAtSeconds: number;
}

export interface SettlementReport {
  readonly merchant: string;
  readonly fromSeconds: number;
  readonly toSeconds: number;
  /** Ordered by (settledAtSeconds, effectiveAtSeconds, lineId); only cut-offs already passed. */
  readonly lines: readonly SettlementLine[];
  readonly hasMore: boolean;
}
