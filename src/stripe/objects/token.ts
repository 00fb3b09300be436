/**
 * `token` objects with their legacy `card` (brand in the Card object's spelling, e.g. "Visa",
 * "American Express"; address fields null: edgepay's tokens carry no billing address).
 */
import type { CardBrand } from '../../domain/cards/brand';
import type { CardToken } from '../../domain/payments/token';

const LEGACY_BRANDS: Readonly<Record<CardBrand, string>> = {
  amex: 'American Express',
  diners: 'Diners Club',
  discover: 'Discover',
  jcb: 'JCB',
  mastercard: 'MasterCard',
  unionpay: 'UnionPay',
  visa: 'Visa',
  unknown: 'Unknown',
};

export function toTokenJson(token: CardToken) {
  const card = token.card;
  return {
    id: token.id,
    object: 'token' as const,
    card: {
      id: token.cardId,
      object: 'card' as const,
      address_city: null,
      address_country: null,
      address_line1: null,
      address_line1_check: null,
      address_line2: null,
      address_state: null,
      address_zip: null,
      address_zip_check: null,
      brand: LEGACY_BRANDS[card.brand],
      country: card.country,
      cvc_check: card.checks.cvcCheck,
      dynamic_last4: null,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      fingerprint: token.fingerprint,
      funding: card.funding,
      last4: card.last4,
      metadata: {},
      name: token.name,
      networks: { preferred: null },
      tokenization_method: null,
      wallet: null,
    },
    client_ip: null,
    created: token.created,
    livemode: token.livemode,
    type: 'card' as const,
    used: token.used,
  };
}
