/** Customer → Stripe's `customer` object (API version 2026-10-28.endive shape). */
import type { Address, Customer } from '../../domain/customer/customer';

export function toAddressJson(address: Address | null) {
  if (address === null) return null;
  return {
    city: address.city,
    country: address.country,
    line1: address.line1,
    line2: address.line2,
    postal_code: address.postalCode,
    state: address.state,
  };
}

export function toCustomerJson(customer: Customer) {
  if (customer.deleted) return { id: customer.id, object: 'customer' as const, deleted: true as const };
  return {
    id: customer.id,
    object: 'customer' as const,
    address: toAddressJson(customer.address),
    balance: customer.balance,
    created: customer.created,
    currency: customer.currency,
    default_source: null,
    delinquent: false,
    description: customer.description,
    discount: null,
    email: customer.email,
    invoice_prefix: customer.invoicePrefix,
    invoice_settings: {
      custom_fields: null,
      default_payment_method: customer.defaultPaymentMethod,
      footer: null,
      rendering_options: null,
    },
    livemode: customer.livemode,
    metadata: { ...customer.metadata },
    name: customer.name,
    next_invoice_sequence: customer.nextInvoiceSequence ?? 1,
    phone: customer.phone,
    preferred_locales: [...customer.preferredLocales],
    shipping: null,
    tax_exempt: 'none' as const,
    test_clock: customer.testClock ?? null,
  };
}
