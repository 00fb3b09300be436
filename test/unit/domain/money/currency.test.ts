import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMOUNT_MINOR_MAX } from '../../../../src/domain/limits';
import { checkChargeAmount } from '../../../../src/domain/money/amount';
import {
  CURRENCIES,
  SUPPORTED_CURRENCY_CODES,
  THREE_DECIMAL_CURRENCIES,
  currencyInfo,
  isCurrencyCode,
  parseCurrency,
  type CurrencyCode,
} from '../../../../src/domain/money/currency';
import { formatMinorWithCode } from '../../../../src/domain/money/minor-units';
import { fromDomainError } from '../../../../src/stripe/errors';

const ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf'];

/** Stripe's published minimums, in minor units. */
const STRIPE_MINIMUMS: Record<string, number> = {
  usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50, chf: 50, jpy: 50, sek: 300, nok: 300, dkk: 250,
  nzd: 50, sgd: 50, hkd: 400, mxn: 1000, brl: 50, pln: 200, czk: 1500, huf: 17500, inr: 50,
};

describe('CURRENCIES', () => {
  it('marks exactly Stripe’s zero-decimal list as exponent 0', () => {
    const zero = SUPPORTED_CURRENCY_CODES.filter((c) => currencyInfo(c).exponent === 0).sort();
    expect(zero).toEqual([...ZERO_DECIMAL].sort());
  });

  it('uses Stripe’s published minimum for each settlement currency', () => {
    for (const [code, minimum] of Object.entries(STRIPE_MINIMUMS)) {
      expect(isCurrencyCode(code)).toBe(true);
      expect(CURRENCIES[code as CurrencyCode].minimumChargeMinor, code).toBe(minimum);
    }
  });

  it('keeps every minimum a positive integer under the charge ceiling', () => {
    for (const code of SUPPORTED_CURRENCY_CODES) {
      const { minimumChargeMinor } = currencyInfo(code);
      expect(Number.isSafeInteger(minimumChargeMinor) && minimumChargeMinor > 0 && minimumChargeMinor < AMOUNT_MINOR_MAX, code).toBe(true);
    }
  });

  it('lists usd first, then the rest alphabetically, with no three-decimal currency', () => {
    expect(SUPPORTED_CURRENCY_CODES[0]).toBe('usd');
    const rest = SUPPORTED_CURRENCY_CODES.slice(1);
    expect(rest).toEqual([...rest].sort());
    for (const code of THREE_DECIMAL_CURRENCIES) expect(isCurrencyCode(code)).toBe(false);
  });
});

describe('parseCurrency', () => {
  it('canonicalises case to lower-case', () => {
    expect(parseCurrency('USD')).toEqual({ ok: true, value: 'usd' });
    expect(parseCurrency('uSd')).toEqual({ ok: true, value: 'usd' });
    expect(parseCurrency('jpy')).toEqual({ ok: true, value: 'jpy' });
  });

  it('refuses unknown codes with Stripe’s message, on param currency, without a code', () => {
    const result = parseCurrency('xyz');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ reason: 'invalid_request', param: 'currency', code: null });
    if (result.error.reason !== 'invalid_request') return;
    expect(result.error.message).toMatch(/^Invalid currency: xyz\. Stripe currently supports these currencies: usd, aud, bif, /);
  });

  it.each(THREE_DECIMAL_CURRENCIES)('refuses three-decimal %s as currency_not_supported rather than mis-scaling it', (code) => {
    expect(parseCurrency(code)).toMatchObject({ ok: false, error: { param: 'currency', code: 'currency_not_supported' } });
    expect(parseCurrency(code.toUpperCase())).toMatchObject({ ok: false, error: { code: 'currency_not_supported' } });
  });

  it.each([
    ['full-width', 'ＵＳＤ'],
    ['Cyrillic у and е look-alikes', 'usd'.replace('u', '\u0443')],
    ['Cyrillic ЕUR', '\u0415UR'],
    ['trailing NUL', 'usd\u0000'],
    ['leading space', ' usd'],
    ['two letters', 'US'],
    ['four letters', 'USDD'],
    ['empty', ''],
    ['prototype key', '__proto__'],
    ['Object.prototype member', 'constructor'],
    ['dotless-i lower-casing trap', 'İnr'],
  ])('refuses %s', (_label, text) => {
    expect(parseCurrency(text).ok).toBe(false);
  });

  it('echoes only short printable ASCII back in the message', () => {
    const long = parseCurrency('x'.repeat(5000));
    const nul = parseCurrency('us\u0000');
    for (const result of [long, nul]) {
      expect(result.ok).toBe(false);
      if (result.ok || result.error.reason !== 'invalid_request') throw new Error('expected invalid_request');
      expect(result.error.message.startsWith('Invalid currency. Stripe currently supports')).toBe(true);
    }
  });

  it('accepts a string only if it is three ASCII letters naming a table entry', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 6 }), (text) => {
        const result = parseCurrency(text);
        const expected = /^[A-Za-z]{3}$/.test(text) && isCurrencyCode(text.toLowerCase());
        expect(result.ok).toBe(expected);
        if (result.ok) expect(result.value).toBe(text.toLowerCase());
      }),
      { seed: 20260501, numRuns: 2000 },
    );
  });
});

