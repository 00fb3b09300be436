/** PaymentIntent parameters (create, update, confirm, capture, cancel, list) and their commands. */
import { z } from 'zod';
import { STRING_LENGTH_MAX, EMAIL_LENGTH_MAX } from '../../domain/limits';
import type { CancellationReason, CaptureMethod } from '../../domain/payments/payment-intent';
import {
  arrayParam,
  booleanParam,
  clearableString,
  enumParam,
  expandParam,
  idParam,
  integerParam,
  listParams,
  metadataParam,
  type MetadataPatch,
} from './common';
import { toListArgs, type ListArgs } from '../list';

const captureMethodParam = enumParam(['automatic', 'automatic_async', 'manual']);
const offSessionParam = z.union([booleanParam, enumParam(['one_off', 'recurring']).transform(() => true)]);
const returnUrlParam = z.string().max(2048).refine((u) => /^https?:\/\//.test(u), { message: 'return_url must be an http(s) URL' });

const confirmFields = {
  payment_method: idParam('payment_method').optional(),
  return_url: returnUrlParam.optional(),
  off_session: offSessionParam.optional(),
  error_on_requires_action: booleanParam.optional(),
  receipt_email: clearableString(EMAIL_LENGTH_MAX).optional(),
  setup_future_usage: enumParam(['on_session', 'off_session']).optional(),
  capture_method: captureMethodParam.optional(),
  use_stripe_sdk: booleanParam.optional(),
  payment_method_options: z.record(z.string(), z.unknown()).optional(),
  expand: expandParam.optional(),
};

export const PaymentIntentCreateParams = z.strictObject({
  ...confirmFields,
  amount: integerParam,
  currency: z.string().max(8),
  customer: idParam('customer').optional(),
  confirm: booleanParam.optional(),
  confirmation_method: enumParam(['automatic', 'manual']).optional(),
  /** The pinned API version's name; `payment_method_types` is accepted from older clients. */
  allowed_payment_method_types: arrayParam(enumParam(['card']), 10).optional(),
  payment_method_types: arrayParam(enumParam(['card']), 10).optional(),
  automatic_payment_methods: z
    .strictObject({ enabled: booleanParam, allow_redirects: enumParam(['always', 'never']).optional() })
    .optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  statement_descriptor_suffix: clearableString(22).optional(),
});

export const PaymentIntentUpdateParams = z.strictObject({
  amount: integerParam.optional(),
  currency: z.string().max(8).optional(),
  customer: idParam('customer').optional(),
  payment_method: idParam('payment_method').optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  receipt_email: clearableString(EMAIL_LENGTH_MAX).optional(),
  capture_method: captureMethodParam.optional(),
  setup_future_usage: enumParam(['on_session', 'off_session']).optional(),
  statement_descriptor_suffix: clearableString(22).optional(),
  expand: expandParam.optional(),
});

export const PaymentIntentConfirmParams = z.strictObject(confirmFields);

export const PaymentIntentCaptureParams = z.strictObject({
  amount_to_capture: integerParam.optional(),
  final_capture: booleanParam.optional(),
  metadata: metadataParam.optional(),
  expand: expandParam.optional(),
});

export const PaymentIntentCancelParams = z.strictObject({
  cancellation_reason: enumParam(['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned']).optional(),
  expand: expandParam.optional(),
});

export const PaymentIntentListParams = z.strictObject({ ...listParams, customer: idParam('customer').optional() });

export interface ConfirmOptions {
  readonly paymentMethod?: string;
  readonly returnUrl?: string;
  readonly offSession: boolean;
  readonly errorOnRequiresAction: boolean;
  readonly receiptEmail?: string | null;
  readonly setupFutureUsage?: 'on_session' | 'off_session';
  readonly captureMethod?: CaptureMethod;
}

export interface PaymentIntentCreateCommand {
  readonly amount: number;
  readonly currency: string;
  readonly customer?: string;
  readonly description?: string | null;
  readonly metadata?: MetadataPatch;
  readonly captureMethod: CaptureMethod;
  readonly confirmationMethod: 'automatic' | 'manual';
  readonly paymentMethodTypes: readonly string[];
  readonly allowedPaymentMethodTypes: readonly string[] | null;
  readonly automaticPaymentMethods: { readonly enabled: boolean; readonly allowRedirects: 'always' | 'never' } | null;
  readonly statementDescriptorSuffix?: string | null;
  readonly confirm: boolean;
  readonly options: ConfirmOptions;
  /** The origin this request reached, for the test-mode authentication page URL. */
  readonly origin: string;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function toConfirmOptions(params: z.output<typeof PaymentIntentConfirmParams>): ConfirmOptions {
  return definedOnly({
    paymentMethod: params.payment_method,
    returnUrl: params.return_url,
    offSession: params.off_session ?? false,
    errorOnRequiresAction: params.error_on_requires_action ?? false,
    receiptEmail: params.receipt_email,
    setupFutureUsage: params.setup_future_usage,
    captureMethod: params.capture_method,
  });
}

export function toCreateCommand(params: z.output<typeof PaymentIntentCreateParams>, currency: string, origin: string): PaymentIntentCreateCommand {
  const types = params.allowed_payment_method_types ?? params.payment_method_types;
  const apm = params.automatic_payment_methods;
  return definedOnly({
    amount: params.amount,
    currency,
    customer: params.customer,
    description: params.description,
    metadata: params.metadata,
    captureMethod: params.capture_method ?? 'automatic_async',
    confirmationMethod: params.confirmation_method ?? 'automatic',
    paymentMethodTypes: types ?? ['card'],
    allowedPaymentMethodTypes: types ?? null,
    // Without explicit payment_method_types, the pinned API version enables automatic payment
    // methods with redirects allowed.
    automaticPaymentMethods: types ? (apm ? { enabled: apm.enabled, allowRedirects: apm.allow_redirects ?? 'always' } : null) : {
      enabled: apm?.enabled ?? true,
      allowRedirects: apm?.allow_redirects ?? 'always',
    },
    statementDescriptorSuffix: params.statement_descriptor_suffix,
    confirm: params.confirm ?? false,
    options: toConfirmOptions(params),
    origin,
  });
}

export interface PaymentIntentUpdateCommand {
  readonly amount?: number;
  readonly currency?: string;
  readonly customer?: string;
  readonly paymentMethod?: string;
  readonly description?: string | null;
  readonly metadata?: MetadataPatch;
  readonly receiptEmail?: string | null;
  readonly captureMethod?: CaptureMethod;
  readonly setupFutureUsage?: 'on_session' | 'off_session';
  readonly statementDescriptorSuffix?: string | null;
}

export function toUpdateCommand(params: z.output<typeof PaymentIntentUpdateParams>, currency: string | undefined): PaymentIntentUpdateCommand {
  return definedOnly({
    amount: params.amount,
    currency,
    customer: params.customer,
    paymentMethod: params.payment_method,
    description: params.description,
    metadata: params.metadata,
    receiptEmail: params.receipt_email,
    captureMethod: params.capture_method,
    setupFutureUsage: params.setup_future_usage,
    statementDescriptorSuffix: params.statement_descriptor_suffix,
  });
}

export interface CaptureCommand {
  readonly amountToCapture?: number;
  readonly metadata?: MetadataPatch;
}

export interface CancelCommand {
  readonly cancellationReason: CancellationReason | null;
}

export interface PaymentIntentListCommand {
  readonly list: ListArgs;
  readonly customer?: string;
}

export function toPaymentIntentListCommand(params: z.output<typeof PaymentIntentListParams>): PaymentIntentListCommand {
  return definedOnly({ list: toListArgs(params), customer: params.customer });
}

