/**
 * A Payout as the account DO stores it, and the pure rules of its life (CONTRACT §5.8, §7.5).
 *
 * Timeline (method `standard`, the only one offered): a payout is created `pending`, moves to
 * `in_transit` PAYOUT_IN_TRANSIT_DELAY_SECONDS later, and at `arrival_date` (created +
 * PAYOUT_ARRIVAL_DELAY_DAYS, rounded up to the next 00:00 UTC) becomes `paid`, or `failed` with
 * the failure code its destination test bank account dictates. It can be canceled only while
 * `pending`. A failure after `paid` (possible at Stripe) is not simulated.
 *
 * Destinations (edgepay test-mode convention; we keep no external accounts): `destination` is
 * `ba_test_<account number>`, e.g. `ba_test_000111111116` fails `no_account`; without one the
 * payout goes to DEFAULT_PAYOUT_DESTINATION, which succeeds. Any other account number succeeds.
 * Pure: times come in as arguments.
 */
import { SECONDS_PER_DAY, type UnixSeconds } from '../clock';
import { err, ok, type Result } from '../result';
import { invalidRequestError, resourceMissing, type DomainError } from '../errors';
import { PAYOUT_ARRIVAL_DELAY_DAYS, PAYOUT_IN_TRANSIT_DELAY_SECONDS } from '../limits';
import { divideFloor, type MinorUnits } from '../money/minor-units';

export type PayoutStatus = 'pending' | 'in_transit' | 'paid' | 'failed' | 'canceled';
export type PayoutMethod = 'standard' | 'instant';
export type PayoutSourceType = 'card' | 'bank_account' | 'fpx';
export type PayoutFailureCode = 'no_account' | 'account_closed' | 'insufficient_funds' | 'debit_not_authorized' | 'invalid_currency';

export interface Payout {
  readonly id: string;
  readonly created: UnixSeconds;
  readonly livemode: boolean;
  readonly amount: MinorUnits;
  readonly currency: string;
  readonly arrivalDate: UnixSeconds;
  readonly description: string | null;
  /** A `ba_test_<account number>` id (see the file header). */
  readonly destination: string;
  readonly statementDescriptor: string | null;
  readonly sourceType: PayoutSourceType;
  readonly status: PayoutStatus;
  /** The `payout` balance transaction (−amount) written at creation. */
  readonly balanceTransaction: string;
  /** The `payout_failure` or `payout_cancel` balance transaction (+amount), once there is one. */
  readonly failureBalanceTransaction: string | null;
  readonly failureCode: PayoutFailureCode | null;
  readonly failureMessage: string | null;
  readonly metadata: Readonly<Record<string, string>>;
}

export const TEST_BANK_ACCOUNT_PREFIX = 'ba_test_';
/** Stripe's succeeding US test account number (routing 110000000). */
export const DEFAULT_PAYOUT_DESTINATION = `${TEST_BANK_ACCOUNT_PREFIX}000123456789`;
const TEST_BANK_ACCOUNT = /^ba_test_[0-9]{4,17}$/;

/** Stripe's test bank account numbers that make a payout fail, and the resulting failure. */
const FAILING_TEST_ACCOUNTS: Readonly<Record<string, PayoutFailureCode>> = {
  '000111111116': 'no_account',
  '000111111113': 'account_closed',
  '000222222227': 'insufficient_funds',
  '000333333335': 'debit_not_authorized',
  '000444444440': 'invalid_currency',
};

/** Stripe's `failure_message` for each code. */
export const PAYOUT_FAILURE_MESSAGES: Readonly<Record<PayoutFailureCode, string>> = {
  no_account: 'The bank account details on file are probably incorrect. No bank account could be located with those details.',
  account_closed: 'The bank account has been closed.',
  insufficient_funds: 'Your Stripe account has insufficient funds to cover the payout.',
  debit_not_authorized:
    'Debit transactions are not approved on the bank account. (Stripe requires bank accounts to be set up for both credit and debit payouts.)',
  invalid_currency:
    'The bank was unable to process this payout because of its currency. This is probably because the bank account cannot accept payments in that currency.',
};

