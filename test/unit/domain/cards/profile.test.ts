import { describe, expect, it } from 'vitest';
import { SUCCESSFUL_BEHAVIOUR } from '../../../../src/domain/cards/behaviour';
import { TEST_CARDS, testCardByNumber, testCardByPaymentMethodId } from '../../../../src/domain/cards/catalog';
import { profileOf, profileOfTestCard } from '../../../../src/domain/cards/profile';
import { validateCardInput, type CardInput } from '../../../../src/domain/cards/validate';

const NOW_SECONDS = Date.UTC(2026, 10, 27, 19) / 1000;

function validated(input: CardInput) {
  const result = validateCardInput(input, NOW_SECONDS);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
}

/** Any run of 12+ digits, or the CVC, in the serialised profile would be a leak. */
function expectNoCardData(profile: unknown, number: string, cvc?: string): void {
  const text = JSON.stringify(profile);
  expect(text).not.toContain(number);
  expect(text).not.toMatch(/\d{12,}/);
  if (cvc) expect(text).not.toMatch(new RegExp(`"${cvc}"|:${cvc}[,}]`));
  expect(Object.keys(profile as object)).not.toEqual(expect.arrayContaining(['number']));
  expect(text).not.toMatch(/"(number|cvc|cvv|pan)"/);
}

describe('profileOf', () => {
  it('keeps brand, last4, expiry, funding, country and checks', () => {
    const profile = profileOf(validated({ number: '4000 0566 5566 5556', expMonth: '3', expYear: '29', cvc: '987' }), { postalCode: true });
    expect(profile).toEqual({
      brand: 'visa',
      displayBrand: 'visa',
      last4: '5556',
      expMonth: 3,
      expYear: 2029,
      funding: 'debit',
      country: 'US',
      networksAvailable: ['visa'],
      threeDSecureSupported: true,
      checks: { cvcCheck: 'pass', addressLine1Check: 'unchecked', addressPostalCodeCheck: 'pass' },
      behaviour: SUCCESSFUL_BEHAVIOUR,
    });
    expectNoCardData(profile, '4000056655665556', '987');
  });

  it('carries no number or CVC for any catalogue card', () => {
    for (const card of TEST_CARDS) {
      const cvc = card.brand === 'amex' ? '4321' : '321';
      const profile = profileOf(validated({ number: card.number, expMonth: 12, expYear: 2030, cvc }));
      expectNoCardData(profile, card.number, cvc);
      expect(profile.behaviour).toEqual(card.behaviour);
      expect(profile.last4).toBe(card.number.slice(-4));
    }
  });

  it('treats an unknown valid number as a successful US credit card', () => {
    const profile = profileOf(validated({ number: '4111111111111111', expMonth: 1, expYear: 2031 }));
    expect(profile).toMatchObject({ brand: 'visa', funding: 'credit', country: 'US', behaviour: SUCCESSFUL_BEHAVIOUR });
    expect(profile.checks.cvcCheck).toBe('unchecked');
  });

  it('fails the CVC check of 4000000000000101 only when a CVC is given', () => {
    const withCvc = profileOf(validated({ number: '4000000000000101', expMonth: 1, expYear: 2031, cvc: '123' }));
    const without = profileOf(validated({ number: '4000000000000101', expMonth: 1, expYear: 2031 }));
    expect(withCvc.checks.cvcCheck).toBe('fail');
    expect(without.checks.cvcCheck).toBe('unchecked');
  });

  it('fails the postal check of 4000000000000036 when a postal code is given', () => {
    const profile = profileOf(validated({ number: '4000000000000036', expMonth: 1, expYear: 2031 }), { postalCode: true });
    expect(profile.checks.addressPostalCodeCheck).toBe('fail');
  });
});

describe('profileOfTestCard', () => {
  it('expires a year after the current month and carries no number', () => {
    const card = testCardByPaymentMethodId('pm_card_amex')!;
    const profile = profileOfTestCard(card, NOW_SECONDS);
    expect(profile).toMatchObject({ brand: 'amex', displayBrand: 'american_express', last4: '0005', expMonth: 11, expYear: 2027 });
    expectNoCardData(profile, card.number);
  });

  it('shows the documented checks as if CVC and address were given', () => {
    const profile = profileOfTestCard(testCardByNumber('4000000000000101')!, NOW_SECONDS);
    expect(profile.checks).toEqual({ cvcCheck: 'fail', addressLine1Check: 'pass', addressPostalCodeCheck: 'pass' });
  });
});
