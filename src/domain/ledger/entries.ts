/**
 * Double-entry journal entries and the builders for every money movement of a merchant account.
 *
 * A Posting is signed (debit +, credit −); a JournalEntry is balanced when its postings sum to zero
 * in every currency. Guarantees: every builder returns a balanced, single-currency entry with at
 * least two non-zero, bounded, safe-integer postings, or throws InvariantViolation (its inputs were
 * not validated upstream: a bug). Entries are immutable values; corrections are new entries.
 * Pure: no I/O, no clock, no ids (the account DO numbers and stores entries).
 */
import { assert } from '../assert';
import { isCurrencyCode, type CurrencyCode } from '../money/currency';
import { isBoundedMinor, type MinorUnits } from '../money/minor-units';
import { isLedgerAccount, type LedgerAccount } from './accounts';

export interface Posting {
  readonly account: LedgerAccount;
  readonly currency: CurrencyCode;
  /** Signed minor units: debit +, credit −. Never 0. */
  readonly amountMinor: MinorUnits;
}

export type JournalEntryKind =
  | 'capture'
  | 'availability'
  | 'refund'
  | 'refund_failure'
  | 'payout'
  | 'payout_paid'
  | 'payout_reversal'
  | 'adjustment';

export interface JournalEntry {
  readonly kind: JournalEntryKind;
  readonly postings: readonly Posting[];
}

/** Σ postings = 0 per currency, and every amount is a bounded safe integer. */
export function isBalanced(entry: JournalEntry): boolean {
  const totals = new Map<string, number>();
  for (const posting of entry.postings) {
    if (!isBoundedMinor(posting.amountMinor)) return false;
    totals.set(posting.currency, (totals.get(posting.currency) ?? 0) + posting.amountMinor);
  }
  for (const total of totals.values()) if (total !== 0) return false;
  return true;
}

/** Structural check for entries built here or read back from storage; a failure is a bug. */
export function assertValidEntry(entry: JournalEntry): void {
  assert(entry.postings.length >= 2, `journal entry ${entry.kind} needs at least two postings`);
  for (const posting of entry.postings) {
    assert(isLedgerAccount(posting.account), `unknown ledger account ${String(posting.account)}`);
    assert(isCurrencyCode(posting.currency), `unknown currency ${String(posting.currency)}`);
    assert(posting.amountMinor !== 0, `zero posting to ${posting.account} in ${entry.kind}`);
  }
  assert(isBalanced(entry), `journal entry ${entry.kind} is not balanced: ${JSON.stringify(entry.postings)}`);
}

type Leg = readonly [LedgerAccount, MinorUnits];

/** Drops zero legs, then asserts the result is a valid entry. */
function entry(kind: JournalEntryKind, currency: CurrencyCode, legs: readonly Leg[]): JournalEntry {
  const postings = legs
    .filter(([, amountMinor]) => amountMinor !== 0)
    .map(([account, amountMinor]) => ({ account, currency, amountMinor }));
  const built = { kind, postings };
  assertValidEntry(built);
  return built;
}

function assertPositive(value: number, what: string): void {
  assert(Number.isSafeInteger(value) && value > 0 && isBoundedMinor(value), `${what} must be a positive bounded integer, got ${value}`);
}

function assertNonNegative(value: number, what: string): void {
  assert(Number.isSafeInteger(value) && value >= 0 && isBoundedMinor(value), `${what} must be a non-negative bounded integer, got ${value}`);
}

/**
 * A captured charge: the processor now holds the gross amount for us; the merchant is owed
 * amount − fee (pending, or available at once for bypass-pending cards); the fee is ours.
 */
