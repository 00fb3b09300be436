/**
 * Balance transactions: the merchant-facing record of every money movement (CONTRACT §5.7, §8.2).
 *
 * Guarantees: every builder returns net = amount − fee with bounded safe integers; charges start
 * `pending` until availableOnSeconds (created + 2 days, rounded up to 00:00 UTC) unless the card
 * bypasses pending; refunds, payouts and their reversals are `available` at once. Summed over a
 * currency, Σ net of `available` transactions equals the ledger's merchant available and Σ net of
 * `pending` ones its pending, provided each is written with the matching ledger entry
 * (entryForCapture, entryForRefund, …) and applyAvailability runs with entryForAvailability.
 * Pure: ids and times come in as arguments.
 */
import { assert } from '../assert';
import { SECONDS_PER_DAY, type UnixSeconds } from '../clock';
import { CHARGE_AVAILABILITY_DELAY_DAYS } from '../limits';
import type { CurrencyCode } from '../money/currency';
import type { FeeBreakdown, FeeDetail } from '../money/fees';
import { divideFloor, isBoundedMinor, type MinorUnits } from '../money/minor-units';

export type BalanceTransactionType =
  | 'charge'
  | 'payment'
  | 'refund'
  | 'refund_failure'
  | 'payout'
  | 'payout_cancel'
  | 'payout_failure'
  | 'adjustment';

export type BalanceTransactionStatus = 'pending' | 'available';

export type ReportingCategory =
  | 'charge'
  | 'refund'
  | 'refund_failure'
  | 'payout'
  | 'payout_reversal'
  | 'dispute'
  | 'dispute_reversal'
  | 'other_adjustment';

export interface BalanceTransaction {
  readonly id: string;
  /** Gross: + into the balance, − out of it. */
  readonly amount: MinorUnits;
  readonly fee: MinorUnits;
  readonly feeDetails: readonly FeeDetail[];
  /** amount − fee: what the merchant's balance moves by. */
  readonly net: MinorUnits;
  readonly currency: CurrencyCode;
  readonly type: BalanceTransactionType;
  readonly status: BalanceTransactionStatus;
  readonly availableOnSeconds: UnixSeconds;
  readonly createdSeconds: UnixSeconds;
  /** Id of the charge, refund, payout or dispute that caused it. */
  readonly sourceId: string;
  readonly description: string | null;
  readonly reportingCategory: ReportingCategory;
}

/** Common inputs: ids and time are supplied by the caller. */
export interface MovementInput {
  readonly id: string;
  readonly sourceId: string;
  /** Positive size of the movement; the builder applies the sign. */
  readonly amount: MinorUnits;
  readonly currency: CurrencyCode;
  readonly createdSeconds: UnixSeconds;
  readonly description: string | null;
}

/**
 * When captured funds become available: now for bypass-pending cards, else created + 2 days
 * rounded up to the next 00:00 UTC (Stripe rolls balances over daily; an exact midnight stays).
 */
export function availableOnSeconds(createdSeconds: UnixSeconds, options: { readonly bypassPending: boolean }): UnixSeconds {
  assert(Number.isSafeInteger(createdSeconds) && createdSeconds >= 0, `created must be unix seconds, got ${createdSeconds}`);
  if (options.bypassPending) return createdSeconds;
  const due = createdSeconds + CHARGE_AVAILABILITY_DELAY_DAYS * SECONDS_PER_DAY;
  return divideFloor(due + SECONDS_PER_DAY - 1, SECONDS_PER_DAY) * SECONDS_PER_DAY;
}

function assertMovement(input: MovementInput): void {
  assert(Number.isSafeInteger(input.amount) && input.amount > 0 && isBoundedMinor(input.amount), `movement amount must be positive, got ${input.amount}`);
  assert(Number.isSafeInteger(input.createdSeconds) && input.createdSeconds >= 0, `bad created ${input.createdSeconds}`);
}

function immediate(
  input: MovementInput,
  type: BalanceTransactionType,
  amount: MinorUnits,
  reportingCategory: ReportingCategory,
): BalanceTransaction {
  assertMovement(input);
  return {
    id: input.id,
    amount,
    fee: 0,
    feeDetails: [],
    net: amount,
    currency: input.currency,
    type,
    status: 'available',
    availableOnSeconds: input.createdSeconds,
    createdSeconds: input.createdSeconds,
    sourceId: input.sourceId,
    description: input.description,
    reportingCategory,
  };
}

