/** InvoiceItem → Stripe's `invoiceitem` object. */
import type { InvoiceItem } from '../../domain/billing/invoice';
import { toPricingJson } from './invoice';

export function toInvoiceItemJson(item: InvoiceItem) {
  if (item.deleted) return { id: item.id, object: 'invoiceitem' as const, deleted: true as const };
  return {
    id: item.id,
    object: 'invoiceitem' as const,
    amount: item.amount,
    currency: item.currency,
    customer: item.customer,
    customer_account: null,
    date: item.date,
    description: item.description,
    discountable: true,
    discounts: [],
    invoice: item.invoice,
    livemode: item.livemode,
    metadata: { ...item.metadata },
    net_amount: item.amount,
    parent:
      item.subscription === null
        ? null
        : { type: 'subscription_details' as const, subscription_details: { subscription: item.subscription, subscription_item: null } },
    period: { start: item.period.start, end: item.period.end },
    pricing: toPricingJson(item.price, item.product, item.unitAmount),
    proration: item.proration,
    proration_details: { credited_items: null, discount_amounts: [] },
    quantity: item.quantity,
    quantity_decimal: String(item.quantity),
    tax_rates: [],
    test_clock: item.testClock,
  };
}
