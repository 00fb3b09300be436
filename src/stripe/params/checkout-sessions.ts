/** Checkout Session parameters (create, retrieve, list, line items, expire) and their commands. */
import { z } from 'zod';
import type { Recurrence } from '../../domain/billing/calendar';
import {
  CHECKOUT_LINE_ITEMS_MAX,
  CHECKOUT_QUANTITY_MAX,
  CHECKOUT_URL_LENGTH_MAX,
  type CheckoutMode,
  type CheckoutStatus,
} from '../../domain/checkout/session';
import { EMAIL_LENGTH_MAX, SHORT_STRING_LENGTH_MAX, STRING_LENGTH_MAX } from '../../domain/limits';
import { err, ok, type Result } from '../../domain/result';
import { invalidRequest, type WireError } from '../errors';
import { toListArgs, type ListArgs } from '../list';
import { arrayParam, enumParam, expandParam, idParam, integerParam, issue, listParams, metadataParam, requiredString, type MetadataPatch } from './common';

const urlParam = z.string().transform((text, ctx) => {
  if (text.length > CHECKOUT_URL_LENGTH_MAX || !/^https?:\/\/[^\s]+$/i.test(text)) return issue(ctx, 'Not a valid URL', 'url_invalid');
  return text;
});

const quantityParam = integerParam.refine((n) => n >= 1 && n <= CHECKOUT_QUANTITY_MAX, {
  message: `Quantity must be between 1 and ${CHECKOUT_QUANTITY_MAX}.`,
});

const priceDataParam = z.strictObject({
  currency: z.string().max(8),
  product: idParam('product').optional(),
  product_data: z
    .strictObject({ name: requiredString(SHORT_STRING_LENGTH_MAX), description: requiredString(STRING_LENGTH_MAX).optional(), metadata: metadataParam.optional() })
    .optional(),
  unit_amount: integerParam.refine((n) => n >= 0, { message: 'Must be a non-negative integer.' }),
  recurring: z.strictObject({ interval: enumParam(['day', 'week', 'month', 'year']), interval_count: integerParam.optional() }).optional(),
  tax_behavior: enumParam(['exclusive', 'inclusive', 'unspecified']).optional(),
});

const lineItemParam = z.strictObject({
  price: idParam('price').optional(),
  price_data: priceDataParam.optional(),
  quantity: quantityParam.optional(),
});

export const CheckoutSessionCreateParams = z.strictObject({
  mode: enumParam(['payment', 'subscription', 'setup']),
  line_items: arrayParam(lineItemParam, CHECKOUT_LINE_ITEMS_MAX).optional(),
  customer: idParam('customer').optional(),
  customer_email: requiredString(EMAIL_LENGTH_MAX).optional(),
  client_reference_id: requiredString(200).optional(),
  success_url: urlParam.optional(),
  cancel_url: urlParam.optional(),
  metadata: metadataParam.optional(),
  expires_at: integerParam.optional(),
  payment_method_types: arrayParam(enumParam(['card']), 10).optional(),
  ui_mode: enumParam(['hosted']).optional(),
  expand: expandParam.optional(),
});

export const CheckoutSessionRetrieveParams = z.strictObject({ expand: expandParam.optional() });

export const CheckoutSessionListParams = z.strictObject({
  ...listParams,
  payment_intent: idParam('payment_intent').optional(),
  customer: idParam('customer').optional(),
  subscription: idParam('subscription').optional(),
  status: enumParam(['open', 'complete', 'expired']).optional(),
});

export const CheckoutLineItemListParams = z.strictObject({ ...listParams });

export interface PriceDataInput {
  readonly currency: string;
  readonly product: { readonly id: string } | { readonly name: string; readonly description?: string; readonly metadata?: MetadataPatch };
  readonly unitAmount: number;
  readonly recurring: Recurrence | null;
  readonly taxBehavior: 'exclusive' | 'inclusive' | 'unspecified';
}

export type LineItemInput = { readonly quantity: number } & ({ readonly price: string } | { readonly priceData: PriceDataInput });

