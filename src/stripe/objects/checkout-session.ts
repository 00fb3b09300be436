/** CheckoutSession → Stripe's `checkout.session` object; line items → `item` objects. */
import type { CheckoutLineItem, CheckoutSession } from '../../domain/checkout/session';

export function toLineItemJson(item: CheckoutLineItem, price: unknown) {
  const amount = item.unitAmount * item.quantity;
  return {
    id: item.id,
    object: 'item' as const,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: item.currency,
    description: item.description,
    price,
    quantity: item.quantity,
  };
}

export function toCheckoutSessionJson(session: CheckoutSession) {
  return {
    id: session.id,
    object: 'checkout.session' as const,
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: session.amountSubtotal,
    amount_total: session.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: session.cancelUrl,
    client_reference_id: session.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: session.created,
    currency: session.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: session.customer,
    customer_creation: session.mode === 'payment' ? 'if_required' : null,
    customer_details:
      session.customerDetails === null
        ? null
        : { address: null, email: session.customerDetails.email, name: session.customerDetails.name, phone: null, tax_exempt: 'none', tax_ids: [] },
    customer_email: session.customerEmail,
    discounts: [],
    expires_at: session.expiresAt,
    invoice: session.invoice,
    invoice_creation: null,
    livemode: session.livemode,
    locale: null,
    metadata: { ...session.metadata },
    mode: session.mode,
    payment_intent: session.paymentIntent,
    payment_link: null,
    payment_method_collection: session.mode === 'subscription' ? 'always' : null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_status: session.paymentStatus,
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: session.status,
    submit_type: null,
    subscription: session.subscription,
    success_url: session.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted' as const,
    url: session.status === 'open' ? session.url : null,
    wallet_options: null,
  };
}

export type CheckoutSessionJson = ReturnType<typeof toCheckoutSessionJson>;
