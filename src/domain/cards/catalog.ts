/**
 * Stripe's test cards (CONTRACT §7.1–§7.4) with their documented outcomes, and the magic
 * PaymentMethod ids (`pm_card_*`) and tokens (`tok_*`) that stand for them. Every `pm_card_X`
 * has a `tok_X` twin. Numbers here are public test numbers; real numbers are never listed.
 * Any other Luhn-valid number behaves like `4242424242424242` (see profile.ts).
 */
import type { CardBrand } from './brand';
import { behaviourWith, DECLINES, SUCCESSFUL_BEHAVIOUR, type BehaviourChanges, type CardBehaviour } from './behaviour';

export type CardFunding = 'credit' | 'debit' | 'prepaid' | 'unknown';

export interface TestCard {
  readonly number: string;
  readonly brand: CardBrand;
  readonly funding: CardFunding;
  /** ISO 3166-1 alpha-2 of the issuer. */
  readonly country: string;
  readonly behaviour: CardBehaviour;
  /** Magic ids that resolve to this card (canonical first); may be empty. */
  readonly paymentMethodIds: readonly string[];
}

/** Fails the Luhn check on purpose: PaymentMethod/token creation answers `incorrect_number`. */
export const LUHN_INVALID_TEST_NUMBER = '4242424242424241';

const MAGIC_PAYMENT_METHOD_PREFIX = 'pm_card_';
const TEST_TOKEN_PREFIX = 'tok_';

function card(
  number: string,
  brand: CardBrand,
  paymentMethodIds: readonly string[],
  options: { funding?: CardFunding; country?: string; behaviour?: BehaviourChanges } = {},
): TestCard {
  return {
    number,
    brand,
    funding: options.funding ?? 'credit',
    country: options.country ?? 'US',
    behaviour: options.behaviour ? behaviourWith(options.behaviour) : SUCCESSFUL_BEHAVIOUR,
    paymentMethodIds,
  };
}

const decline = (d: (typeof DECLINES)[keyof typeof DECLINES]): BehaviourChanges => ({ authorization: { decline: d } });

