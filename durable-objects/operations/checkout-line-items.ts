/**
 * Turning a session's `line_items` into stored line items, validating all of them before anything
 * is written (a refused request leaves no stray price behind): `price` names an existing active
 * price; `price_data` creates a price (and, with `product_data`, a product) like Stripe does.
 * Every item shares one currency; payment mode takes one-time prices, subscription mode needs
 * at least one recurring price and one billing interval.
 */
import { assert } from '../../src/domain/assert';
import type { Recurrence } from '../../src/domain/billing/calendar';
import { checkRecurrence, sameRecurrence, type Price } from '../../src/domain/billing/catalog';
import type { CheckoutLineItem, CheckoutMode } from '../../src/domain/checkout/session';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { AMOUNT_MINOR_MAX } from '../../src/domain/limits';
import { parseCurrency } from '../../src/domain/money/currency';
import { err, ok, type Result } from '../../src/domain/result';
import { randomBase62 } from '../../src/platform/ids';
import { toPriceJson } from '../../src/stripe/objects/catalog';
import { toLineItemJson } from '../../src/stripe/objects/checkout-session';
import type { LineItemInput, PriceDataInput } from '../../src/stripe/params/checkout-sessions';
import type { OperationContext } from '../context';
import { createPriceRecord, loadPrice } from './prices';
import { createProductRecord, loadProduct } from './products';

/** A validated line item: an existing price, or the terms of a price still to create. */
export interface PlannedItem {
  readonly quantity: number;
  readonly currency: string;
  readonly unitAmount: number;
  readonly recurrence: Recurrence | null;
  readonly existing: Price | null;
  readonly data: PriceDataInput | null;
  readonly param: string;
}

export interface LineItemPlan {
  readonly items: readonly PlannedItem[];
  readonly currency: string;
  readonly total: number;
}

function planData(ctx: OperationContext, item: { quantity: number; priceData: PriceDataInput }, param: string): Result<PlannedItem, DomainError> {
  const data = item.priceData;
  const currency = parseCurrency(data.currency, `${param}[currency]`);
  if (!currency.ok) return currency;
  if (data.unitAmount > AMOUNT_MINOR_MAX) return err({ reason: 'amount_too_large', param: `${param}[unit_amount]`, message: `The unit amount must be at most ${AMOUNT_MINOR_MAX}.` });
  if (data.recurring !== null) {
    const recurrence = checkRecurrence(data.recurring, `${param}[recurring][interval_count]`);
    if (!recurrence.ok) return recurrence;
  }
  if ('id' in data.product) {
    const product = loadProduct(ctx, data.product.id);
    if (!product || product.data.deleted) return err(resourceMissing('product', data.product.id, `${param}[product]`));
  }
  return ok({ quantity: item.quantity, currency: currency.value, unitAmount: data.unitAmount, recurrence: data.recurring, existing: null, data, param });
}

function planItem(ctx: OperationContext, item: LineItemInput, index: number): Result<PlannedItem, DomainError> {
  if ('priceData' in item) return planData(ctx, item, `line_items[${index}][price_data]`);
  const param = `line_items[${index}][price]`;
  const stored = loadPrice(ctx, item.price);
  if (!stored) return err(resourceMissing('price', item.price, param));
  if (!stored.data.active) {
    return err(invalidRequestError(`The price specified (${item.price}) is inactive. This field only accepts active prices.`, param, 'price_inactive'));
  }
  const price = stored.data;
  return ok({ quantity: item.quantity, currency: price.currency, unitAmount: price.unitAmount, recurrence: price.recurring, existing: price, data: null, param });
}

function checkMode(mode: CheckoutMode, items: readonly PlannedItem[]): Result<true, DomainError> {
  const recurring = items.filter((p) => p.recurrence !== null).map((p) => p.recurrence!);
  if (mode === 'payment' && recurring.length > 0) {
    return err(invalidRequestError('You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.', 'line_items', 'parameter_invalid'));
  }
  if (mode === 'subscription') {
    if (recurring.length === 0) return err(invalidRequestError('You must provide at least one recurring price in `subscription` mode when using prices.', 'line_items', 'parameter_invalid'));
    if (recurring.some((r) => !sameRecurrence(r, recurring[0]!))) {
      return err(invalidRequestError('All recurring prices in a Checkout Session must share the same billing interval.', 'line_items', 'parameter_invalid'));
    }
  }
  return ok(true);
}

/** Validates every item (nothing is written): prices exist and are active, one currency, the mode's rules. */
export function planLineItems(ctx: OperationContext, mode: CheckoutMode, inputs: readonly LineItemInput[]): Result<LineItemPlan, DomainError> {
  const items: PlannedItem[] = [];
  for (const [index, input] of inputs.entries()) {
    const planned = planItem(ctx, input, index);
    if (!planned.ok) return planned;
    items.push(planned.value);
  }
  const currency = items[0]!.currency;
  if (items.some((p) => p.currency !== currency)) {
    return err(invalidRequestError('All prices in a Checkout Session must use the same currency.', 'line_items', 'parameter_invalid'));
  }
  const modeOk = checkMode(mode, items);
  if (!modeOk.ok) return modeOk;
  return ok({ items, currency, total: items.reduce((sum, p) => sum + p.unitAmount * p.quantity, 0) });
}

function createPrice(ctx: OperationContext, item: PlannedItem, activeInline: boolean): Price {
  if (item.existing !== null) return item.existing;
  const data = item.data!;
  let productId: string;
  if ('id' in data.product) productId = data.product.id;
  else {
    const { name, description, metadata } = data.product;
    productId = createProductRecord(ctx, { name, ...(description === undefined ? {} : { description }), ...(metadata === undefined ? {} : { metadata }) }).id;
  }
  // Inline prices serve this session only: inactive as on Stripe, except that a subscription's
  // items must reference active prices here.
  const price = createPriceRecord(ctx, productId, data, { active: activeInline }, item.param);
  assert(price.ok, 'price_data was validated before any price was created');
  return price.value;
}

/** Creates the planned inline prices (and products) and returns the stored line items. */
export function createLineItems(ctx: OperationContext, plan: LineItemPlan, mode: CheckoutMode): CheckoutLineItem[] {
  return plan.items.map((item) => {
    const price = createPrice(ctx, item, mode === 'subscription');
    return {
      id: `li_${randomBase62(24)}`,
      price: price.id,
      product: price.product,
      description: loadProduct(ctx, price.product)?.data.name ?? '',
      quantity: item.quantity,
      unitAmount: price.unitAmount,
      currency: price.currency,
      recurring: price.recurring !== null,
    };
  });
}

export function renderLineItem(ctx: OperationContext, item: CheckoutLineItem) {
  const price = loadPrice(ctx, item.price);
  return toLineItemJson(item, price ? toPriceJson(price.data) : item.price);
}