export interface CheckoutSessionCreateCommand {
  readonly mode: CheckoutMode;
  readonly lineItems: readonly LineItemInput[];
  readonly customer?: string;
  readonly customerEmail?: string;
  readonly clientReferenceId?: string;
  readonly successUrl?: string;
  readonly cancelUrl?: string;
  readonly metadata?: MetadataPatch;
  readonly expiresAt?: number;
  /** The origin the request reached: the hosted page is served there. */
  readonly origin: string;
}

type LineItemParams = z.output<typeof lineItemParam>;

function toLineItem(item: LineItemParams, index: number): Result<LineItemInput, WireError> {
  const at = (field: string) => `line_items[${index}][${field}]`;
  const quantity = item.quantity;
  if (quantity === undefined) return err(invalidRequest(`Missing required param: ${at('quantity')}.`, at('quantity'), 'parameter_missing'));
  if ((item.price === undefined) === (item.price_data === undefined)) {
    return err(invalidRequest(`You must specify exactly one of ${at('price')} or ${at('price_data')}.`, at('price'), 'parameter_missing'));
  }
  if (item.price !== undefined) return ok({ quantity, price: item.price });
  const data = item.price_data!;
  if ((data.product === undefined) === (data.product_data === undefined)) {
    return err(invalidRequest(`You must specify exactly one of ${at('price_data][product')} or ${at('price_data][product_data')}.`, at('price_data][product'), 'parameter_missing'));
  }
  const product = data.product !== undefined ? { id: data.product } : definedOnly({ ...data.product_data! });
  const recurring = data.recurring === undefined ? null : { interval: data.recurring.interval, intervalCount: data.recurring.interval_count ?? 1 };
  return ok({ quantity, priceData: { currency: data.currency, product, unitAmount: data.unit_amount, recurring, taxBehavior: data.tax_behavior ?? 'unspecified' } });
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toCheckoutSessionCreateCommand(params: z.output<typeof CheckoutSessionCreateParams>, origin: string): Result<CheckoutSessionCreateCommand, WireError> {
  if (params.mode === 'setup') return err(invalidRequest('Checkout Sessions in setup mode are not supported; use payment or subscription.', 'mode', 'parameter_invalid'));
  if (params.customer !== undefined && params.customer_email !== undefined) {
    return err(invalidRequest('You may only specify one of these parameters: customer, customer_email.', 'customer_email', 'parameters_exclusive'));
  }
  const items = params.line_items ?? [];
  if (items.length === 0) return err(invalidRequest(`Missing required param: line_items.`, 'line_items', 'parameter_missing'));
  const lineItems: LineItemInput[] = [];
  for (const [index, item] of items.entries()) {
    const converted = toLineItem(item, index);
    if (!converted.ok) return converted;
    lineItems.push(converted.value);
  }
  return ok(
    definedOnly({
      mode: params.mode,
      lineItems,
      customer: params.customer,
      customerEmail: params.customer_email,
      clientReferenceId: params.client_reference_id,
      successUrl: params.success_url,
      cancelUrl: params.cancel_url,
      metadata: params.metadata,
      expiresAt: params.expires_at,
      origin,
    }),
  );
}

export interface CheckoutSessionListCommand {
  readonly list: ListArgs;
  readonly paymentIntent?: string;
  readonly customer?: string;
  readonly subscription?: string;
  readonly status?: CheckoutStatus;
  readonly expand: readonly string[];
}

export function toCheckoutSessionListCommand(params: z.output<typeof CheckoutSessionListParams>, expand: readonly string[]): CheckoutSessionListCommand {
  return definedOnly({
    list: toListArgs(params),
    paymentIntent: params.payment_intent,
    customer: params.customer,
    subscription: params.subscription,
    status: params.status,
    expand,
  });
}

/** The client-side confirm of a PaymentIntent with a publishable key (what the hosted page sends). */
export const ClientConfirmParams = z.strictObject({
  client_secret: requiredString(SHORT_STRING_LENGTH_MAX),
  payment_method: idParam('payment_method'),
  return_url: urlParam.optional(),
  use_stripe_sdk: z.string().optional(),
});

export const ClientRetrieveParams = z.strictObject({ client_secret: requiredString(SHORT_STRING_LENGTH_MAX) });
