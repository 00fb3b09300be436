/** InvoiceItem parameters and their commands. Amounts stay integers: fractional decimals are refused. */
import { z } from 'zod';
import { AMOUNT_MINOR_MAX, STRING_LENGTH_MAX } from '../../domain/limits';
import { err, ok, type Result } from '../../domain/result';
import { invalidRequest, type WireError } from '../errors';
import { toListArgs, type ListArgs } from '../list';
import { booleanParam, clearableString, enumParam, expandParam, idParam, integerParam, issue, listParams, metadataParam, type MetadataPatch } from './common';

const DECIMAL_TEXT = /^-?[0-9]{1,16}(?:\.[0-9]{1,12})?$/;

/**
 * A `decimal_string` (`unit_amount_decimal`, `quantity_decimal`) that must hold a whole number of
 * minor units: `"1500"` and `"1500.00"` pass; `"12.5"` is refused (amounts are integers here).
 */
export const wholeDecimalParam = z.string().transform((text, ctx) => {
  if (!DECIMAL_TEXT.test(text)) return issue(ctx, `Invalid decimal: ${text.slice(0, 40)}`, 'parameter_invalid');
  const [whole, fraction = ''] = text.split('.');
  if (/[1-9]/.test(fraction)) return issue(ctx, 'Fractional amounts and quantities are not supported; pass a whole number.', 'parameter_invalid');
  const value = Number(whole);
  if (!Number.isSafeInteger(value)) return issue(ctx, `Invalid decimal: ${text.slice(0, 40)}`, 'parameter_invalid');
  return value === 0 ? 0 : value;
});

export const quantityParam = integerParam.refine((n) => n >= 0 && n <= AMOUNT_MINOR_MAX, { message: `Quantity must be between 0 and ${AMOUNT_MINOR_MAX}.` });
const unitAmountParam = integerParam.refine((n) => Math.abs(n) <= AMOUNT_MINOR_MAX, { message: `Must be at most ${AMOUNT_MINOR_MAX} in absolute value.` });

export const periodParam = z.strictObject({ start: integerParam, end: integerParam });

const priceDataParam = z.strictObject({
  currency: z.string().max(8),
  product: idParam('product'),
  unit_amount: unitAmountParam.optional(),
  unit_amount_decimal: wholeDecimalParam.optional(),
  tax_behavior: enumParam(['exclusive', 'inclusive', 'unspecified']).optional(),
});

const itemFields = {
  amount: unitAmountParam.optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  discountable: booleanParam.optional(),
  metadata: metadataParam.optional(),
  period: periodParam.optional(),
  price_data: priceDataParam.optional(),
  pricing: z.strictObject({ price: idParam('price').optional() }).optional(),
  quantity: quantityParam.optional(),
  quantity_decimal: wholeDecimalParam.optional(),
  unit_amount_decimal: wholeDecimalParam.optional(),
  tax_behavior: enumParam(['exclusive', 'inclusive', 'unspecified']).optional(),
  expand: expandParam.optional(),
};

export const InvoiceItemCreateParams = z.strictObject({
  ...itemFields,
  customer: idParam('customer'),
  currency: z.string().max(8).optional(),
  invoice: idParam('invoice').optional(),
  subscription: idParam('subscription').optional(),
});
export const InvoiceItemUpdateParams = z.strictObject(itemFields);
export const InvoiceItemListParams = z.strictObject({
  ...listParams,
  customer: idParam('customer').optional(),
  invoice: idParam('invoice').optional(),
  pending: booleanParam.optional(),
});

/** How an item is priced: exactly one of these forms (Stripe's exclusive parameters). */
export type ItemPricing =
  | { readonly kind: 'amount'; readonly amount: number }
  | { readonly kind: 'unit'; readonly unitAmount: number }
  | { readonly kind: 'price'; readonly price: string }
  | { readonly kind: 'price_data'; readonly currency: string; readonly product: string; readonly unitAmount: number };

export interface InvoiceItemFields {
  readonly pricing?: ItemPricing;
  readonly quantity?: number;
  readonly description?: string | null;
  readonly metadata?: MetadataPatch;
  readonly period?: { readonly start: number; readonly end: number };
}