export const TEST_CARDS: readonly TestCard[] = [
  // §7.1 successful cards, by brand
  card('4242424242424242', 'visa', ['pm_card_visa']),
  card('4000056655665556', 'visa', ['pm_card_visa_debit'], { funding: 'debit' }),
  card('5555555555554444', 'mastercard', ['pm_card_mastercard']),
  card('2223003122003222', 'mastercard', []),
  card('5200828282828210', 'mastercard', ['pm_card_mastercard_debit'], { funding: 'debit' }),
  card('5105105105105100', 'mastercard', ['pm_card_mastercard_prepaid'], { funding: 'prepaid' }),
  card('378282246310005', 'amex', ['pm_card_amex']),
  card('6011111111111117', 'discover', ['pm_card_discover']),
  card('3056930009020004', 'diners', ['pm_card_diners']),
  card('3566002020360505', 'jcb', ['pm_card_jcb'], { country: 'JP' }),
  card('6200000000000005', 'unionpay', ['pm_card_unionpay'], { country: 'CN' }),
  // §7.2 declines and errors
  card('4000000000000002', 'visa', ['pm_card_visa_chargeDeclined', 'pm_card_chargeDeclined'], {
    behaviour: decline(DECLINES.generic),
  }),
  card(
    '4000000000009995',
    'visa',
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'pm_card_chargeDeclinedInsufficientFunds'],
    { behaviour: decline(DECLINES.insufficientFunds) },
  ),
  card('4000000000009987', 'visa', ['pm_card_visa_chargeDeclinedLostCard'], { behaviour: decline(DECLINES.lostCard) }),
  card('4000000000009979', 'visa', ['pm_card_visa_chargeDeclinedStolenCard'], { behaviour: decline(DECLINES.stolenCard) }),
  card('4000000000006975', 'visa', ['pm_card_visa_chargeDeclinedVelocityLimitExceeded'], {
    behaviour: decline(DECLINES.velocityExceeded),
  }),
  card('4000000000000069', 'visa', ['pm_card_chargeDeclinedExpiredCard'], { behaviour: decline(DECLINES.expiredCard) }),
  card('4000000000000127', 'visa', ['pm_card_chargeDeclinedIncorrectCvc'], { behaviour: decline(DECLINES.incorrectCvc) }),
  card('4000000000000119', 'visa', ['pm_card_chargeDeclinedProcessingError'], {
    behaviour: decline(DECLINES.processingError),
  }),
  card('4000000000000341', 'visa', ['pm_card_chargeCustomerFail'], { behaviour: decline(DECLINES.generic) }),
  card('4100000000000019', 'visa', ['pm_card_radarBlock'], { behaviour: decline(DECLINES.fraudulentBlocked) }),
  // §7.3 authentication (3DS)
  card('4000002500003155', 'visa', ['pm_card_authenticationRequiredOnSetup'], {
    country: 'FR',
    behaviour: { authentication: 'required_on_session' },
  }),
  card('4000002760003184', 'visa', ['pm_card_authenticationRequired'], {
    country: 'DE',
    behaviour: { authentication: 'required' },
  }),
  card('4000000000003220', 'visa', ['pm_card_threeDSecure2Required'], { behaviour: { authentication: 'required' } }),
  card('4000008260003178', 'visa', ['pm_card_authenticationRequiredChargeDeclinedInsufficientFunds'], {
    country: 'GB',
    behaviour: { authentication: 'required', afterAuthentication: { decline: DECLINES.insufficientFunds } },
  }),
  card('4000000000003055', 'visa', ['pm_card_threeDSecureOptional']),
  // §7.4 balance, refunds, disputes, checks
  card('4000000000000077', 'visa', ['pm_card_bypassPending'], { behaviour: { availability: 'bypass_pending' } }),
  card('4000003720000278', 'visa', ['pm_card_bypassPendingInternational'], {
    country: 'IE',
    behaviour: { availability: 'bypass_pending' },
  }),
  card('4000000000007726', 'visa', ['pm_card_pendingRefund'], { behaviour: { refund: 'pending_then_succeed' } }),
  card('4000000000005126', 'visa', ['pm_card_refundFail'], { behaviour: { refund: 'succeed_then_fail' } }),
  card('4000000000000259', 'visa', ['pm_card_createDispute'], { behaviour: { dispute: true } }),
  card('4000000000000101', 'visa', ['pm_card_cvcCheckFail'], { behaviour: { checks: { cvcCheck: 'fail' } } }),
  card('4000000000000036', 'visa', ['pm_card_avsZipFail'], { behaviour: { checks: { addressPostalCodeCheck: 'fail' } } }),
];

function indexBy(key: (c: TestCard) => readonly string[]): ReadonlyMap<string, TestCard> {
  const map = new Map<string, TestCard>();
  for (const c of TEST_CARDS) for (const k of key(c)) map.set(k, c);
  return map;
}

/** `pm_card_X` → `tok_X`. */
export function tokenFor(paymentMethodId: string): string {
  return `${TEST_TOKEN_PREFIX}${paymentMethodId.slice(MAGIC_PAYMENT_METHOD_PREFIX.length)}`;
}

const BY_NUMBER = indexBy((c) => [c.number]);
const BY_PAYMENT_METHOD_ID = indexBy((c) => c.paymentMethodIds);
const BY_TOKEN = indexBy((c) => c.paymentMethodIds.map(tokenFor));

export const MAGIC_PAYMENT_METHOD_IDS: readonly string[] = [...BY_PAYMENT_METHOD_ID.keys()];
export const TEST_TOKENS: readonly string[] = [...BY_TOKEN.keys()];

export function testCardByNumber(digits: string): TestCard | null {
  return BY_NUMBER.get(digits) ?? null;
}

/** The card behind a magic id (`pm_card_visa`), or null (including for ordinary `pm_…` ids). */
export function testCardByPaymentMethodId(id: string): TestCard | null {
  return BY_PAYMENT_METHOD_ID.get(id) ?? null;
}

/** The card behind a test token (`tok_visa`), or null. */
export function testCardByToken(token: string): TestCard | null {
  return BY_TOKEN.get(token) ?? null;
}

/** Looks like a magic id, known or not: an unknown one is a `resource_missing`, not a stored id. */
export function isMagicPaymentMethodId(id: string): boolean {
  return id.startsWith(MAGIC_PAYMENT_METHOD_PREFIX);
}
