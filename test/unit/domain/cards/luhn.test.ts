import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLuhnValid, luhnCheckDigit } from '../../../../src/domain/cards/luhn';

describe('isLuhnValid', () => {
  it('accepts numbers whose check digit is right', () => {
    for (const n of ['4242424242424242', '378282246310005', '6011111111111117', '0', '79927398713']) {
      expect(isLuhnValid(n), n).toBe(true);
    }
  });

  it('rejects a wrong check digit', () => {
    expect(isLuhnValid('4242424242424241')).toBe(false);
    expect(isLuhnValid('79927398710')).toBe(false);
  });

  it('rejects anything that is not ASCII digits', () => {
    for (const n of ['', '4242 4242 4242 4242', '4242-4242', '42424242424242a2', '４２４２', '-0']) {
      expect(isLuhnValid(n), n).toBe(false);
    }
  });

  it('detects every single-digit change', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 11, maxLength: 18 }), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, at, delta) => {
        const valid = payload + luhnCheckDigit(payload);
        const i = at % valid.length;
        const changed = valid.slice(0, i) + String((Number(valid[i]) + delta) % 10) + valid.slice(i + 1);
        expect(isLuhnValid(valid)).toBe(true);
        expect(isLuhnValid(changed)).toBe(false);
      }),
    );
  });
});
