/**
 * Deciders for the two balance-limited movements: refunds (≤ what is still refundable on the
 * charge) and payouts (≤ available in that currency).
 *
 * Guarantees: an ok result is a positive safe integer that keeps Σ refunds ≤ captured, or keeps
 * available ≥ 0 after the payout. Bad requests are DomainErrors with Stripe's codes and messages;
 * inconsistent stored state (refunded > captured, unsafe numbers) is a bug and throws.
 * Pure: call them with the state loaded in the same transaction that will write the result.
 */
import { assert } from '../assert';
import { invalidRequestError, type DomainError } from '../errors';
import { err, ok, type Result } from '../result';
import type { CurrencyCode } from '../money/currency';
import { formatMinor, isBoundedMinor, type MinorUnits } from '../money/minor-units';

export interface RefundRequest {
  readonly chargeId: string;
  readonly currency: CurrencyCode;
  /** amount_captured of the charge. */
  readonly captured: MinorUnits;
  /** Σ of the charge's refunds that still count (pending or succeeded). */
  readonly refunded: MinorUnits;
  /** The `amount` param; undefined means "everything still refundable". */
  readonly requested?: number | undefined;
}

const MUST_BE_POSITIVE = 'This value must be greater than or equal to 1.';

/** How much to refund: the request, or the remainder by default. */
export function decideRefundAmount(request: RefundRequest): Result<MinorUnits, DomainError> {
  const { captured, refunded, requested } = request;
  assert(Number.isSafeInteger(captured) && captured >= 0 && isBoundedMinor(captured), `bad captured ${captured}`);
  assert(Number.isSafeInteger(refunded) && refunded >= 0 && refunded <= captured, `refunded ${refunded} outside [0, ${captured}]`);
  if (requested !== undefined && !(Number.isSafeInteger(requested) && requested >= 1)) {
    return err(invalidRequestError(MUST_BE_POSITIVE, 'amount'));
  }
  const remaining = captured - refunded;
  if (remaining === 0) return err({ reason: 'charge_already_refunded', chargeId: request.chargeId });
  if (requested === undefined) return ok(remaining);
  if (requested > remaining) {
    return err({
      reason: 'amount_too_large',
      param: 'amount',
      message:
        `Refund amount (${formatMinor(requested, request.currency)}) is greater than ` +
        `unrefunded amount on charge (${formatMinor(remaining, request.currency)})`,
    });
  }
  return ok(requested);
}

export interface PayoutRequest {
  /** The merchant's available balance in `currency` (may be negative). */
  readonly available: MinorUnits;
  readonly amount: number;
  readonly currency: CurrencyCode;
}

/** A standard payout may take at most what is available; pending funds never count. */
export function decidePayout(request: PayoutRequest): Result<MinorUnits, DomainError> {
  const { available, amount, currency } = request;
  assert(Number.isSafeInteger(available) && isBoundedMinor(available), `bad available ${available}`);
  if (!(Number.isSafeInteger(amount) && amount >= 1)) return err(invalidRequestError(MUST_BE_POSITIVE, 'amount'));
  if (amount > available) return err({ reason: 'balance_insufficient', currency, available, requested: amount });
  return ok(amount);
}
