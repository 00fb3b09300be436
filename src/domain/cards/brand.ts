/**
 * Card brand from the issuer identification number (IIN, the leading digits), and the brand
 * names Stripe shows beside it. Pure; input is the ASCII digits of a card number.
 *
 * Ranges (disjoint, so the order of the table does not matter):
 *   amex 34, 37 · jcb 3528–3589 · diners 300–305, 309, 36, 38, 39 · visa 4 ·
 *   mastercard 51–55, 2221–2720 · discover 6011, 644–649, 65 · unionpay 62, 81 · else unknown.
 */
export const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover', 'diners', 'jcb', 'unionpay', 'unknown'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

/** Stripe's `display_brand` values (`american_express`, `diners_club`, `union_pay`, `other`, …). */
export type DisplayBrand =
  | 'visa'
  | 'mastercard'
  | 'american_express'
  | 'discover'
  | 'diners_club'
  | 'jcb'
  | 'union_pay'
  | 'other';

/** A prefix range on the first `digits` digits of the number, bounds inclusive. */
interface IinRange {
  readonly brand: Exclude<CardBrand, 'unknown'>;
  readonly digits: number;
  readonly from: number;
  readonly to: number;
}

const IIN_RANGES: readonly IinRange[] = [
  { brand: 'amex', digits: 2, from: 34, to: 34 },
  { brand: 'amex', digits: 2, from: 37, to: 37 },
  { brand: 'jcb', digits: 4, from: 3528, to: 3589 },
  { brand: 'diners', digits: 3, from: 300, to: 305 },
  { brand: 'diners', digits: 3, from: 309, to: 309 },
  { brand: 'diners', digits: 2, from: 36, to: 36 },
  { brand: 'diners', digits: 2, from: 38, to: 39 },
  { brand: 'visa', digits: 1, from: 4, to: 4 },
  { brand: 'mastercard', digits: 2, from: 51, to: 55 },
  { brand: 'mastercard', digits: 4, from: 2221, to: 2720 },
  { brand: 'discover', digits: 4, from: 6011, to: 6011 },
  { brand: 'discover', digits: 3, from: 644, to: 649 },
  { brand: 'discover', digits: 2, from: 65, to: 65 },
  { brand: 'unionpay', digits: 2, from: 62, to: 62 },
  { brand: 'unionpay', digits: 2, from: 81, to: 81 },
];

/** The brand of a card number (ASCII digits). */
export function brandOf(digits: string): CardBrand {
  for (const range of IIN_RANGES) {
    if (digits.length < range.digits) continue;
    const prefix = Number(digits.slice(0, range.digits));
    if (prefix >= range.from && prefix <= range.to) return range.brand;
  }
  return 'unknown';
}

const DISPLAY_BRANDS: Readonly<Record<CardBrand, DisplayBrand>> = {
  visa: 'visa',
  mastercard: 'mastercard',
  amex: 'american_express',
  discover: 'discover',
  diners: 'diners_club',
  jcb: 'jcb',
  unionpay: 'union_pay',
  unknown: 'other',
};

export function displayBrandOf(brand: CardBrand): DisplayBrand {
  return DISPLAY_BRANDS[brand];
}

/** `card.networks.available`: the brand's own network; none for an unknown brand. */
export function networksAvailableFor(brand: CardBrand): readonly string[] {
  return brand === 'unknown' ? [] : [brand];
}

/** The CVC length the brand prints: four digits on the front of an Amex, three elsewhere. */
export function cvcLengthFor(brand: CardBrand): number {
  return brand === 'amex' ? 4 : 3;
}