export interface InvoiceItemCreateCommand extends InvoiceItemFields {
  readonly customer: string;
  readonly currency?: string;
  readonly invoice?: string;
  readonly subscription?: string;
}

type ItemParams = z.output<typeof InvoiceItemUpdateParams>;

function exclusive(names: readonly string[]): WireError {
  return invalidRequest(`You may only specify one of these parameters: ${names.join(', ')}.`, names[1] ?? names[0] ?? null, 'parameters_exclusive');
}

function pricingOf(p: ItemParams): Result<ItemPricing | undefined, WireError> {
  const given = (['amount', 'unit_amount_decimal', 'pricing', 'price_data'] as const).filter((name) => p[name] !== undefined);
  if (given.length > 1) return err(exclusive(given));
  if (p.amount !== undefined) return ok({ kind: 'amount', amount: p.amount });
  if (p.unit_amount_decimal !== undefined) return ok({ kind: 'unit', unitAmount: p.unit_amount_decimal });
  if (p.pricing !== undefined) {
    if (p.pricing.price === undefined) return err(invalidRequest('Missing required param: pricing[price].', 'pricing[price]', 'parameter_missing'));
    return ok({ kind: 'price', price: p.pricing.price });
  }
  if (p.price_data !== undefined) {
    const data = p.price_data;
    if (data.unit_amount !== undefined && data.unit_amount_decimal !== undefined) return err(exclusive(['price_data[unit_amount]', 'price_data[unit_amount_decimal]']));
    const unitAmount = data.unit_amount ?? data.unit_amount_decimal;
    if (unitAmount === undefined) return err(invalidRequest('Missing required param: price_data[unit_amount].', 'price_data[unit_amount]', 'parameter_missing'));
    return ok({ kind: 'price_data', currency: data.currency, product: data.product, unitAmount });
  }
  return ok(undefined);
}

function quantityOf(p: ItemParams, pricing: ItemPricing | undefined): Result<number | undefined, WireError> {
  if (p.quantity !== undefined && p.quantity_decimal !== undefined) return err(exclusive(['quantity', 'quantity_decimal']));
  const quantity = p.quantity ?? p.quantity_decimal;
  if (quantity !== undefined && quantity < 0) return err(invalidRequest('Quantity must be a non-negative whole number.', 'quantity_decimal', 'parameter_invalid'));
  if (pricing?.kind === 'amount' && quantity !== undefined && quantity !== 1) {
    return err(invalidRequest('`quantity` cannot be combined with `amount`; pass `unit_amount_decimal` with a quantity instead.', 'quantity', 'parameters_exclusive'));
  }
  return ok(quantity);
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toInvoiceItemFields(p: ItemParams): Result<InvoiceItemFields, WireError> {
  const pricing = pricingOf(p);
  if (!pricing.ok) return pricing;
  const quantity = quantityOf(p, pricing.value);
  if (!quantity.ok) return quantity;
  if (p.period !== undefined && p.period.end < p.period.start) return err(invalidRequest('The period end must not be before its start.', 'period[end]', 'parameter_invalid'));
  return ok(defined({ pricing: pricing.value, quantity: quantity.value, description: p.description, metadata: p.metadata, period: p.period }));
}

export function toInvoiceItemCreateCommand(p: z.output<typeof InvoiceItemCreateParams>): Result<InvoiceItemCreateCommand, WireError> {
  const fields = toInvoiceItemFields(p);
  if (!fields.ok) return fields;
  if (fields.value.pricing === undefined) {
    return err(invalidRequest('You must specify one of amount, unit_amount_decimal, pricing[price] or price_data.', 'amount', 'parameter_missing'));
  }
  return ok(defined({ ...fields.value, customer: p.customer, currency: p.currency, invoice: p.invoice, subscription: p.subscription }));
}

export interface InvoiceItemListCommand {
  readonly list: ListArgs;
  readonly customer?: string;
  readonly invoice?: string;
  readonly pending?: boolean;
}

export function toInvoiceItemListCommand(p: z.output<typeof InvoiceItemListParams>): InvoiceItemListCommand {
  return defined({ list: toListArgs(p), customer: p.customer, invoice: p.invoice, pending: p.pending });
}
