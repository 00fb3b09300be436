/**
 * The card processor as the account sees it: a small interface a real acquirer adapter could
 * implement, and `processorFor`, the adapter over the simulated processor Durable Object.
 *
 * Calling rules for the account (RELIABILITY §1.1, F5):
 *  - Make the call between DO transactions, never inside one, with a deterministic `reference`
 *    derived from our own object id (`ch_123:authorize`, `ch_123:capture`, `ch_123:void`,
 *    `re_456:refund`). Persist the intent to call before calling.
 *  - If the call throws (network, processor crash, timeout) the outcome is unknown: retry with
 *    the SAME reference and the SAME request. The processor returns the stored result of an
 *    effect that already happened instead of doing it twice. Never mint a new reference for
 *    the same logical operation.
 *  - `rejected` results changed nothing and were not recorded; `declined` ones are final.
 */
import type {
  AuthorizeRequest,
  AuthorizeResult,
  CaptureRequest,
  CaptureResult,
  ProcessorOperationKind,
  RefundRequest,
  RefundResult,
  RefundStatusRequest,
  RefundStatusResult,
  SettlementReport,
  SettlementReportRequest,
  VoidRequest,
  VoidResult,
} from '../domain/cards/processing/protocol';

export type * from '../domain/cards/processing/protocol';

export interface CardProcessorClient {
  /** Authorise (and with `capture: true` also capture) a card payment. */
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Capture an authorisation once, for at most the authorised amount; the rest is released. */
  capture(request: CaptureRequest): Promise<CaptureResult>;
  /** Release an uncaptured authorisation. */
  void(request: VoidRequest): Promise<VoidResult>;
  /** Refund part or all of a captured payment; the total never exceeds the capture. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /** The current status of a refund (pending refunds succeed, `refundFail` ones fail, later). */
  refundStatus(request: RefundStatusRequest): Promise<RefundStatusResult>;
  /** Settled money movements with a cut-off in [fromSeconds, toSeconds), for reconciliation. */
  settlementReport(request: SettlementReportRequest): Promise<SettlementReport>;
}

/** Test-only fault injection (ignored outside ENVIRONMENT=test); see CardProcessor. */
export type ProcessorFault =
  | {
      /** Throw before anything happens / after the effect is committed and recorded. */
      readonly mode: 'fail_before_effect' | 'fail_after_effect';
      /** Only calls of these kinds trip it (default: every mutating call). */
      readonly operations?: readonly ProcessorOperationKind[];
      /** How many calls trip it before it disarms (default 1). */
      readonly times?: number;
    }
  | {
      readonly mode: 'delay_ms';
      readonly delayMs: number;
      /** Wait before the effect (a slow processor) or after it (a slow answer). Default before. */
      readonly phase?: 'before_effect' | 'after_effect';
      readonly operations?: readonly ProcessorOperationKind[];
      readonly times?: number;
    };

/** The processor for one merchant (account object name, e.g. `acct_123:test`). */
export function processorFor(env: Env, merchant: string): CardProcessorClient {
  const stub = env.CARD_PROCESSOR.getByName(merchant);
  return {
    authorize: (request) => stub.authorize({ ...request, merchant }),
    capture: (request) => stub.capture({ ...request, merchant }),
    void: (request) => stub.void({ ...request, merchant }),
    refund: (request) => stub.refund({ ...request, merchant }),
    refundStatus: (request) => stub.refundStatus({ ...request, merchant }),
    settlementReport: (request) => stub.settlementReport({ ...request, merchant }),
  };
}
