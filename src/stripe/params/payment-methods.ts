/** PaymentMethod parameters. Raw card numbers are validated here and travel on only as digits. */
import { z } from 'zod';
import { EMAIL_LENGTH_MAX, SHORT_STRING_LENGTH_MAX } from '../../domain/limits';
import { validateCardInput, type ValidatedCard } from '../../domain/cards/validate';
import { err, ok, type Result } from '../../domain/result';
import { wireError, type WireError } from '../errors';
import type { BillingDetails } from '../../domain/payments/payment-method';
import { clearableString, enumParam, expandParam, idParam, integerParam, listParams, metadataParam, type MetadataPatch } from './common';
import { toListArgs, type ListArgs } from '../list';
import { addressParam, toAddress } from './address';

const billingDetailsParam = z.strictObject({
  address: addressParam.optional(),
  email: clearableString(EMAIL_LENGTH_MAX).optional(),
  name: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
  phone: clearableString(SHORT_STRING_LENGTH_MAX).optional(),
});

const cardParam = z.union([
  z.strictObject({
    number: z.string().max(64),
    exp_month: integerParam,
    exp_year: integerParam,
    cvc: z.string().max(8).optional(),
  }),
  z.strictObject({ token: idParam('token') }),
]);

export const PaymentMethodCreateParams = z.strictObject({
  type: enumParam(['card']),
  card: cardParam,
  billing_details: billingDetailsParam.optional(),
  metadata: metadataParam.optional(),
  allow_redisplay: enumParam(['always', 'limited', 'unspecified']).optional(),
  expand: expandParam.optional(),
});

export const PaymentMethodUpdateParams = z.strictObject({
  billing_details: billingDetailsParam.optional(),
  metadata: metadataParam.optional(),
  expand: expandParam.optional(),
});

export const PaymentMethodAttachParams = z.strictObject({ customer: idParam('customer'), expand: expandParam.optional() });
export const ExpandOnlyParams = z.strictObject({ expand: expandParam.optional() });

export const PaymentMethodListParams = z.strictObject({
  ...listParams,
  customer: idParam('customer').optional(),
  type: enumParam(['card']).optional(),
});
export const CustomerPaymentMethodListParams = z.strictObject({ ...listParams, type: enumParam(['card']).optional() });

export function toBillingDetails(params: z.output<typeof billingDetailsParam> | undefined): BillingDetails {
  return {
    address: params?.address === undefined ? null : toAddress(params.address),
    email: params?.email ?? null,
    name: params?.name ?? null,
    phone: params?.phone ?? null,
  };
}

/**
 * Entered card details (`card[number]`, `card[exp_month]`, `card[exp_year]`, `card[cvc]`, as
 * PaymentMethods and tokens take them) checked like Stripe does: a 402 card_error naming the
 * field (`incorrect_number`, `invalid_expiry_month`, …) or the validated digits.
 */
export function toValidatedCard(
  card: { readonly number: string; readonly exp_month: number; readonly exp_year: number; readonly cvc?: string | undefined },
  nowSeconds: number,
): Result<ValidatedCard, WireError> {
  const valid = validateCardInput({ number: card.number, expMonth: card.exp_month, expYear: card.exp_year, cvc: card.cvc ?? null }, nowSeconds);
  if (!valid.ok) return err(wireError(402, 'card_error', valid.error.message, { code: valid.error.code, param: valid.error.param }));
  return ok(valid.value);
}

/** Where the card comes from: entered digits (validated), a test token, or (elsewhere) a magic id. */
export type CardSource =
  | { readonly kind: 'number'; readonly card: ValidatedCard }
  | { readonly kind: 'token'; readonly token: string };

export interface PaymentMethodCreateCommand {
  readonly card: CardSource;
  readonly billingDetails: BillingDetails;
  readonly metadata?: MetadataPatch;
}

export interface PaymentMethodListCommand {
  readonly list: ListArgs;
  readonly customer: string;
}

export function toPaymentMethodListCommand(params: { customer?: string | undefined } & Parameters<typeof toListArgs>[0], customer: string): PaymentMethodListCommand {
  return { list: toListArgs(params), customer };
}
