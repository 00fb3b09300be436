/** Subscription and test-clock parameters and their commands. */
import { z } from 'zod';
import { STRING_LENGTH_MAX, SUBSCRIPTION_ITEMS_MAX } from '../../domain/limits';
import { toListArgs, type ListArgs } from '../list';
import { arrayParam, booleanParam, clearableString, enumParam, expandParam, idParam, integerParam, listParams, metadataParam, requiredString, type MetadataPatch } from './common';
import { quantityParam } from './invoice-items';

const createItemParam = z.strictObject({ price: idParam('price'), quantity: quantityParam.optional(), metadata: metadataParam.optional() });
const updateItemParam = z.strictObject({
  id: idParam('subscription_item').optional(),
  price: idParam('price').optional(),
  quantity: quantityParam.optional(),
  metadata: metadataParam.optional(),
  deleted: booleanParam.optional(),
});
export type PaymentBehavior = 'allow_incomplete' | 'error_if_incomplete' | 'default_incomplete';
export type ProrationBehavior = 'create_prorations' | 'none';

export const SubscriptionCreateParams = z.strictObject({
  customer: idParam('customer'),
  items: arrayParam(createItemParam, SUBSCRIPTION_ITEMS_MAX),
  default_payment_method: clearableString(255).optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  payment_behavior: enumParam(['allow_incomplete', 'error_if_incomplete', 'default_incomplete']).optional(),
  collection_method: enumParam(['charge_automatically']).optional(),
  cancel_at_period_end: booleanParam.optional(),
  cancel_at: integerParam.optional(),
  off_session: booleanParam.optional(),
  expand: expandParam.optional(),
});
export const SubscriptionUpdateParams = z.strictObject({
  items: arrayParam(updateItemParam, SUBSCRIPTION_ITEMS_MAX).optional(),
  proration_behavior: enumParam(['create_prorations', 'none']).optional(),
  default_payment_method: clearableString(255).optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  cancel_at_period_end: booleanParam.optional(),
  cancel_at: z.union([integerParam, z.literal('').transform(() => null)]).optional(),
  off_session: booleanParam.optional(),
  expand: expandParam.optional(),
});
/** Immediate cancellation; a final prorated invoice (`invoice_now`, `prorate`) is not offered. */
export const SubscriptionCancelParams = z.strictObject({
  invoice_now: z.literal('false').optional(),
  prorate: z.literal('false').optional(),
  cancellation_details: z.strictObject({ comment: clearableString(STRING_LENGTH_MAX).optional() }).optional(),
  expand: expandParam.optional(),
});
export const SubscriptionListParams = z.strictObject({
  ...listParams,
  customer: idParam('customer').optional(),
  status: enumParam(['active', 'past_due', 'unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'trialing', 'paused', 'all', 'ended']).optional(),
  test_clock: idParam('test_clock').optional(),
});

export interface SubscriptionItemInput {
  readonly price: string;
  readonly quantity: number;
  readonly metadata?: MetadataPatch;
}

export interface SubscriptionCreateCommand {
  readonly customer: string;
  readonly items: readonly SubscriptionItemInput[];
  readonly defaultPaymentMethod?: string | null;
  readonly description?: string | null;
  readonly metadata?: MetadataPatch;
  readonly paymentBehavior: PaymentBehavior;
  readonly cancelAtPeriodEnd: boolean;
  readonly cancelAt?: number;
  readonly origin: string;
}

export interface SubscriptionItemChange {
  readonly id?: string;
  readonly price?: string;
  readonly quantity?: number;
  readonly metadata?: MetadataPatch;
  readonly deleted: boolean;
}

export interface SubscriptionUpdateCommand {
  readonly items?: readonly SubscriptionItemChange[];
  readonly prorationBehavior: ProrationBehavior;
  readonly defaultPaymentMethod?: string | null;
  readonly description?: string | null;
  readonly metadata?: MetadataPatch;
  readonly cancelAtPeriodEnd?: boolean;
  readonly cancelAt?: number | null;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toSubscriptionCreateCommand(p: z.output<typeof SubscriptionCreateParams>, origin: string): SubscriptionCreateCommand {
  return defined({
    customer: p.customer,
    items: p.items.map((item) => defined({ price: item.price, quantity: item.quantity ?? 1, metadata: item.metadata })),
    defaultPaymentMethod: p.default_payment_method,
    description: p.description,
    metadata: p.metadata,
    paymentBehavior: p.payment_behavior ?? 'allow_incomplete',
    cancelAtPeriodEnd: p.cancel_at_period_end ?? false,
    cancelAt: p.cancel_at,
    origin,
  });
}

export function toSubscriptionUpdateCommand(p: z.output<typeof SubscriptionUpdateParams>): SubscriptionUpdateCommand {
  return defined({
    items: p.items?.map((item) => defined({ id: item.id, price: item.price, quantity: item.quantity, metadata: item.metadata, deleted: item.deleted ?? false })),
    prorationBehavior: p.proration_behavior ?? 'create_prorations',
    defaultPaymentMethod: p.default_payment_method,
    description: p.description,
    metadata: p.metadata,
    cancelAtPeriodEnd: p.cancel_at_period_end,
    cancelAt: p.cancel_at,
  });
}

export interface SubscriptionListCommand {
  readonly list: ListArgs;
  readonly customer?: string;
  readonly status?: string;
  readonly testClock?: string;
}

export function toSubscriptionListCommand(p: z.output<typeof SubscriptionListParams>): SubscriptionListCommand {
  return defined({ list: toListArgs(p), customer: p.customer, status: p.status, testClock: p.test_clock });
}

export const TestClockCreateParams = z.strictObject({
  frozen_time: integerParam,
  name: requiredString(300).optional(),
  expand: expandParam.optional(),
});
export const TestClockAdvanceParams = z.strictObject({ frozen_time: integerParam, expand: expandParam.optional() });
export const TestClockListParams = z.strictObject({ limit: listParams.limit, starting_after: listParams.starting_after, ending_before: listParams.ending_before, expand: listParams.expand });
