/** PaymentMethod → Stripe's `payment_method` object (card only). */
import type { CardProfile } from '../../domain/cards/profile';
import type { BillingDetails, PaymentMethod } from '../../domain/payments/payment-method';
import { toAddressJson } from './customer';

export function toBillingDetailsJson(details: BillingDetails) {
  return { address: toAddressJson(details.address), email: details.email, name: details.name, phone: details.phone, tax_id: null };
}

/** `checks.*`: the check's result, or null when the field was not supplied. */
export function toChecksJson(checks: CardProfile['checks']) {
  const value = (check: string) => (check === 'unchecked' ? null : check);
  return {
    address_line1_check: value(checks.addressLine1Check),
    address_postal_code_check: value(checks.addressPostalCodeCheck),
    cvc_check: value(checks.cvcCheck),
  };
}

export function toCardJson(card: CardProfile, fingerprint: string) {
  return {
    brand: card.brand,
    checks: toChecksJson(card.checks),
    country: card.country,
    display_brand: card.displayBrand,
    exp_month: card.expMonth,
    exp_year: card.expYear,
    fingerprint,
    funding: card.funding,
    generated_from: null,
    last4: card.last4,
    networks: { available: [...card.networksAvailable], preferred: null },
    regulated_status: 'unregulated' as const,
    three_d_secure_usage: { supported: card.threeDSecureSupported },
    wallet: null,
  };
}

export function toPaymentMethodJson(method: PaymentMethod) {
  return {
    id: method.id,
    object: 'payment_method' as const,
    allow_redisplay: 'unspecified' as const,
    billing_details: toBillingDetailsJson(method.billingDetails),
    card: toCardJson(method.card, method.fingerprint),
    created: method.created,
    customer: method.customer,
    livemode: method.livemode,
    metadata: { ...method.metadata },
    type: 'card' as const,
  };
}
