/**
 * Integer money arithmetic in minor units (cents for usd, whole yen for jpy) and message formatting.
 *
 * Guarantees: addMinor/subtractMinor/sumMinor only ever see and return safe integers whose magnitude
 * is at most BALANCE_MINOR_MAX (1e14, far below 2^53, because DO SQLite returns JS numbers); anything
 * else is a bug and throws InvariantViolation. Formatting uses integer division and zero padding,
 * never floats, so "$0.50" can't come out as "$0.49999".
 * Pure: no I/O, no clock.
 */
import { assert } from '../assert';
import { BALANCE_MINOR_MAX } from '../limits';
import { currencyInfo, type CurrencyCode } from './currency';

/** An integer number of minor units. Positive or negative; never fractional. */
export type MinorUnits = number;

export function isBoundedMinor(value: number): boolean {
  return Number.isSafeInteger(value) && Math.abs(value) <= BALANCE_MINOR_MAX;
}

function assertBounded(value: number, what: string): void {
  assert(isBoundedMinor(value), `${what} must be an integer within ±${BALANCE_MINOR_MAX} minor units, got ${value}`);
}

export function addMinor(a: MinorUnits, b: MinorUnits): MinorUnits {
  assertBounded(a, 'addend');
  assertBounded(b, 'addend');
  const sum = a + b;
  assertBounded(sum, 'sum');
  return sum;
}

export function subtractMinor(a: MinorUnits, b: MinorUnits): MinorUnits {
  assertBounded(a, 'minuend');
  assertBounded(b, 'subtrahend');
  const difference = a - b;
  assertBounded(difference, 'difference');
  return difference;
}

export function sumMinor(values: readonly MinorUnits[]): MinorUnits {
  let total = 0;
  for (const value of values) total = addMinor(total, value);
  return total;
}

/** Exact integer quotient of a non-negative safe integer by a positive one (no float rounding). */
export function divideFloor(dividend: number, divisor: number): number {
  assert(Number.isSafeInteger(dividend) && dividend >= 0, `dividend must be a non-negative safe integer, got ${dividend}`);
  assert(Number.isSafeInteger(divisor) && divisor > 0, `divisor must be a positive safe integer, got ${divisor}`);
  return (dividend - (dividend % divisor)) / divisor;
}

/** "12.34" for 1234 usd, "1050" for 1050 jpy, "-0.05" for -5 eur: digits only, no symbol. */
export function formatMinorDigits(amount: MinorUnits, currency: CurrencyCode): string {
  assert(Number.isSafeInteger(amount), `amount must be a safe integer, got ${amount}`);
  const { exponent } = currencyInfo(currency);
  const sign = amount < 0 ? '-' : '';
  const magnitude = Math.abs(amount);
  if (exponent === 0) return `${sign}${magnitude}`;
  const scale = 10 ** exponent;
  const major = divideFloor(magnitude, scale);
  const minor = String(magnitude % scale).padStart(exponent, '0');
  return `${sign}${major}.${minor}`;
}

/** "$12.34", "¥1050", "-€0.05"; currencies without a symbol read "300.00 sek". */
export function formatMinor(amount: MinorUnits, currency: CurrencyCode): string {
  const digits = formatMinorDigits(amount, currency);
  const { symbol } = currencyInfo(currency);
  if (symbol === null) return `${digits} ${currency}`;
  return digits.startsWith('-') ? `-${symbol}${digits.slice(1)}` : `${symbol}${digits}`;
}

/** Stripe's amount-limit style, "$0.50 usd" / "3.00 sek": symbol (if any), digits, lower-case code. */
export function formatMinorWithCode(amount: MinorUnits, currency: CurrencyCode): string {
  const { symbol } = currencyInfo(currency);
  return symbol === null ? formatMinor(amount, currency) : `${formatMinor(amount, currency)} ${currency}`;
}
