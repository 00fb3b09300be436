/**
 * CardProfile: everything about a card that may be kept, shown or sent to the processor —
 * brand, last4, expiry, funding, country, checks and the test behaviour. It has NO number and
 * NO CVC, so storing or logging a profile can never leak card data. The keyed fingerprint is
 * added by the caller (see fingerprint.ts).
 */
import type { UnixSeconds } from '../clock';
import { SUCCESSFUL_BEHAVIOUR, type CardBehaviour, type CheckResult } from './behaviour';
import { displayBrandOf, networksAvailableFor, type CardBrand, type DisplayBrand } from './brand';
import { testCardByNumber, type CardFunding, type TestCard } from './catalog';
import { utcYearMonth } from './expiry';
import type { ValidatedCard } from './validate';

/** Stripe's `checks.*` values: the behaviour's result when the field was given, else `unchecked`. */
export type CheckValue = CheckResult | 'unchecked';

export interface CardChecks {
  readonly cvcCheck: CheckValue;
  readonly addressLine1Check: CheckValue;
  readonly addressPostalCodeCheck: CheckValue;
}

export interface CardProfile {
  readonly brand: CardBrand;
  readonly displayBrand: DisplayBrand;
  readonly last4: string;
  readonly expMonth: number;
  readonly expYear: number;
  readonly funding: CardFunding;
  readonly country: string | null;
  readonly networksAvailable: readonly string[];
  readonly threeDSecureSupported: boolean;
  readonly checks: CardChecks;
  readonly behaviour: CardBehaviour;
}

/** Which checkable fields accompanied the card (billing address lives outside `card[…]`). */
export interface SuppliedFields {
  readonly cvc: boolean;
  readonly addressLine1: boolean;
  readonly postalCode: boolean;
}

/** Magic ids and tokens act as if created with a CVC and a full billing address. */
const ALL_SUPPLIED: SuppliedFields = { cvc: true, addressLine1: true, postalCode: true };

/** A valid number missing from the catalogue: like 4242…, a US credit card that approves. */
const DEFAULT_ISSUER = { funding: 'credit', country: 'US' } as const;

function checksFor(behaviour: CardBehaviour, supplied: SuppliedFields): CardChecks {
  return {
    cvcCheck: supplied.cvc ? behaviour.checks.cvcCheck : 'unchecked',
    addressLine1Check: supplied.addressLine1 ? behaviour.checks.addressLine1Check : 'unchecked',
    addressPostalCodeCheck: supplied.postalCode ? behaviour.checks.addressPostalCodeCheck : 'unchecked',
  };
}

function buildProfile(
  number: string,
  brand: CardBrand,
  expiry: { expMonth: number; expYear: number },
  issuer: { funding: CardFunding; country: string | null; behaviour: CardBehaviour },
  supplied: SuppliedFields,
): CardProfile {
  return {
    brand,
    displayBrand: displayBrandOf(brand),
    last4: number.slice(-4),
    expMonth: expiry.expMonth,
    expYear: expiry.expYear,
    funding: issuer.funding,
    country: issuer.country,
    networksAvailable: networksAvailableFor(brand),
    threeDSecureSupported: true,
    checks: checksFor(issuer.behaviour, supplied),
    behaviour: issuer.behaviour,
  };
}

/** The profile of a card entered by number. Catalogue cards get their documented behaviour. */
export function profileOf(
  card: ValidatedCard,
  billing: { readonly addressLine1?: boolean; readonly postalCode?: boolean } = {},
): CardProfile {
  const issuer = testCardByNumber(card.number) ?? { ...DEFAULT_ISSUER, behaviour: SUCCESSFUL_BEHAVIOUR };
  const supplied: SuppliedFields = {
    cvc: card.cvcProvided,
    addressLine1: billing.addressLine1 ?? false,
    postalCode: billing.postalCode ?? false,
  };
  return buildProfile(card.number, card.brand, card, issuer, supplied);
}

/**
 * The profile of a magic id or token. Like Stripe's, these cards expire one year after the
 * current month, so they are always valid when materialised.
 */
export function profileOfTestCard(card: TestCard, nowSeconds: UnixSeconds): CardProfile {
  const now = utcYearMonth(nowSeconds);
  return buildProfile(card.number, card.brand, { expMonth: now.month, expYear: now.year + 1 }, card, ALL_SUPPLIED);
}
