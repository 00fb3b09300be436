/**
 * Card expiry against a clock passed in. A card is valid through the last day of its expiry
 * month (UTC). Pure integer calendar arithmetic: no `Date`.
 */
import { SECONDS_PER_DAY, type UnixSeconds } from '../clock';

export interface YearMonth {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
}

/** The UTC calendar year and month of a unix time (Hinnant's `civil_from_days`). */
export function utcYearMonth(nowSeconds: UnixSeconds): YearMonth {
  const z = Math.floor(nowSeconds / SECONDS_PER_DAY) + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month };
}

/** True once the expiry month (UTC) has fully passed. */
export function isExpired(expMonth: number, expYear: number, nowSeconds: UnixSeconds): boolean {
  const now = utcYearMonth(nowSeconds);
  return expYear < now.year || (expYear === now.year && expMonth < now.month);
}
