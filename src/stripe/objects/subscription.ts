/** Subscription and its items → Stripe's wire shapes (items embed the full price, and its legacy `plan`). */
import type { Price } from '../../domain/billing/catalog';
import { currentPeriod, type Subscription, type SubscriptionItem } from '../../domain/billing/subscription';
import { toListJson } from '../list';
import { toPriceJson } from './catalog';

export function toPlanJson(price: Price) {
  return {
    id: price.id,
    object: 'plan' as const,
    active: price.active,
    amount: price.unitAmount,
    amount_decimal: String(price.unitAmount),
    billing_scheme: 'per_unit' as const,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.intervalCount ?? 1,
    livemode: price.livemode,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed' as const,
  };
}

export function toSubscriptionItemJson(item: SubscriptionItem, subscription: Subscription, price: Price) {
  const period = currentPeriod(subscription);
  return {
    id: item.id,
    object: 'subscription_item' as const,
    billing_thresholds: null,
    created: item.created,
    current_period_end: period.end,
    current_period_start: period.start,
    discounts: [],
    metadata: { ...item.metadata },
    plan: toPlanJson(price),
    price: toPriceJson(price),
    quantity: item.quantity,
    subscription: subscription.id,
    tax_rates: [],
  };
}

export function toSubscriptionJson(subscription: Subscription, priceOf: (id: string) => Price) {
  const s = subscription;
  const items = s.items.map((item) => toSubscriptionItemJson(item, s, priceOf(item.price)));
  return {
    id: s.id,
    object: 'subscription' as const,
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: s.billingCycleAnchor,
    billing_cycle_anchor_config: null,
    billing_mode: { type: 'classic' as const },
    billing_thresholds: null,
    cancel_at: s.cancelAt ?? (s.cancelAtPeriodEnd ? currentPeriod(s).end : null),
    cancel_at_period_end: s.cancelAtPeriodEnd,
    canceled_at: s.canceledAt,
    cancellation_details: { comment: null, feedback: null, reason: s.cancellationReason },
    collection_method: 'charge_automatically' as const,
    created: s.created,
    currency: s.currency,
    customer: s.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: s.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: s.description,
    discounts: [],
    ended_at: s.endedAt,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' as const } },
    items: toListJson(`/v1/subscription_items?subscription=${s.id}`, items, false),
    latest_invoice: s.latestInvoice,
    livemode: s.livemode,
    metadata: { ...s.metadata },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' as const },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: s.startDate,
    status: s.status,
    test_clock: s.testClock,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' as const } },
    trial_start: null,
  };
}
