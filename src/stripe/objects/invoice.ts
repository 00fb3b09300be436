/** Invoice, its `line_item`s and `invoice_payment` → Stripe's wire shapes (API 2026-10-28.endive). */
import { invoiceTotals, type Invoice, type InvoiceLine, type InvoicePayment } from '../../domain/billing/invoice';
import { LIST_LIMIT_DEFAULT } from '../../domain/limits';
import { toListJson } from '../list';

/** `pricing` of a line or invoice item: integer unit amounts rendered as decimal strings. */
export function toPricingJson(price: string | null, product: string | null, unitAmount: number) {
  const pricing = { type: 'price_details' as const, unit_amount_decimal: String(unitAmount) };
  return price === null ? pricing : { ...pricing, price_details: { price, product: product ?? '' } };
}

function toLineParentJson(line: InvoiceLine) {
  const details = { proration: line.proration, proration_details: { credited_items: null } };
  if (line.source.type === 'invoice_item') {
    return {
      type: 'invoice_item_details' as const,
      invoice_item_details: { ...details, invoice_item: line.source.invoiceItem, subscription: line.source.subscription },
      subscription_item_details: null,
    };
  }
  return {
    type: 'subscription_item_details' as const,
    invoice_item_details: null,
    subscription_item_details: { ...details, invoice_item: null, subscription: line.source.subscription, subscription_item: line.source.subscriptionItem },
  };
}

export function toLineItemJson(line: InvoiceLine, invoiceId: string, livemode: boolean) {
  return {
    id: line.id,
    object: 'line_item' as const,
    amount: line.amount,
    currency: line.currency,
    description: line.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode,
    metadata: { ...line.metadata },
    parent: toLineParentJson(line),
    period: { start: line.period.start, end: line.period.end },
    pretax_credit_amounts: [],
    pricing: toPricingJson(line.price, line.product, line.unitAmount),
    quantity: line.quantity,
    quantity_decimal: String(line.quantity),
    subscription: line.source.subscription,
    subtotal: line.amount,
    taxes: [],
  };
}

export function invoiceLinesUrl(invoiceId: string): string {
  return `/v1/invoices/${invoiceId}/lines`;
}

export function toInvoiceJson(invoice: Invoice) {
  if (invoice.deleted) return { id: invoice.id, object: 'invoice' as const, deleted: true as const };
  const totals = invoiceTotals(invoice);
  const firstLines = invoice.lines.slice(0, LIST_LIMIT_DEFAULT).map((line) => toLineItemJson(line, invoice.id, invoice.livemode));
  const finalized = invoice.status !== 'draft';
  return {
    id: invoice.id,
    object: 'invoice' as const,
    account_country: 'US',
    account_name: null,
    account_tax_ids: null,
    amount_due: totals.amountDue,
    amount_overpaid: 0,
    amount_paid: totals.amountPaid,
    amount_remaining: totals.amountRemaining,
    amount_shipping: 0,
    application: null,
    attempt_count: invoice.attemptCount,
    attempted: invoice.attempted,
    auto_advance: invoice.autoAdvance,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: invoice.billingReason,
    collection_method: invoice.collectionMethod,
    created: invoice.created,
    currency: invoice.currency,
    custom_fields: null,
    customer: invoice.customer,
    customer_account: null,
    customer_address: null,
    customer_email: invoice.customerEmail,
    customer_name: invoice.customerName,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none' as const,
    customer_tax_ids: [],
    default_payment_method: invoice.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: invoice.description,
    discounts: [],
    due_date: invoice.dueDate,
    effective_at: invoice.effectiveAt,
    ending_balance: finalized ? 0 : null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' as const },
    last_finalization_error: null,
    latest_revision: null,
    lines: toListJson(invoiceLinesUrl(invoice.id), firstLines, invoice.lines.length > firstLines.length),
    livemode: invoice.livemode,
    metadata: { ...invoice.metadata },
    next_payment_attempt: invoice.nextPaymentAttempt,
    number: invoice.number,
    on_behalf_of: null,
    parent:
      invoice.subscription === null
        ? null
        : { type: 'subscription_details' as const, quote_details: null, subscription_details: { metadata: {}, subscription: invoice.subscription } },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: invoice.periodEnd,
    period_start: invoice.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: invoice.status,
    status_transitions: {
      finalized_at: invoice.statusTransitions.finalizedAt,
      marked_uncollectible_at: invoice.statusTransitions.markedUncollectibleAt,
      paid_at: invoice.statusTransitions.paidAt,
      voided_at: invoice.statusTransitions.voidedAt,
    },
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotal,
    test_clock: invoice.testClock,
    total: totals.total,
    total_discount_amounts: [],
    total_excluding_tax: totals.total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: finalized ? invoice.created : null,
  };
}

export function toInvoicePaymentJson(payment: InvoicePayment, livemode: boolean) {
  return {
    id: payment.id,
    object: 'invoice_payment' as const,
    amount_paid: payment.amountPaid,
    amount_requested: payment.amountRequested,
    created: payment.created,
    currency: payment.currency,
    invoice: payment.invoice,
    is_default: true,
    livemode,
    payment: { type: 'payment_intent' as const, payment_intent: payment.paymentIntent },
    status: payment.status,
    status_transitions: { canceled_at: payment.canceledAt, paid_at: payment.paidAt },
  };
}
