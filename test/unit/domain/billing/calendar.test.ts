import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonthsClamped,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  isLeapYear,
  periodAt,
  periodBoundary,
  periodContaining,
  prorate,
  type Recurrence,
} from '../../../../src/domain/billing/calendar';

const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0) => Date.UTC(y, m - 1, d, h, min, s) / 1000;
const monthly: Recurrence = { interval: 'month', intervalCount: 1 };
const yearly: Recurrence = { interval: 'year', intervalCount: 1 };
/** 1970 … 2200, in seconds: every time the API can meet, and then some. */
const instant = fc.integer({ min: 0, max: utc(2200, 1, 1) });
const recurrence = fc.record({
  interval: fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'year' as const),
  intervalCount: fc.integer({ min: 1, max: 12 }),
});

describe('calendar', () => {
  it('knows Gregorian leap years', () => {
    expect([1900, 2000, 2023, 2024, 2100, 2400].map(isLeapYear)).toEqual([false, true, false, true, false, true]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2024, 4)).toBe(30);
    expect(daysInMonth(2024, 12)).toBe(31);
  });

  it('round-trips civil dates and agrees with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (days) => {
        const date = civilFromDays(days);
        expect(daysFromCivil(date)).toBe(days);
        const viaDate = new Date(days * 86_400_000);
        expect([viaDate.getUTCFullYear(), viaDate.getUTCMonth() + 1, viaDate.getUTCDate()]).toEqual([date.year, date.month, date.day]);
      }),
    );
  });

  it('clamps a month-end anchor to shorter months and returns to the anchor day afterwards', () => {
    const anchor = utc(2024, 1, 31, 12, 30, 5);
    const boundaries = [0, 1, 2, 3, 4, 13].map((i) => periodBoundary(anchor, monthly, i));
    expect(boundaries).toEqual([
      anchor,
      utc(2024, 2, 29, 12, 30, 5),
      utc(2024, 3, 31, 12, 30, 5),
      utc(2024, 4, 30, 12, 30, 5),
      utc(2024, 5, 31, 12, 30, 5),
      utc(2025, 2, 28, 12, 30, 5),
    ]);
  });

  it('bills a Feb 29 yearly anchor on Feb 28 in common years and Feb 29 in leap years', () => {
    const anchor = utc(2024, 2, 29, 8);
    expect([1, 2, 3, 4].map((i) => periodBoundary(anchor, yearly, i))).toEqual([
      utc(2025, 2, 28, 8),
      utc(2026, 2, 28, 8),
      utc(2027, 2, 28, 8),
      utc(2028, 2, 29, 8),
    ]);
  });

  it('handles quarterly, weekly and daily intervals and negative indexes', () => {
    const anchor = utc(2023, 11, 30);
    expect(periodBoundary(anchor, { interval: 'month', intervalCount: 3 }, 1)).toBe(utc(2024, 2, 29));
    expect(periodBoundary(anchor, { interval: 'month', intervalCount: 3 }, 2)).toBe(utc(2024, 5, 30));
    expect(periodBoundary(anchor, { interval: 'week', intervalCount: 2 }, 3)).toBe(anchor + 42 * 86_400);
    expect(periodBoundary(anchor, { interval: 'day', intervalCount: 1 }, -1)).toBe(utc(2023, 11, 29));
    expect(periodBoundary(anchor, monthly, -9)).toBe(utc(2023, 2, 28));
  });

  it('keeps the time of day and clamps the day when adding months', () => {
    expect(addMonthsClamped(utc(2023, 10, 31, 23, 59, 59), 4)).toBe(utc(2024, 2, 29, 23, 59, 59));
    expect(addMonthsClamped(utc(2024, 3, 31), -1)).toBe(utc(2024, 2, 29));
    expect(addMonthsClamped(utc(1999, 12, 15), 1)).toBe(utc(2000, 1, 15));
  });

  it('produces strictly increasing boundaries whose month/year periods match Date arithmetic with clamping', () => {
    fc.assert(
      fc.property(instant, recurrence, fc.integer({ min: -30, max: 60 }), (anchor, rec, index) => {
        const start = periodBoundary(anchor, rec, index);
        const end = periodBoundary(anchor, rec, index + 1);
        expect(end).toBeGreaterThan(start);
        if (rec.interval === 'month' || rec.interval === 'year') {
          const a = new Date(anchor * 1000);
          const months = rec.intervalCount * index * (rec.interval === 'year' ? 12 : 1);
          const targetMonth = a.getUTCMonth() + months;
          const firstOfTarget = new Date(Date.UTC(a.getUTCFullYear(), targetMonth, 1));
          const lastDay = new Date(Date.UTC(firstOfTarget.getUTCFullYear(), firstOfTarget.getUTCMonth() + 1, 0)).getUTCDate();
          const expected = Date.UTC(
            firstOfTarget.getUTCFullYear(),
            firstOfTarget.getUTCMonth(),
            Math.min(a.getUTCDate(), lastDay),
            a.getUTCHours(),
            a.getUTCMinutes(),
            a.getUTCSeconds(),
          );
          expect(start * 1000).toBe(expected);
        }
      }),
    );
  });

  it('finds the period containing any instant', () => {
    fc.assert(
      fc.property(instant, recurrence, instant, (anchor, rec, at) => {
        const period = periodContaining(anchor, rec, at);
        expect(period.start).toBeLessThanOrEqual(at);
        expect(period.end).toBeGreaterThan(at);
        expect(period).toEqual(periodAt(anchor, rec, period.index));
      }),
    );
  });

  it('prorates exactly, rounding half away from zero', () => {
    expect(prorate(1000, 15, 30)).toBe(500);
    expect(prorate(1001, 1, 2)).toBe(501);
    expect(prorate(-1001, 1, 2)).toBe(-501);
    expect(prorate(999, 1, 3)).toBe(333);
    expect(prorate(1000, 0, 30)).toBe(0);
    expect(Object.is(prorate(-1, 0, 30), 0)).toBe(true);
    expect(prorate(99_999_999, 31_622_399, 31_622_400)).toBe(99_999_996);
  });

  it('prorates within one unit of the exact rational and splits complementary parts without loss', () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 1, max: 31_622_400 }), fc.nat(), (amount, whole, seed) => {
        const part = seed % (whole + 1);
        const value = prorate(amount, part, whole);
        // |value × whole − amount × part| ≤ whole / 2, checked in BigInt so the check itself is exact.
        const error = BigInt(value) * BigInt(whole) - BigInt(amount) * BigInt(part);
        expect((error < 0n ? -error : error) * 2n <= BigInt(whole)).toBe(true);
        expect(Math.abs(prorate(amount, part, whole) + prorate(amount, whole - part, whole) - amount)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('refuses fractional or unsafe inputs as bugs', () => {
    expect(() => periodBoundary(1.5, monthly, 1)).toThrow();
    expect(() => periodBoundary(0, { interval: 'month', intervalCount: 0 }, 1)).toThrow();
    expect(() => prorate(10, 5, 0)).toThrow();
    expect(() => prorate(2 ** 40, 2 ** 20, 2 ** 21)).toThrow();
  });
});