describe('checkChargeAmount', () => {
  it('accepts the minimum and the eight-digit maximum', () => {
    expect(checkChargeAmount(50, 'usd')).toEqual({ ok: true, value: 50 });
    expect(checkChargeAmount(AMOUNT_MINOR_MAX, 'usd')).toEqual({ ok: true, value: AMOUNT_MINOR_MAX });
    expect(checkChargeAmount(1050, 'jpy')).toEqual({ ok: true, value: 1050 });
  });

  it('reports below-minimum amounts as amount_too_small with Stripe’s message', () => {
    const result = checkChargeAmount(49, 'usd');
    expect(result).toEqual({ ok: false, error: { reason: 'amount_too_small', param: 'amount', minimum: 50, currency: 'usd' } });
    if (result.ok) return;
    expect(fromDomainError(result.error).error).toMatchObject({
      message: 'Amount must be at least $0.50 usd',
      code: 'amount_too_small',
      param: 'amount',
    });
  });

  it('formats minimums by exponent: whole yen, two-decimal sek and huf', () => {
    expect(formatMinorWithCode(currencyInfo('jpy').minimumChargeMinor, 'jpy')).toBe('¥50 jpy');
    expect(formatMinorWithCode(currencyInfo('gbp').minimumChargeMinor, 'gbp')).toBe('£0.30 gbp');
    expect(formatMinorWithCode(currencyInfo('sek').minimumChargeMinor, 'sek')).toBe('3.00 sek');
    expect(formatMinorWithCode(currencyInfo('huf').minimumChargeMinor, 'huf')).toBe('175.00 huf');
    expect(formatMinorWithCode(currencyInfo('krw').minimumChargeMinor, 'krw')).toBe('₩700 krw');
  });

  it.each([0, -1, -50])('treats %d as below the minimum', (amount) => {
    expect(checkChargeAmount(amount, 'eur')).toMatchObject({ ok: false, error: { reason: 'amount_too_small' } });
  });

  it.each([AMOUNT_MINOR_MAX + 1, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 1, 1e21])('refuses %d as amount_too_large', (amount) => {
    const result = checkChargeAmount(amount, 'usd', 'amount_to_capture');
    expect(result).toMatchObject({ ok: false, error: { reason: 'amount_too_large', param: 'amount_to_capture' } });
    if (result.ok || result.error.reason !== 'amount_too_large') return;
    expect(result.error.message).toBe('Amount must be no more than $999999.99 usd');
  });

  it.each([10.5, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('refuses non-integer %d', (amount) => {
    expect(checkChargeAmount(amount, 'jpy')).toMatchObject({ ok: false, error: { reason: 'invalid_request', code: 'parameter_invalid_integer' } });
  });
});
