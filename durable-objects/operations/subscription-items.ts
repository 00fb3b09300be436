/**
 * Resolving subscription items against prices: every price recurring, active, in one currency and
 * one billing interval, no price twice, each item and the whole within AMOUNT_MINOR_MAX; and the
 * proration items a mid-period change leaves pending for the next invoice.
 */
import { sameRecurrence, type Price } from '../../src/domain/billing/catalog';
import type { Recurrence } from '../../src/domain/billing/calendar';
import { lineAmount, type InvoiceItem } from '../../src/domain/billing/invoice';
import { prorationLines, type Subscription, type SubscriptionItem } from '../../src/domain/billing/subscription';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { AMOUNT_MINOR_MAX } from '../../src/domain/limits';
import { err, ok, type Result } from '../../src/domain/result';
import { toInvoiceItemJson } from '../../src/stripe/objects/invoice-item';
import { applyMetadataPatch, mergeMetadata } from '../../src/stripe/params/common';
import type { SubscriptionItemChange, SubscriptionItemInput } from '../../src/stripe/params/subscriptions';
import { emit, type OperationContext } from '../context';
import { saveInvoiceItem } from './invoice-store';
import { loadPrice } from './prices';
import { loadProduct } from './products';

export interface ResolvedItems {
  readonly items: SubscriptionItem[];
  readonly currency: string;
  readonly recurrence: Recurrence;
}

function recurringPrice(ctx: OperationContext, id: string, param: string): Result<Price, DomainError> {
  const price = loadPrice(ctx, id);
  if (!price) return err(resourceMissing('price', id, param));
  if (price.data.recurring === null) {
    return err(invalidRequestError('The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.', param));
  }
  if (!price.data.active) return err(invalidRequestError(`The price specified (${id}) is inactive. This field only accepts active prices.`, param));
  return ok(price.data);
}

/** Checks a full item list (after a change) for one currency, one interval, distinct prices, amount bounds. */
function checkItems(items: readonly SubscriptionItem[], prices: readonly Price[]): Result<ResolvedItems, DomainError> {
  const first = prices[0];
  if (first === undefined || items.length === 0) return err(invalidRequestError('A subscription needs at least one item.', 'items', 'parameter_missing'));
  let total = 0;
  for (const [index, price] of prices.entries()) {
    const param = `items[${index}][price]`;
    if (price.currency !== first.currency) return err(invalidRequestError('All prices on a subscription must have the same currency.', param, 'currency_mismatch'));
    if (!sameRecurrence(price.recurring!, first.recurring!)) return err(invalidRequestError('All prices on a subscription must have the same recurring interval and interval_count.', param));
    if (prices.findIndex((p) => p.id === price.id) !== index) return err(invalidRequestError('Cannot add multiple subscription items with the same price.', param));
    const amount = lineAmount(items[index]!.quantity, price.unitAmount, `items[${index}][quantity]`);
    if (!amount.ok) return amount;
    total += amount.value;
  }
  if (total > AMOUNT_MINOR_MAX) return err({ reason: 'amount_too_large', param: 'items', message: `The subscription's amount per period must be at most ${AMOUNT_MINOR_MAX}.` });
  return ok({ items: [...items], currency: first.currency, recurrence: first.recurring! });
}

function newItem(ctx: OperationContext, price: Price, quantity: number, metadata: SubscriptionItem['metadata'], at: number): SubscriptionItem {
  return { id: ctx.newId('si'), created: at, price: price.id, product: price.product, unitAmount: price.unitAmount, quantity, metadata };
}

export function resolveNewItems(ctx: OperationContext, inputs: readonly SubscriptionItemInput[], at: number): Result<ResolvedItems, DomainError> {
  const items: SubscriptionItem[] = [];
  const prices: Price[] = [];
  for (const [index, input] of inputs.entries()) {
    const price = recurringPrice(ctx, input.price, `items[${index}][price]`);
    if (!price.ok) return price;
    prices.push(price.value);
    items.push(newItem(ctx, price.value, input.quantity, applyMetadataPatch({}, input.metadata), at));
  }
  return checkItems(items, prices);
}

/** Applies `items[]` changes (by id: update or delete; without id: add) to the current items. */
export function resolveItemChanges(ctx: OperationContext, current: Subscription, changes: readonly SubscriptionItemChange[], at: number): Result<ResolvedItems, DomainError> {
  let items = [...current.items];
  for (const [index, change] of changes.entries()) {
    const param = `items[${index}]`;
    const position = change.id === undefined ? -1 : items.findIndex((i) => i.id === change.id);
    if (change.id !== undefined && position < 0) return err(resourceMissing('subscription_item', change.id, `${param}[id]`));
    if (change.deleted) {
      if (position < 0) return err(invalidRequestError('`deleted` needs the `id` of an item to delete.', `${param}[deleted]`));
      items = items.filter((_, i) => i !== position);
      continue;
    }
    const existing = position < 0 ? null : items[position]!;
    const priceId = change.price ?? existing?.price;
    if (priceId === undefined) return err(invalidRequestError(`Missing required param: ${param}[price].`, `${param}[price]`, 'parameter_missing'));
    const price = recurringPrice(ctx, priceId, `${param}[price]`);
    if (!price.ok) return price;
    const metadata = mergeMetadata(existing?.metadata ?? {}, change.metadata);
    if (!metadata.ok) return metadata;
    const quantity = change.quantity ?? existing?.quantity ?? 1;
    if (existing === null) items.push(newItem(ctx, price.value, quantity, metadata.value, at));
    else items[position] = { ...existing, price: price.value.id, product: price.value.product, unitAmount: price.value.unitAmount, quantity, metadata: metadata.value };
  }
  const prices = items.map((item) => loadPrice(ctx, item.price)!.data);
  const resolved = checkItems(items, prices);
  if (!resolved.ok) return resolved;
  if (resolved.value.currency !== current.currency || !sameRecurrence(resolved.value.recurrence, current.recurrence)) {
    return err(invalidRequestError('Changing the currency or billing interval of a subscription is not supported; create a new subscription instead.', 'items'));
  }
  return resolved;
}

/** Pending proration invoice items (credit for unused time, charge for remaining time) of a change at `at`. */
export function createProrations(ctx: OperationContext, subscription: Subscription, after: readonly SubscriptionItem[], period: { start: number; end: number }, at: number): void {
  const label = (item: SubscriptionItem) => `${item.quantity} × ${loadProduct(ctx, item.product)?.data.name ?? item.product}`;
  for (const line of prorationLines(subscription.items, after, { index: subscription.periodIndex, ...period }, at, label)) {
    const item: InvoiceItem = {
      id: ctx.newId('ii'),
      livemode: ctx.livemode,
      customer: subscription.customer,
      date: at,
      amount: line.amount,
      currency: subscription.currency,
      description: line.description,
      metadata: {},
      quantity: 1,
      unitAmount: line.amount,
      period: line.period,
      price: line.price,
      product: loadPrice(ctx, line.price)?.data.product ?? null,
      proration: true,
      invoice: null,
      subscription: subscription.id,
      testClock: subscription.testClock,
      deleted: false,
    };
    saveInvoiceItem(ctx, null, item);
    emit(ctx, 'invoiceitem.created', toInvoiceItemJson(item));
  }
}
