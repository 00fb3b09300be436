/**
 * Billing calendar: exact period boundaries in UTC from a billing-cycle anchor, with integer
 * arithmetic only (no Date, no clock). Every boundary is computed from the anchor directly —
 * `boundary(anchor, i)` — never by adding one interval to the previous boundary, so a Jan 31
 * anchor gives Feb 28 (29 in leap years) and then Mar 31 again, as Stripe bills. Months and
 * years keep the anchor's time of day and clamp its day to the target month's last day.
 * Pure: no I/O, no clock.
 */
import { assert } from '../assert';

export type BillingInterval = 'day' | 'week' | 'month' | 'year';

export interface Recurrence {
  readonly interval: BillingInterval;
  readonly intervalCount: number;
}

export interface CivilDate {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
}

export const SECONDS_PER_DAY = 86_400;

/** Proleptic Gregorian calendar: every year since 1970 the API can meet. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  assert(Number.isInteger(month) && month >= 1 && month <= 12, `month must be 1..12, got ${month}`);
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil, integer only). */
export function daysFromCivil(date: CivilDate): number {
  const y = date.month <= 2 ? date.year - 1 : date.year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (date.month + 9) % 12;
  const doy = floorDiv(153 * mp + 2, 5) + date.day - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date of a day count since 1970-01-01 (Hinnant's civil_from_days). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468;
  const era = floorDiv(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36_524) - floorDiv(doe, 146_096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const day = doy - floorDiv(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function splitSeconds(seconds: number): { days: number; secondOfDay: number } {
  assert(Number.isSafeInteger(seconds), `time must be integer seconds, got ${seconds}`);
  const days = floorDiv(seconds, SECONDS_PER_DAY);
  return { days, secondOfDay: seconds - days * SECONDS_PER_DAY };
}

/** `seconds` moved by whole calendar months, the day clamped to the target month's length. */
export function addMonthsClamped(seconds: number, months: number): number {
  assert(Number.isSafeInteger(months), `months must be an integer, got ${months}`);
  const { days, secondOfDay } = splitSeconds(seconds);
  const date = civilFromDays(days);
  const monthIndex = date.year * 12 + (date.month - 1) + months;
  const year = floorDiv(monthIndex, 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(date.day, daysInMonth(year, month));
  return daysFromCivil({ year, month, day }) * SECONDS_PER_DAY + secondOfDay;
}

function checkRecurrence(recurrence: Recurrence): void {
  assert(Number.isSafeInteger(recurrence.intervalCount) && recurrence.intervalCount >= 1, `interval_count must be a positive integer`);
}

/** Start of period `index` (0 = the anchor itself; negative indexes go back in time). */
export function periodBoundary(anchorSeconds: number, recurrence: Recurrence, index: number): number {
  checkRecurrence(recurrence);
  assert(Number.isSafeInteger(index), `period index must be an integer, got ${index}`);
  const steps = recurrence.intervalCount * index;
  switch (recurrence.interval) {
    case 'day':
      return anchorSeconds + steps * SECONDS_PER_DAY;
    case 'week':
      return anchorSeconds + steps * 7 * SECONDS_PER_DAY;
    case 'month':
      return addMonthsClamped(anchorSeconds, steps);
    case 'year':
      return addMonthsClamped(anchorSeconds, steps * 12);
  }
}

export interface Period {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export function periodAt(anchorSeconds: number, recurrence: Recurrence, index: number): Period {
  return { index, start: periodBoundary(anchorSeconds, recurrence, index), end: periodBoundary(anchorSeconds, recurrence, index + 1) };
}

/** Nominal length of one interval in seconds, only to estimate an index (never for a boundary). */
function approximateIntervalSeconds(recurrence: Recurrence): number {
  const unit = { day: 1, week: 7, month: 30, year: 365 }[recurrence.interval];
  return unit * recurrence.intervalCount * SECONDS_PER_DAY;
}

/** The period containing `atSeconds`: start ≤ at < end. */
export function periodContaining(anchorSeconds: number, recurrence: Recurrence, atSeconds: number): Period {
  let index = floorDiv(atSeconds - anchorSeconds, approximateIntervalSeconds(recurrence));
  while (periodBoundary(anchorSeconds, recurrence, index) > atSeconds) index -= 1;
  while (periodBoundary(anchorSeconds, recurrence, index + 1) <= atSeconds) index += 1;
  return periodAt(anchorSeconds, recurrence, index);
}

/**
 * `amount × part / whole`, rounded half away from zero, exactly: integer division on safe
 * integers (the product is asserted to stay below 2^53). Proration of a price over the unused
 * part of a period.
 */
export function prorate(amount: number, part: number, whole: number): number {
  assert(Number.isSafeInteger(amount), `amount must be a safe integer, got ${amount}`);
  assert(Number.isSafeInteger(part) && Number.isSafeInteger(whole) && whole > 0 && part >= 0 && part <= whole, `0 ≤ part ≤ whole, whole > 0`);
  const magnitude = Math.abs(amount);
  const product = magnitude * part;
  assert(Number.isSafeInteger(product), `proration product exceeds 2^53 (${magnitude} × ${part})`);
  const quotient = floorDiv(product, whole);
  const rounded = (product - quotient * whole) * 2 >= whole ? quotient + 1 : quotient;
  return amount < 0 && rounded !== 0 ? -rounded : rounded;
}
