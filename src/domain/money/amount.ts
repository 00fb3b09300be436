/**
 * Charge-amount limits: the currency's minimum and Stripe's eight-digit maximum.
 *
 * Guarantees: checkChargeAmount returns ok only for a safe integer in
 * [minimumChargeMinor(currency), AMOUNT_MINOR_MAX]; every other number (fractions, NaN, ±Infinity,
 * 2^53 and beyond, zero, negatives) is an expected DomainError, never a throw.
 * Pure: no I/O, no clock.
 */
import { err, ok, type Result } from '../result';
import { invalidRequestError, type DomainError } from '../errors';
import { AMOUNT_MINOR_MAX } from '../limits';
import { currencyInfo, type CurrencyCode } from './currency';
import { formatMinorWithCode, type MinorUnits } from './minor-units';

export function checkChargeAmount(amount: number, currency: CurrencyCode, param = 'amount'): Result<MinorUnits, DomainError> {
  if (!Number.isInteger(amount)) {
    return err(invalidRequestError(`Invalid integer: ${amount}`, param, 'parameter_invalid_integer'));
  }
  if (amount > AMOUNT_MINOR_MAX) return err(amountTooLarge(currency, param));
  const minimum = currencyInfo(currency).minimumChargeMinor;
  if (amount < minimum) return err({ reason: 'amount_too_small', param, minimum, currency });
  return ok(amount);
}

export function amountTooLarge(currency: CurrencyCode, param = 'amount'): DomainError {
  return {
    reason: 'amount_too_large',
    param,
    message: `Amount must be no more than ${formatMinorWithCode(AMOUNT_MINOR_MAX, currency)}`,
  };
}