/** The destination to store: the given test bank account, or the default; anything else is missing. */
export function resolvePayoutDestination(destination: string | undefined): Result<string, DomainError> {
  if (destination === undefined) return ok(DEFAULT_PAYOUT_DESTINATION);
  if (!TEST_BANK_ACCOUNT.test(destination)) return err(resourceMissing('external account', destination, 'destination'));
  return ok(destination);
}

/** Only standard payouts exist here; instant ones are refused with Stripe's code for it. */
export function checkPayoutMethod(method: PayoutMethod | undefined): Result<'standard', DomainError> {
  if (method === undefined || method === 'standard') return ok('standard');
  return err(invalidRequestError('Instant payouts are not supported by edgepay; use method=standard.', 'method', 'instant_payouts_unsupported'));
}

/** What the destination's bank does with the payout: null = it is paid. */
export function testBankFailure(destination: string): PayoutFailureCode | null {
  return FAILING_TEST_ACCOUNTS[destination.slice(TEST_BANK_ACCOUNT_PREFIX.length)] ?? null;
}

/** created + PAYOUT_ARRIVAL_DELAY_DAYS, rounded up to the next 00:00 UTC (an exact midnight stays). */
export function payoutArrivalDate(createdSeconds: UnixSeconds): UnixSeconds {
  const due = createdSeconds + PAYOUT_ARRIVAL_DELAY_DAYS * SECONDS_PER_DAY;
  return divideFloor(due + SECONDS_PER_DAY - 1, SECONDS_PER_DAY) * SECONDS_PER_DAY;
}

export function payoutInTransitAt(payout: Pick<Payout, 'created'>): UnixSeconds {
  return payout.created + PAYOUT_IN_TRANSIT_DELAY_SECONDS;
}

export type PayoutStep =
  | { readonly to: 'in_transit' }
  | { readonly to: 'paid' }
  | { readonly to: 'failed'; readonly failureCode: PayoutFailureCode; readonly failureMessage: string };

export interface PayoutProgress {
  /** The status changes due by now, in order (possibly several after a long pause). */
  readonly steps: readonly PayoutStep[];
  /** When the next change falls due, or null once the payout is final. */
  readonly nextDueSeconds: UnixSeconds | null;
}

function arrivalStep(destination: string): PayoutStep {
  const failureCode = testBankFailure(destination);
  return failureCode === null ? { to: 'paid' } : { to: 'failed', failureCode, failureMessage: PAYOUT_FAILURE_MESSAGES[failureCode] };
}

/**
 * Which status changes are due at `nowSeconds`. Final payouts (paid, failed, canceled) never
 * change, so applying the result twice is harmless: the second time there are no steps.
 */
export function decidePayoutProgress(
  payout: Pick<Payout, 'status' | 'created' | 'arrivalDate' | 'destination'>,
  nowSeconds: UnixSeconds,
): PayoutProgress {
  const steps: PayoutStep[] = [];
  let status = payout.status;
  if (status === 'pending' && nowSeconds >= payoutInTransitAt(payout)) {
    steps.push({ to: 'in_transit' });
    status = 'in_transit';
  }
  if (status === 'in_transit' && nowSeconds >= payout.arrivalDate) {
    const step = arrivalStep(payout.destination);
    steps.push(step);
    status = step.to;
  }
  const nextDueSeconds = status === 'pending' ? payoutInTransitAt(payout) : status === 'in_transit' ? payout.arrivalDate : null;
  return { steps, nextDueSeconds };
}

/** A payout can be canceled only while it is still `pending`. */
export function decidePayoutCancel(payout: Pick<Payout, 'id' | 'status'>): Result<void, DomainError> {
  if (payout.status === 'pending') return ok(undefined);
  return err({
    reason: 'unexpected_state',
    resource: 'payout',
    id: payout.id,
    status: payout.status,
    action: 'cancel',
    allowed: ['pending'],
    code: 'payout_unexpected_state',
  });
}
