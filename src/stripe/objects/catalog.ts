/** Product, Price and TestClock → Stripe's wire shapes. */
import type { Price, Product, TestClock } from '../../domain/billing/catalog';

export function toProductJson(product: Product) {
  if (product.deleted) return { id: product.id, object: 'product' as const, deleted: true as const };
  return {
    id: product.id,
    object: 'product' as const,
    active: product.active,
    created: product.created,
    default_price: product.defaultPrice,
    description: product.description,
    images: [],
    livemode: product.livemode,
    marketing_features: [],
    metadata: { ...product.metadata },
    name: product.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: product.statementDescriptor,
    tax_code: null,
    type: 'service' as const,
    unit_label: product.unitLabel,
    updated: product.updated,
    url: product.url,
  };
}

export function toPriceJson(price: Price) {
  return {
    id: price.id,
    object: 'price' as const,
    active: price.active,
    billing_scheme: 'per_unit' as const,
    created: price.created,
    currency: price.currency,
    custom_unit_amount: null,
    livemode: price.livemode,
    lookup_key: price.lookupKey,
    metadata: { ...price.metadata },
    nickname: price.nickname,
    product: price.product,
    recurring:
      price.recurring === null
        ? null
        : { interval: price.recurring.interval, interval_count: price.recurring.intervalCount, meter: null, trial_period_days: null, usage_type: 'licensed' as const },
    tax_behavior: price.taxBehavior,
    tiers_mode: null,
    transform_quantity: null,
    type: price.type,
    unit_amount: price.unitAmount,
    unit_amount_decimal: String(price.unitAmount),
  };
}

export function toTestClockJson(clock: TestClock) {
  if (clock.deleted) return { id: clock.id, object: 'test_helpers.test_clock' as const, deleted: true as const };
  return {
    id: clock.id,
    object: 'test_helpers.test_clock' as const,
    created: clock.created,
    deletes_after: clock.deletesAfter,
    frozen_time: clock.frozenTime,
    livemode: clock.livemode,
    name: clock.name,
    status: clock.status,
    status_details: clock.status === 'advancing' && clock.advancingFrom !== null ? { advancing: { target_frozen_time: clock.frozenTime } } : {},
  };
}
