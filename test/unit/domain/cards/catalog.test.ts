import { describe, expect, it } from 'vitest';
import { DECLINES } from '../../../../src/domain/cards/behaviour';
import { brandOf } from '../../../../src/domain/cards/brand';
import {
  LUHN_INVALID_TEST_NUMBER,
  MAGIC_PAYMENT_METHOD_IDS,
  TEST_CARDS,
  TEST_TOKENS,
  isMagicPaymentMethodId,
  testCardByNumber,
  testCardByPaymentMethodId,
  testCardByToken,
  tokenFor,
} from '../../../../src/domain/cards/catalog';
import { isLuhnValid } from '../../../../src/domain/cards/luhn';
import { CARD_INPUT_ERRORS, validateCardInput } from '../../../../src/domain/cards/validate';

const NOW_SECONDS = Date.UTC(2026, 10, 27, 19) / 1000;

/** CONTRACT §7.1–§7.4: every number and magic id listed there. */
const CONTRACT_CARDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['4242424242424242', ['pm_card_visa']],
  ['4000056655665556', ['pm_card_visa_debit']],
  ['5555555555554444', ['pm_card_mastercard']],
  ['5200828282828210', ['pm_card_mastercard_debit']],
  ['5105105105105100', ['pm_card_mastercard_prepaid']],
  ['378282246310005', ['pm_card_amex']],
  ['6011111111111117', ['pm_card_discover']],
  ['3056930009020004', ['pm_card_diners']],
  ['3566002020360505', ['pm_card_jcb']],
  ['6200000000000005', ['pm_card_unionpay']],
  ['4000000000000002', ['pm_card_visa_chargeDeclined', 'pm_card_chargeDeclined']],
  ['4000000000009995', ['pm_card_visa_chargeDeclinedInsufficientFunds', 'pm_card_chargeDeclinedInsufficientFunds']],
  ['4000000000009987', ['pm_card_visa_chargeDeclinedLostCard']],
  ['4000000000009979', ['pm_card_visa_chargeDeclinedStolenCard']],
  ['4000000000006975', ['pm_card_visa_chargeDeclinedVelocityLimitExceeded']],
  ['4000000000000069', ['pm_card_chargeDeclinedExpiredCard']],
  ['4000000000000127', ['pm_card_chargeDeclinedIncorrectCvc']],
  ['4000000000000119', ['pm_card_chargeDeclinedProcessingError']],
  ['4000000000000341', ['pm_card_chargeCustomerFail']],
  ['4100000000000019', ['pm_card_radarBlock']],
  ['4000002500003155', ['pm_card_authenticationRequiredOnSetup']],
  ['4000002760003184', ['pm_card_authenticationRequired']],
  ['4000000000003220', ['pm_card_threeDSecure2Required']],
  ['4000008260003178', ['pm_card_authenticationRequiredChargeDeclinedInsufficientFunds']],
  ['4000000000003055', ['pm_card_threeDSecureOptional']],
  ['4000000000000077', ['pm_card_bypassPending']],
  ['4000003720000278', ['pm_card_bypassPendingInternational']],
  ['4000000000007726', ['pm_card_pendingRefund']],
  ['4000000000005126', ['pm_card_refundFail']],
  ['4000000000000259', ['pm_card_createDispute']],
  ['4000000000000101', ['pm_card_cvcCheckFail']],
  ['4000000000000036', ['pm_card_avsZipFail']],
];

function declineOf(number: string) {
  const behaviour = testCardByNumber(number)!.behaviour.authorization;
  return behaviour === 'approve' ? null : behaviour.decline;
}

describe('TEST_CARDS', () => {
  it('contains every card and magic id of CONTRACT §7.1–§7.4', () => {
    for (const [number, ids] of CONTRACT_CARDS) {
      const card = testCardByNumber(number);
      expect(card, number).not.toBeNull();
      for (const id of ids) expect(testCardByPaymentMethodId(id)?.number, id).toBe(number);
    }
  });

  it('has only Luhn-valid numbers that pass card validation, with the brand their IIN says', () => {
    for (const card of TEST_CARDS) {
      expect(isLuhnValid(card.number), card.number).toBe(true);
      expect(brandOf(card.number), card.number).toBe(card.brand);
      const cvc = card.brand === 'amex' ? '1234' : '123';
      expect(validateCardInput({ number: card.number, expMonth: 12, expYear: 2030, cvc }, NOW_SECONDS).ok, card.number).toBe(true);
    }
  });

  it('keeps 4242424242424241 out: it fails Luhn and validation', () => {
    expect(isLuhnValid(LUHN_INVALID_TEST_NUMBER)).toBe(false);
    expect(testCardByNumber(LUHN_INVALID_TEST_NUMBER)).toBeNull();
    const result = validateCardInput({ number: LUHN_INVALID_TEST_NUMBER, expMonth: 12, expYear: 2030 }, NOW_SECONDS);
    expect(result).toEqual({ ok: false, error: CARD_INPUT_ERRORS.incorrect_number });
  });

  it('lists each number once', () => {
    expect(new Set(TEST_CARDS.map((c) => c.number)).size).toBe(TEST_CARDS.length);
  });

  it('records funding and country of the by-brand cards', () => {
    expect(testCardByNumber('4000056655665556')).toMatchObject({ funding: 'debit', country: 'US' });
    expect(testCardByNumber('5105105105105100')).toMatchObject({ funding: 'prepaid' });
    expect(testCardByNumber('4000003720000278')).toMatchObject({ country: 'IE' });
  });
});

