import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isExpired, utcYearMonth } from '../../../../src/domain/cards/expiry';
import { CARD_INPUT_ERRORS, normalizeCardNumber, validateCardInput } from '../../../../src/domain/cards/validate';

/** 2026-11-27T19:00:00Z */
const NOW_SECONDS = Date.UTC(2026, 10, 27, 19) / 1000;
const good = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };

describe('validateCardInput', () => {
  it('accepts a valid card and keeps no CVC', () => {
    const result = validateCardInput(good, NOW_SECONDS);
    expect(result).toEqual({
      ok: true,
      value: { number: '4242424242424242', brand: 'visa', expMonth: 12, expYear: 2030, cvcProvided: true },
    });
    expect(JSON.stringify(result)).not.toContain('123');
  });

  it('strips spaces and dashes from the number', () => {
    const result = validateCardInput({ ...good, number: '4242 4242-4242 4242' }, NOW_SECONDS);
    expect(result.ok && result.value.number).toBe('4242424242424242');
  });

  it.each([
    ['fails Luhn', '4242424242424241'],
    ['too short', '42424242426'],
    ['too long', '42424242424242424242'],
    ['letters', '4242abcd42424242'],
    ['non-ASCII digits', '４２４２４２４２４２４２４２４２'],
    ['empty', ''],
    ['oversize input', `${'4'.repeat(16)}${' '.repeat(60)}`],
  ])('rejects a number that %s with incorrect_number', (_label, number) => {
    expect(validateCardInput({ ...good, number }, NOW_SECONDS)).toEqual({ ok: false, error: CARD_INPUT_ERRORS.incorrect_number });
  });

  it('answers incorrect_number in Stripe shape', () => {
    expect(CARD_INPUT_ERRORS.incorrect_number).toEqual({
      code: 'incorrect_number',
      message: 'Your card number is incorrect.',
      param: 'card[number]',
    });
  });

  it.each([0, 13, '13', '', 'ab', 1.5, -1, '012'])('rejects month %s with invalid_expiry_month', (expMonth) => {
    const result = validateCardInput({ ...good, expMonth }, NOW_SECONDS);
    expect(result).toEqual({ ok: false, error: CARD_INPUT_ERRORS.invalid_expiry_month });
  });

  it('accepts months as strings with a leading zero', () => {
    const result = validateCardInput({ ...good, expMonth: '07' }, NOW_SECONDS);
    expect(result.ok && result.value.expMonth).toBe(7);
  });

  it.each([
    ['a past year', 2025, 12],
    ['a past month of this year', 2026, 10],
    ['a year too far ahead', 2077, 1],
    ['a three-digit year', '203', 1],
    ['a non-numeric year', '20x0', 1],
  ])('rejects %s with invalid_expiry_year', (_label, expYear, expMonth) => {
    const result = validateCardInput({ ...good, expYear, expMonth }, NOW_SECONDS);
    expect(result).toEqual({ ok: false, error: CARD_INPUT_ERRORS.invalid_expiry_year });
  });

  it('accepts the current month and two-digit years as 20xx', () => {
    expect(validateCardInput({ ...good, expMonth: 11, expYear: 2026 }, NOW_SECONDS).ok).toBe(true);
    const twoDigits = validateCardInput({ ...good, expYear: '30' }, NOW_SECONDS);
    expect(twoDigits.ok && twoDigits.value.expYear).toBe(2030);
    const numeric = validateCardInput({ ...good, expYear: 29 }, NOW_SECONDS);
    expect(numeric.ok && numeric.value.expYear).toBe(2029);
  });

  it('wants three CVC digits, four on amex', () => {
    for (const cvc of ['12', '1234', '12a', ' 123']) {
      expect(validateCardInput({ ...good, cvc }, NOW_SECONDS), cvc).toEqual({ ok: false, error: CARD_INPUT_ERRORS.invalid_cvc });
    }
    const amex = { ...good, number: '378282246310005' };
    expect(validateCardInput({ ...amex, cvc: '123' }, NOW_SECONDS)).toEqual({ ok: false, error: CARD_INPUT_ERRORS.invalid_cvc });
    expect(validateCardInput({ ...amex, cvc: '1234' }, NOW_SECONDS).ok).toBe(true);
  });

  it('treats a missing CVC as not provided', () => {
    const result = validateCardInput({ number: good.number, expMonth: 1, expYear: 2031 }, NOW_SECONDS);
    expect(result.ok && result.value.cvcProvided).toBe(false);
  });

  it('reports the first failing field: number, then month, year, cvc', () => {
    const codeOf = (input: Parameters<typeof validateCardInput>[0]) => {
      const result = validateCardInput(input, NOW_SECONDS);
      return result.ok ? null : result.error.code;
    };
    const bad = { number: '1', expMonth: 13, expYear: 1999, cvc: '1' };
    expect(codeOf(bad)).toBe('incorrect_number');
    expect(codeOf({ ...bad, number: good.number })).toBe('invalid_expiry_month');
    expect(codeOf({ ...bad, number: good.number, expMonth: 1 })).toBe('invalid_expiry_year');
    expect(codeOf({ ...bad, number: good.number, expMonth: 1, expYear: 2030 })).toBe('invalid_cvc');
  });
});

describe('normalizeCardNumber', () => {
  it('returns only digits, or null', () => {
    expect(normalizeCardNumber(' 3782-822463-10005 ')).toBe('378282246310005');
    expect(normalizeCardNumber('4242\t4242424242424242')).toBeNull();
  });
});

describe('utcYearMonth', () => {
  it('matches the UTC calendar for any time', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5e10, max: 5e10 }), (seconds) => {
        const d = new Date(seconds * 1000);
        expect(utcYearMonth(seconds)).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 });
      }),
    );
  });

  it('switches month exactly at midnight UTC', () => {
    const first = Date.UTC(2027, 0, 1) / 1000;
    expect(utcYearMonth(first - 1)).toEqual({ year: 2026, month: 12 });
    expect(utcYearMonth(first)).toEqual({ year: 2027, month: 1 });
  });
});

describe('isExpired', () => {
  it('keeps a card valid through the last second of its expiry month', () => {
    const endOfNovember = Date.UTC(2026, 11, 1) / 1000 - 1;
    expect(isExpired(11, 2026, endOfNovember)).toBe(false);
    expect(isExpired(11, 2026, endOfNovember + 1)).toBe(true);
  });
});
