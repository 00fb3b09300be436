/** Product and Price parameters and their commands. */
import { z } from 'zod';
import { PAYOUT_STATEMENT_DESCRIPTOR_LENGTH_MAX, SHORT_STRING_LENGTH_MAX, STRING_LENGTH_MAX } from '../../domain/limits';
import type { Recurrence } from '../../domain/billing/calendar';
import { err, ok, type Result } from '../../domain/result';
import { invalidRequest, type WireError } from '../errors';
import { toListArgs, type ListArgs } from '../list';
import { booleanParam, clearableString, enumParam, expandParam, idParam, integerParam, listParams, metadataParam, requiredString, type MetadataPatch } from './common';
import { wholeDecimalParam } from './invoice-items';

const taxBehaviorParam = enumParam(['exclusive', 'inclusive', 'unspecified']);
const recurringParam = z.strictObject({
  interval: enumParam(['day', 'week', 'month', 'year']),
  interval_count: integerParam.optional(),
  usage_type: enumParam(['licensed']).optional(),
});
const unitAmountParam = integerParam.refine((n) => n >= 0, { message: 'Must be a non-negative integer.' });

const priceDataFields = {
  currency: z.string().max(8),
  unit_amount: unitAmountParam.optional(),
  unit_amount_decimal: wholeDecimalParam.optional(),
  recurring: recurringParam.optional(),
  tax_behavior: taxBehaviorParam.optional(),
};

const productFields = {
  active: booleanParam.optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  statement_descriptor: clearableString(PAYOUT_STATEMENT_DESCRIPTOR_LENGTH_MAX).optional(),
  unit_label: clearableString(12).optional(),
  url: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  expand: expandParam.optional(),
};

export const ProductCreateParams = z.strictObject({
  ...productFields,
  name: requiredString(SHORT_STRING_LENGTH_MAX),
  default_price_data: z.strictObject(priceDataFields).optional(),
});
export const ProductUpdateParams = z.strictObject({
  ...productFields,
  name: requiredString(SHORT_STRING_LENGTH_MAX).optional(),
  default_price: clearableString(255).optional(),
});
export const ProductListParams = z.strictObject({ ...listParams, active: booleanParam.optional() });

export const PriceCreateParams = z.strictObject({
  ...priceDataFields,
  product: idParam('product').optional(),
  product_data: z.strictObject({ name: requiredString(SHORT_STRING_LENGTH_MAX), active: booleanParam.optional(), metadata: metadataParam.optional() }).optional(),
  active: booleanParam.optional(),
  nickname: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  lookup_key: clearableString(200).optional(),
  billing_scheme: enumParam(['per_unit']).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam.optional(),
});
export const PriceUpdateParams = z.strictObject({
  active: booleanParam.optional(),
  nickname: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  lookup_key: clearableString(200).optional(),
  metadata: metadataParam.optional(),
  tax_behavior: taxBehaviorParam.optional(),
  expand: expandParam.optional(),
});
export const PriceListParams = z.strictObject({ ...listParams, active: booleanParam.optional(), product: idParam('product').optional() });

export interface PriceTerms {
  readonly currency: string;
  readonly unitAmount: number;
  readonly recurring: Recurrence | null;
  readonly taxBehavior: 'exclusive' | 'inclusive' | 'unspecified';
}

export interface ProductFieldsCommand {
  readonly name?: string;
  readonly active?: boolean;
  readonly description?: string | null;
  readonly metadata?: MetadataPatch;
  readonly statementDescriptor?: string | null;
  readonly unitLabel?: string | null;
  readonly url?: string | null;
}

export interface ProductCreateCommand extends ProductFieldsCommand {
  readonly name: string;
  readonly defaultPrice?: PriceTerms;
}

export interface ProductUpdateCommand extends ProductFieldsCommand {
  readonly defaultPrice?: string | null;
}

export interface PriceCreateCommand extends PriceTerms {
  readonly product: { readonly id: string } | { readonly name: string; readonly active: boolean; readonly metadata?: MetadataPatch };
  readonly active: boolean;
  readonly nickname?: string | null;
  readonly lookupKey?: string | null;
  readonly metadata?: MetadataPatch;
}

