/** Customer parameters (create, update, list) and their mapping to domain commands. */
import { z } from 'zod';
import { EMAIL_LENGTH_MAX, SHORT_STRING_LENGTH_MAX, STRING_LENGTH_MAX } from '../../domain/limits';
import type { CustomerFields } from '../../domain/customer/customer';
import { addressParam, toAddress } from './address';
import { arrayParam, clearableString, expandParam, listParams, metadataParam, type MetadataPatch } from './common';
import { toListArgs, type ListArgs } from '../list';

const clearableAddressParam = z.union([z.literal('').transform(() => null), addressParam]);

const customerFieldParams = {
  email: clearableString(EMAIL_LENGTH_MAX).optional(),
  name: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  phone: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  address: clearableAddressParam.optional(),
  preferred_locales: arrayParam(z.string().max(16), 10).optional(),
  invoice_settings: z.strictObject({ default_payment_method: clearableString(255).optional() }).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam.optional(),
};

export const CustomerCreateParams = z.strictObject({ ...customerFieldParams, test_clock: clearableString(255).optional() });
export const CustomerUpdateParams = z.strictObject(customerFieldParams);
export const CustomerRetrieveParams = z.strictObject({ expand: expandParam.optional() });
export const CustomerListParams = z.strictObject({
  ...listParams,
  email: z.string().max(EMAIL_LENGTH_MAX).optional(),
});

export interface CustomerWriteCommand {
  readonly fields: CustomerFields;
  readonly metadata?: MetadataPatch;
  /** Create only: the test clock the customer lives on. */
  readonly testClock?: string;
}

type FieldParams = z.output<typeof CustomerCreateParams>;

export function toCustomerWriteCommand(params: FieldParams): CustomerWriteCommand {
  const fields: { -readonly [K in keyof CustomerFields]: CustomerFields[K] } = {};
  if (params.email !== undefined) fields.email = params.email;
  if (params.name !== undefined) fields.name = params.name;
  if (params.description !== undefined) fields.description = params.description;
  if (params.phone !== undefined) fields.phone = params.phone;
  if (params.address !== undefined) fields.address = params.address === null ? null : toAddress(params.address);
  if (params.preferred_locales !== undefined) fields.preferredLocales = params.preferred_locales;
  const defaultMethod = params.invoice_settings?.default_payment_method;
  if (defaultMethod !== undefined) fields.defaultPaymentMethod = defaultMethod;
  const command: CustomerWriteCommand = params.metadata === undefined ? { fields } : { fields, metadata: params.metadata };
  return params.test_clock === undefined || params.test_clock === null ? command : { ...command, testClock: params.test_clock };
}

export interface CustomerListCommand {
  readonly list: ListArgs;
  readonly email?: string;
}

export function toCustomerListCommand(params: z.output<typeof CustomerListParams>): CustomerListCommand {
  const list = toListArgs(params);
  return params.email === undefined ? { list } : { list, email: params.email };
}
