import { describe, expect, it } from 'vitest';
import { brandOf, cvcLengthFor, displayBrandOf, networksAvailableFor } from '../../../../src/domain/cards/brand';

describe('brandOf', () => {
  it.each([
    ['4242424242424242', 'visa'],
    ['5105105105105100', 'mastercard'],
    ['5555555555554444', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['2720990000000007', 'mastercard'],
    ['340000000000009', 'amex'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['6445644564456445', 'discover'],
    ['6500000000000002', 'discover'],
    ['3056930009020004', 'diners'],
    ['36227206271667', 'diners'],
    ['38520000023237', 'diners'],
    ['3528000000000007', 'jcb'],
    ['3589000000000003', 'jcb'],
    ['3566002020360505', 'jcb'],
    ['6200000000000005', 'unionpay'],
    ['8100000000000008', 'unionpay'],
  ])('reads %s as %s', (number, brand) => {
    expect(brandOf(number)).toBe(brand);
  });

  it('reads numbers just outside the ranges as unknown', () => {
    for (const n of ['2220990000000000', '2721000000000000', '5000000000000000', '5600000000000000', '3527000000000000', '3590000000000000', '3060000000000000', '7000000000000000', '9000000000000000', '1']) {
      expect(brandOf(n), n).toBe('unknown');
    }
  });
});

describe('displayBrandOf and networksAvailableFor', () => {
  it('uses Stripe display_brand spellings', () => {
    expect(displayBrandOf('amex')).toBe('american_express');
    expect(displayBrandOf('diners')).toBe('diners_club');
    expect(displayBrandOf('unionpay')).toBe('union_pay');
    expect(displayBrandOf('unknown')).toBe('other');
    expect(displayBrandOf('visa')).toBe('visa');
  });

  it('lists the brand network, and none for unknown', () => {
    expect(networksAvailableFor('mastercard')).toEqual(['mastercard']);
    expect(networksAvailableFor('unknown')).toEqual([]);
  });

  it('expects four CVC digits only on amex', () => {
    expect(cvcLengthFor('amex')).toBe(4);
    expect(cvcLengthFor('visa')).toBe(3);
  });
});