export function entryForCapture(input: {
  readonly amount: MinorUnits;
  readonly fee: MinorUnits;
  readonly currency: CurrencyCode;
  readonly bypassPending: boolean;
}): JournalEntry {
  assertPositive(input.amount, 'capture amount');
  assertNonNegative(input.fee, 'capture fee');
  assert(input.fee <= input.amount, `fee ${input.fee} exceeds captured amount ${input.amount}`);
  const merchant: LedgerAccount = input.bypassPending ? 'merchant_available' : 'merchant_pending';
  return entry('capture', input.currency, [
    ['processor_funds', input.amount],
    [merchant, input.fee - input.amount],
    ['fee_revenue', 0 - input.fee],
  ]);
}

/** Pending net becomes available (the balance transaction's available_on was reached). */
export function entryForAvailability(input: { readonly net: MinorUnits; readonly currency: CurrencyCode }): JournalEntry {
  assertPositive(input.net, 'available net');
  return entry('availability', input.currency, [
    ['merchant_pending', input.net],
    ['merchant_available', 0 - input.net],
  ]);
}

/** A refund leaves through the processor and is drawn from available (which may go negative). */
export function entryForRefund(input: { readonly amount: MinorUnits; readonly currency: CurrencyCode }): JournalEntry {
  assertPositive(input.amount, 'refund amount');
  return entry('refund', input.currency, [
    ['merchant_available', input.amount],
    ['processor_funds', 0 - input.amount],
  ]);
}

/** A refund that failed after succeeding: the funds come back to available. */
export function entryForRefundFailure(input: { readonly amount: MinorUnits; readonly currency: CurrencyCode }): JournalEntry {
  assertPositive(input.amount, 'refund failure amount');
  return entry('refund_failure', input.currency, [
    ['processor_funds', input.amount],
    ['merchant_available', 0 - input.amount],
  ]);
}

/** A payout is created: available moves into the in-transit clearing account. */
export function entryForPayout(input: { readonly amount: MinorUnits; readonly currency: CurrencyCode }): JournalEntry {
  assertPositive(input.amount, 'payout amount');
  return entry('payout', input.currency, [
    ['merchant_available', input.amount],
    ['payouts_in_transit', 0 - input.amount],
  ]);
}

/** The payout reached the merchant's bank: the clearing account drains, the funds leave us. */
export function entryForPayoutPaid(input: { readonly amount: MinorUnits; readonly currency: CurrencyCode }): JournalEntry {
  assertPositive(input.amount, 'paid payout amount');
  return entry('payout_paid', input.currency, [
    ['payouts_in_transit', input.amount],
    ['processor_funds', 0 - input.amount],
  ]);
}

/**
 * A failed or canceled payout returns its funds to available. `stage` says where the money was:
 * still `in_transit` (cancel, or failure before paid) or already `paid` (a bank return after paid).
 */
export function entryForPayoutReversal(input: {
  readonly amount: MinorUnits;
  readonly currency: CurrencyCode;
  readonly stage: 'in_transit' | 'paid';
}): JournalEntry {
  assertPositive(input.amount, 'reversed payout amount');
  const source: LedgerAccount = input.stage === 'paid' ? 'processor_funds' : 'payouts_in_transit';
  return entry('payout_reversal', input.currency, [
    [source, input.amount],
    ['merchant_available', 0 - input.amount],
  ]);
}

/**
 * Disputes and corrections, against available. `amount` is signed in merchant terms (a dispute
 * opening is −amount, a won dispute +amount); `fee` (≥ 0) is kept as revenue. The merchant's
 * available moves by amount − fee, exactly the balance transaction's net.
 */
export function entryForAdjustment(input: {
  readonly amount: MinorUnits;
  readonly fee: MinorUnits;
  readonly currency: CurrencyCode;
}): JournalEntry {
  assert(Number.isSafeInteger(input.amount) && isBoundedMinor(input.amount), `adjustment amount out of range: ${input.amount}`);
  assertNonNegative(input.fee, 'adjustment fee');
  assert(input.amount !== 0 || input.fee > 0, 'adjustment moves no money');
  return entry('adjustment', input.currency, [
    ['processor_funds', input.amount],
    ['merchant_available', input.fee - input.amount],
    ['fee_revenue', 0 - input.fee],
  ]);
}