describe('test card behaviour', () => {
  it('declines with the documented code, decline_code and message', () => {
    expect(declineOf('4000000000000002')).toMatchObject({ code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' });
    expect(declineOf('4000000000009995')).toMatchObject({ code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' });
    expect(declineOf('4000000000009987')).toMatchObject({ declineCode: 'lost_card', message: 'Your card was declined.' });
    expect(declineOf('4000000000009979')).toMatchObject({ declineCode: 'stolen_card', message: 'Your card was declined.' });
    expect(declineOf('4000000000006975')).toMatchObject({ declineCode: 'card_velocity_exceeded' });
    expect(declineOf('4000000000000069')).toMatchObject({ code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.' });
    expect(declineOf('4000000000000127')).toMatchObject({ code: 'incorrect_cvc', message: "Your card's security code is incorrect." });
    expect(declineOf('4000000000000119')).toMatchObject({
      code: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    });
    expect(declineOf('4100000000000019')).toMatchObject({ declineCode: 'fraudulent', outcomeType: 'blocked' });
    expect(declineOf('4242424242424242')).toBeNull();
  });

  it('marks the 3DS cards', () => {
    const auth = (n: string) => testCardByNumber(n)!.behaviour;
    expect(auth('4000002500003155').authentication).toBe('required_on_session');
    expect(auth('4000002760003184').authentication).toBe('required');
    expect(auth('4000000000003220').authentication).toBe('required');
    expect(auth('4000008260003178')).toMatchObject({ authentication: 'required', afterAuthentication: { decline: DECLINES.insufficientFunds } });
    expect(auth('4000000000003055')).toMatchObject({ authentication: 'none', authorization: 'approve' });
  });

  it('keeps a declining card declining after 3DS', () => {
    expect(testCardByNumber('4000000000000002')!.behaviour.afterAuthentication).toEqual({ decline: DECLINES.generic });
  });

  it('marks balance, refund, dispute and check cards', () => {
    const b = (n: string) => testCardByNumber(n)!.behaviour;
    expect(b('4000000000000077').availability).toBe('bypass_pending');
    expect(b('4000003720000278').availability).toBe('bypass_pending');
    expect(b('4000000000007726').refund).toBe('pending_then_succeed');
    expect(b('4000000000005126').refund).toBe('succeed_then_fail');
    expect(b('4000000000000259').dispute).toBe(true);
    expect(b('4000000000000101').checks.cvcCheck).toBe('fail');
    expect(b('4000000000000036').checks.addressPostalCodeCheck).toBe('fail');
    expect(b('4242424242424242')).toMatchObject({ availability: 'standard', refund: 'succeed', dispute: false });
  });
});

describe('magic ids and tokens', () => {
  it('resolves every magic id and its tok_ twin to the same card', () => {
    expect(MAGIC_PAYMENT_METHOD_IDS.length).toBeGreaterThanOrEqual(34);
    for (const id of MAGIC_PAYMENT_METHOD_IDS) {
      expect(isMagicPaymentMethodId(id)).toBe(true);
      const card = testCardByPaymentMethodId(id);
      expect(card, id).not.toBeNull();
      expect(testCardByToken(tokenFor(id)), tokenFor(id)).toBe(card);
    }
    expect(TEST_TOKENS).toContain('tok_visa');
    expect(TEST_TOKENS).toContain('tok_chargeDeclined');
    expect(TEST_TOKENS).toContain('tok_visa_chargeDeclined');
    expect(TEST_TOKENS).toContain('tok_bypassPending');
    expect(testCardByToken('tok_chargeDeclinedInsufficientFunds')?.number).toBe('4000000000009995');
  });

  it('resolves nothing for unknown or ordinary ids', () => {
    expect(testCardByPaymentMethodId('pm_card_nope')).toBeNull();
    expect(isMagicPaymentMethodId('pm_card_nope')).toBe(true);
    expect(testCardByPaymentMethodId('pm_1Abc')).toBeNull();
    expect(isMagicPaymentMethodId('pm_1Abc')).toBe(false);
    expect(testCardByToken('tok_nope')).toBeNull();
    expect(testCardByPaymentMethodId('__proto__')).toBeNull();
    expect(testCardByToken('constructor')).toBeNull();
  });
});
