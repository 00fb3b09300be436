/**
 * Turning a session's `line_items` into stored line items: `price` names an existing active
 * price; `price_data` creates a price (and, with `product_data`, a product) like Stripe does.
 * Every item shares one currency; payment mode takes one-time prices, subscription mode needs
 * at least one recurring price and one billing interval.
 */
import type { Price } from '../../src/domain/billing/catalog';
import type { CheckoutLineItem, CheckoutMode } from '../../src/domain/checkout/session';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { err, ok, type Result } from '../../src/domain/result';
import { randomBase62 } from '../../src/platform/ids';
import { toPriceJson } from '../../src/stripe/objects/catalog';
import { toLineItemJson } from '../../src/stripe/objects/checkout-session';
import type { LineItemInput, PriceDataInput } from '../../src/stripe/params/checkout-sessions';
import type { OperationContext } from '../context';
import { createPriceRecord, loadPrice } from './prices';
import { createProductRecord, loadProduct } from './products';

function priceFromData(ctx: OperationContext, data: PriceDataInput, param: string): Result<Price, DomainError> {
  let productId: string;
  if ('id' in data.product) {
    const product = loadProduct(ctx, data.product.id);
    if (!product || product.data.deleted) return err(resourceMissing('product', data.product.id, `${param}[product]`));
    productId = product.id;
  } else {
    const { name, description, metadata } = data.product;
    productId = createProductRecord(ctx, { name, ...(description === undefined ? {} : { description }), ...(metadata === undefined ? {} : { metadata }) }).id;
  }
  // Inline prices are created inactive, as on Stripe: they serve this session only.
  return createPriceRecord(ctx, productId, data, { active: false }, param);
}

function priceOf(ctx: OperationContext, item: LineItemInput, index: number): Result<Price, DomainError> {
  if ('priceData' in item) return priceFromData(ctx, item.priceData, `line_items[${index}][price_data]`);
  const stored = loadPrice(ctx, item.price);
  if (!stored) return err(resourceMissing('price', item.price, `line_items[${index}][price]`));
  if (!stored.data.active) {
    return err(invalidRequestError(`The price specified (${item.price}) is inactive. This field only accepts active prices.`, `line_items[${index}][price]`, 'price_inactive'));
  }
  return ok(stored.data);
}

function checkMode(mode: CheckoutMode, prices: readonly Price[]): Result<true, DomainError> {
  const recurring = prices.filter((p) => p.recurring !== null);
  if (mode === 'payment' && recurring.length > 0) {
    return err(invalidRequestError('You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.', 'line_items', 'parameter_invalid'));
  }
  if (mode === 'subscription') {
    if (recurring.length === 0) return err(invalidRequestError('You must provide at least one recurring price in `subscription` mode when using prices.', 'line_items', 'parameter_invalid'));
    const [first] = recurring;
    if (recurring.some((p) => p.recurring!.interval !== first!.recurring!.interval || p.recurring!.intervalCount !== first!.recurring!.intervalCount)) {
      return err(invalidRequestError('All recurring prices in a Checkout Session must share the same billing interval.', 'line_items', 'parameter_invalid'));
    }
  }
  return ok(true);
}

/** Resolves and validates the items; creates inline prices/products in the caller's transaction. */
export function buildLineItems(ctx: OperationContext, mode: CheckoutMode, inputs: readonly LineItemInput[]): Result<CheckoutLineItem[], DomainError> {
  const prices: Price[] = [];
  for (const [index, item] of inputs.entries()) {
    const price = priceOf(ctx, item, index);
    if (!price.ok) return price;
    prices.push(price.value);
  }
  const currency = prices[0]!.currency;
  if (prices.some((p) => p.currency !== currency)) {
    return err(invalidRequestError('All prices in a Checkout Session must use the same currency.', 'line_items', 'parameter_invalid'));
  }
  const modeOk = checkMode(mode, prices);
  if (!modeOk.ok) return modeOk;
  return ok(
    prices.map((price, index) => ({
      id: `li_${randomBase62(24)}`,
      price: price.id,
      product: price.product,
      description: loadProduct(ctx, price.product)?.data.name ?? '',
      quantity: inputs[index]!.quantity,
      unitAmount: price.unitAmount,
      currency: price.currency,
      recurring: price.recurring !== null,
    })),
  );
}

export function renderLineItem(ctx: OperationContext, item: CheckoutLineItem) {
  const price = loadPrice(ctx, item.price);
  return toLineItemJson(item, price ? toPriceJson(price.data) : item.price);
}