/** A captured charge: +amount, the processing fee, pending until availableOnSeconds. */
export function chargeBalanceTransaction(
  input: MovementInput & { readonly fees: FeeBreakdown; readonly bypassPending: boolean; readonly type?: 'charge' | 'payment' },
): BalanceTransaction {
  assertMovement(input);
  assert(input.fees.fee >= 0 && input.fees.fee <= input.amount, `fee ${input.fees.fee} outside [0, ${input.amount}]`);
  return {
    id: input.id,
    amount: input.amount,
    fee: input.fees.fee,
    feeDetails: input.fees.feeDetails,
    net: input.amount - input.fees.fee,
    currency: input.currency,
    type: input.type ?? 'charge',
    status: input.bypassPending ? 'available' : 'pending',
    availableOnSeconds: availableOnSeconds(input.createdSeconds, { bypassPending: input.bypassPending }),
    createdSeconds: input.createdSeconds,
    sourceId: input.sourceId,
    description: input.description,
    reportingCategory: 'charge',
  };
}

/** −amount, fee 0 (Stripe keeps the original processing fee), available at once. */
export function refundBalanceTransaction(input: MovementInput): BalanceTransaction {
  return immediate(input, 'refund', 0 - input.amount, 'refund');
}

/** A failed refund re-credits the balance: +amount. */
export function refundFailureBalanceTransaction(input: MovementInput): BalanceTransaction {
  return immediate(input, 'refund_failure', input.amount, 'refund_failure');
}

/** A standard payout: −amount, fee 0, drawn from available. */
export function payoutBalanceTransaction(input: MovementInput): BalanceTransaction {
  return immediate(input, 'payout', 0 - input.amount, 'payout');
}

/** A failed or canceled payout gives the funds back: +amount. */
export function payoutReversalBalanceTransaction(
  input: MovementInput & { readonly type: 'payout_failure' | 'payout_cancel' },
): BalanceTransaction {
  return immediate(input, input.type, input.amount, 'payout_reversal');
}

/**
 * Disputes and corrections. `signedAmount` is in merchant terms (a dispute opening is −amount);
 * `fees` is e.g. computeDisputeFee(currency) or a zero FeeBreakdown.
 */
export function adjustmentBalanceTransaction(
  input: Omit<MovementInput, 'amount'> & {
    readonly signedAmount: MinorUnits;
    readonly fees: FeeBreakdown;
    readonly reportingCategory: 'dispute' | 'dispute_reversal' | 'other_adjustment';
  },
): BalanceTransaction {
  assert(Number.isSafeInteger(input.signedAmount) && isBoundedMinor(input.signedAmount), `bad adjustment ${input.signedAmount}`);
  assert(input.fees.fee >= 0 && isBoundedMinor(input.fees.fee), `bad adjustment fee ${input.fees.fee}`);
  assert(input.signedAmount !== 0 || input.fees.fee > 0, 'adjustment moves no money');
  return {
    id: input.id,
    amount: input.signedAmount,
    fee: input.fees.fee,
    feeDetails: input.fees.feeDetails,
    net: input.signedAmount - input.fees.fee,
    currency: input.currency,
    type: 'adjustment',
    status: 'available',
    availableOnSeconds: input.createdSeconds,
    createdSeconds: input.createdSeconds,
    sourceId: input.sourceId,
    description: input.description,
    reportingCategory: input.reportingCategory,
  };
}

export function isDueForAvailability(bt: BalanceTransaction, nowSeconds: UnixSeconds): boolean {
  return bt.status === 'pending' && bt.availableOnSeconds <= nowSeconds;
}

/**
 * pending → available once due (pair it with entryForAvailability({ net: bt.net, … }) in the same
 * transaction). Returns the transaction unchanged when not due or already available.
 */
export function applyAvailability(bt: BalanceTransaction, nowSeconds: UnixSeconds): BalanceTransaction {
  return isDueForAvailability(bt, nowSeconds) ? { ...bt, status: 'available' } : bt;
}
