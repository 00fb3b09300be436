import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../../../src/domain/assert';
import { BALANCE_MINOR_MAX } from '../../../../src/domain/limits';
import {
  addMinor,
  divideFloor,
  formatMinor,
  formatMinorDigits,
  subtractMinor,
  sumMinor,
} from '../../../../src/domain/money/minor-units';

describe('addMinor / subtractMinor / sumMinor', () => {
  it('adds and subtracts integers exactly', () => {
    expect(addMinor(1234, -34)).toBe(1200);
    expect(subtractMinor(50, 80)).toBe(-30);
    expect(sumMinor([1, 2, 3, -6])).toBe(0);
    expect(sumMinor([])).toBe(0);
  });

  it('reaches exactly ±BALANCE_MINOR_MAX and throws one unit beyond', () => {
    expect(addMinor(BALANCE_MINOR_MAX - 1, 1)).toBe(BALANCE_MINOR_MAX);
    expect(subtractMinor(-BALANCE_MINOR_MAX + 1, 1)).toBe(-BALANCE_MINOR_MAX);
    expect(() => addMinor(BALANCE_MINOR_MAX, 1)).toThrow(InvariantViolation);
    expect(() => subtractMinor(-BALANCE_MINOR_MAX, 1)).toThrow(InvariantViolation);
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, BALANCE_MINOR_MAX + 1])('throws on operand %d', (bad) => {
    expect(() => addMinor(bad, 0)).toThrow(InvariantViolation);
    expect(() => subtractMinor(0, bad)).toThrow(InvariantViolation);
    expect(() => sumMinor([1, bad])).toThrow(InvariantViolation);
  });

  it('keeps BALANCE_MINOR_MAX far enough below 2^53 that sums of 80 bounded values stay exact', () => {
    expect(BALANCE_MINOR_MAX * 80).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });
});

describe('divideFloor', () => {
  it('matches BigInt division on non-negative safe integers', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 1, max: 1_000_000_000 }), (a, b) => {
        expect(BigInt(divideFloor(a, b))).toBe(BigInt(a) / BigInt(b));
      }),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe('formatMinor', () => {
  it.each([
    [1234, 'usd', '$12.34'],
    [5, 'usd', '$0.05'],
    [0, 'usd', '$0.00'],
    [-5, 'eur', '-€0.05'],
    [99_999_999, 'usd', '$999999.99'],
    [1050, 'jpy', '¥1050'],
    [-1050, 'jpy', '-¥1050'],
    [30, 'gbp', '£0.30'],
    [300, 'sek', '3.00 sek'],
    [17_500, 'huf', '175.00 huf'],
    [500, 'xof', '500 xof'],
  ] as const)('formats %d %s as %s', (amount, currency, text) => {
    expect(formatMinor(amount, currency)).toBe(text);
  });

  it('round-trips two-decimal digits back to the integer with no float error', () => {
    fc.assert(
      fc.property(fc.integer({ min: -BALANCE_MINOR_MAX, max: BALANCE_MINOR_MAX }), (amount) => {
        const digits = formatMinorDigits(amount, 'usd');
        expect(digits).toMatch(/^-?\d+\.\d{2}$/);
        expect(Number(digits.replace('.', ''))).toBe(amount);
      }),
      { seed: 11, numRuns: 2000 },
    );
  });
});
