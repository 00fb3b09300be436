/** PaymentIntent → Stripe's `payment_intent` object (API 2026-10-28.endive: no `charges` list). */
import type { PaymentError, PaymentIntent } from '../../domain/payments/payment-intent';
import { docUrl } from '../errors';

export function toPaymentErrorJson(error: PaymentError, paymentMethod: unknown) {
  return {
    type: error.type,
    code: error.code,
    decline_code: error.declineCode ?? undefined,
    doc_url: docUrl(error.code),
    message: error.message,
    charge: error.charge ?? undefined,
    payment_method: paymentMethod ?? undefined,
  };
}

export function toPaymentIntentJson(intent: PaymentIntent, lastErrorPaymentMethod: unknown = null) {
  return {
    id: intent.id,
    object: 'payment_intent' as const,
    allowed_payment_method_types: intent.allowedPaymentMethodTypes === null ? null : [...intent.allowedPaymentMethodTypes],
    amount: intent.amount,
    amount_capturable: intent.amountCapturable,
    amount_details: { tip: {} },
    amount_received: intent.amountReceived,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods:
      intent.automaticPaymentMethods === null
        ? null
        : { allow_redirects: intent.automaticPaymentMethods.allowRedirects, enabled: intent.automaticPaymentMethods.enabled },
    canceled_at: intent.canceledAt,
    cancellation_reason: intent.cancellationReason,
    capture_method: intent.captureMethod,
    client_secret: intent.clientSecret,
    confirmation_method: intent.confirmationMethod,
    created: intent.created,
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description,
    excluded_payment_method_types: null,
    last_payment_error: intent.lastPaymentError === null ? null : toPaymentErrorJson(intent.lastPaymentError, lastErrorPaymentMethod),
    latest_charge: intent.latestCharge,
    livemode: intent.livemode,
    metadata: { ...intent.metadata },
    next_action:
      intent.nextAction === null
        ? null
        : { type: 'redirect_to_url' as const, redirect_to_url: { url: intent.nextAction.url, return_url: intent.nextAction.returnUrl } },
    on_behalf_of: null,
    payment_method: intent.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: [...intent.paymentMethodTypes],
    processing: null,
    receipt_email: intent.receiptEmail,
    review: null,
    setup_future_usage: intent.setupFutureUsage,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: intent.statementDescriptorSuffix,
    status: intent.status,
    transfer_data: null,
    transfer_group: null,
  };
}
