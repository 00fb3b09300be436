/** Invoice parameters (create, update, list, finalize, pay, lines) and their commands. */
import { z } from 'zod';
import { STRING_LENGTH_MAX } from '../../domain/limits';
import type { CollectionMethod } from '../../domain/billing/invoice';
import { toListArgs, type ListArgs } from '../list';
import { booleanParam, clearableString, enumParam, expandParam, idParam, integerParam, listParams, metadataParam, type MetadataPatch } from './common';

const collectionMethodParam = enumParam(['charge_automatically', 'send_invoice']);
const daysParam = integerParam.refine((n) => n >= 0 && n <= 730, { message: 'Must be between 0 and 730 days.' });

const editableFields = {
  auto_advance: booleanParam.optional(),
  collection_method: collectionMethodParam.optional(),
  days_until_due: daysParam.optional(),
  due_date: integerParam.optional(),
  default_payment_method: clearableString(255).optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam.optional(),
};

export const InvoiceCreateParams = z.strictObject({
  ...editableFields,
  customer: idParam('customer'),
  currency: z.string().max(8).optional(),
  pending_invoice_items_behavior: enumParam(['include', 'exclude']).optional(),
});
export const InvoiceUpdateParams = z.strictObject(editableFields);
export const InvoiceListParams = z.strictObject({
  ...listParams,
  customer: idParam('customer').optional(),
  status: enumParam(['draft', 'open', 'paid', 'uncollectible', 'void']).optional(),
  subscription: idParam('subscription').optional(),
  collection_method: collectionMethodParam.optional(),
});
export const InvoiceFinalizeParams = z.strictObject({ auto_advance: booleanParam.optional(), expand: expandParam.optional() });
export const InvoicePayParams = z.strictObject({
  payment_method: idParam('payment_method').optional(),
  paid_out_of_band: booleanParam.optional(),
  off_session: booleanParam.optional(),
  forgive: booleanParam.optional(),
  expand: expandParam.optional(),
});
export const InvoiceLinesParams = z.strictObject({
  limit: listParams.limit,
  starting_after: listParams.starting_after,
  ending_before: listParams.ending_before,
  expand: listParams.expand,
});
export const InvoicePaymentListParams = z.strictObject({
  ...listParams,
  invoice: idParam('invoice').optional(),
  status: enumParam(['open', 'paid', 'canceled']).optional(),
});

export interface InvoiceFieldsCommand {
  readonly autoAdvance?: boolean;
  readonly collectionMethod?: CollectionMethod;
  readonly daysUntilDue?: number;
  readonly dueDate?: number;
  readonly defaultPaymentMethod?: string | null;
  readonly description?: string | null;
  readonly metadata?: MetadataPatch;
}

export interface InvoiceCreateCommand extends InvoiceFieldsCommand {
  readonly customer: string;
  readonly currency?: string;
  readonly includePending: boolean;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toInvoiceFields(p: z.output<typeof InvoiceUpdateParams>): InvoiceFieldsCommand {
  return defined({
    autoAdvance: p.auto_advance,
    collectionMethod: p.collection_method,
    daysUntilDue: p.days_until_due,
    dueDate: p.due_date,
    defaultPaymentMethod: p.default_payment_method,
    description: p.description,
    metadata: p.metadata,
  });
}

export function toInvoiceCreateCommand(p: z.output<typeof InvoiceCreateParams>): InvoiceCreateCommand {
  // Stripe's default since 2022-08-01: items created earlier without `invoice` stay pending.
  return defined({ ...toInvoiceFields(p), customer: p.customer, currency: p.currency, includePending: p.pending_invoice_items_behavior === 'include' });
}

export interface InvoiceListCommand {
  readonly list: ListArgs;
  readonly customer?: string;
  readonly status?: string;
  readonly subscription?: string;
}

export function toInvoiceListCommand(p: z.output<typeof InvoiceListParams>): InvoiceListCommand {
  return defined({ list: toListArgs(p), customer: p.customer, status: p.status, subscription: p.subscription });
}

export interface InvoicePayCommand {
  readonly id: string;
  readonly paymentMethod?: string;
  readonly paidOutOfBand: boolean;
  /** The origin this request reached (for the PaymentIntent's test-mode 3DS page). */
  readonly origin: string;
  /** Automatic attempts only (never from the wire): the billing time the attempt happens at. */
  readonly at?: number;
}