export interface PriceUpdateCommand {
  readonly active?: boolean;
  readonly nickname?: string | null;
  readonly lookupKey?: string | null;
  readonly metadata?: MetadataPatch;
  readonly taxBehavior?: 'exclusive' | 'inclusive' | 'unspecified';
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

type PriceDataParams = { currency: string; unit_amount?: number | undefined; unit_amount_decimal?: number | undefined; recurring?: z.output<typeof recurringParam> | undefined; tax_behavior?: PriceTerms['taxBehavior'] | undefined };

/** Unit amount (exactly one of `unit_amount`, `unit_amount_decimal`) and recurrence; currency parsed later. */
export function toPriceTerms(p: PriceDataParams, parent = ''): Result<PriceTerms, WireError> {
  const name = (field: string) => (parent === '' ? field : `${parent}[${field}]`);
  if (p.unit_amount !== undefined && p.unit_amount_decimal !== undefined) {
    return err(invalidRequest(`You may only specify one of these parameters: ${name('unit_amount')}, ${name('unit_amount_decimal')}.`, name('unit_amount_decimal'), 'parameters_exclusive'));
  }
  const unitAmount = p.unit_amount ?? p.unit_amount_decimal;
  if (unitAmount === undefined) return err(invalidRequest(`Missing required param: ${name('unit_amount')}.`, name('unit_amount'), 'parameter_missing'));
  if (unitAmount < 0) return err(invalidRequest('The unit amount must not be negative.', name('unit_amount_decimal'), 'parameter_invalid'));
  const recurring = p.recurring === undefined ? null : { interval: p.recurring.interval, intervalCount: p.recurring.interval_count ?? 1 };
  return ok({ currency: p.currency, unitAmount, recurring, taxBehavior: p.tax_behavior ?? 'unspecified' });
}

export function toProductCreateCommand(p: z.output<typeof ProductCreateParams>): Result<ProductCreateCommand, WireError> {
  const terms = p.default_price_data === undefined ? undefined : toPriceTerms(p.default_price_data, 'default_price_data');
  if (terms !== undefined && !terms.ok) return terms;
  return ok(
    defined({
      name: p.name,
      active: p.active,
      description: p.description,
      metadata: p.metadata,
      statementDescriptor: p.statement_descriptor,
      unitLabel: p.unit_label,
      url: p.url,
      defaultPrice: terms?.value,
    }),
  );
}

export function toProductUpdateCommand(p: z.output<typeof ProductUpdateParams>): ProductUpdateCommand {
  return defined({
    name: p.name,
    active: p.active,
    description: p.description,
    metadata: p.metadata,
    statementDescriptor: p.statement_descriptor,
    unitLabel: p.unit_label,
    url: p.url,
    defaultPrice: p.default_price,
  });
}

export function toPriceCreateCommand(p: z.output<typeof PriceCreateParams>): Result<PriceCreateCommand, WireError> {
  if ((p.product === undefined) === (p.product_data === undefined)) {
    return err(invalidRequest('You must specify exactly one of `product` or `product_data`.', 'product', p.product === undefined ? 'parameter_missing' : 'parameters_exclusive'));
  }
  const terms = toPriceTerms(p);
  if (!terms.ok) return terms;
  const product = p.product !== undefined ? { id: p.product } : defined({ name: p.product_data!.name, active: p.product_data!.active ?? true, metadata: p.product_data!.metadata });
  return ok(defined({ ...terms.value, product, active: p.active ?? true, nickname: p.nickname, lookupKey: p.lookup_key, metadata: p.metadata }));
}

export function toPriceUpdateCommand(p: z.output<typeof PriceUpdateParams>): PriceUpdateCommand {
  return defined({ active: p.active, nickname: p.nickname, lookupKey: p.lookup_key, metadata: p.metadata, taxBehavior: p.tax_behavior });
}

export interface CatalogListCommand {
  readonly list: ListArgs;
  readonly active?: boolean;
  readonly product?: string;
}

export function toCatalogListCommand(p: { active?: boolean | undefined; product?: string | undefined } & Parameters<typeof toListArgs>[0]): CatalogListCommand {
  return defined({ list: toListArgs(p), active: p.active, product: p.product });
}
