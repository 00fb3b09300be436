/** The `address` hash shared by customers, billing details and shipping. */
import { z } from 'zod';
import { SHORT_STRING_LENGTH_MAX } from '../../domain/limits';
import type { Address } from '../../domain/customer/customer';
import { clearableString } from './common';

export const addressParam = z.strictObject({
  city: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  country: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  line1: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  line2: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  postal_code: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  state: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
});

export type AddressParams = z.output<typeof addressParam>;

export function toAddress(address: AddressParams): Address {
  return {
    city: address.city ?? null,
    country: address.country ?? null,
    line1: address.line1 ?? null,
    line2: address.line2 ?? null,
    postalCode: address.postal_code ?? null,
    state: address.state ?? null,
  };
}
