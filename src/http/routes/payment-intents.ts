/** /v1/payment_intents — adapters only. Amount and currency are checked before execution. */
import { Hono } from 'hono';
import { checkChargeAmount } from '../../domain/money/amount';
import { parseCurrency } from '../../domain/money/currency';
import { fromDomainError, type WireError } from '../../stripe/errors';
import {
  PaymentIntentCancelParams,
  PaymentIntentCaptureParams,
  PaymentIntentConfirmParams,
  PaymentIntentCreateParams,
  PaymentIntentListParams,
  PaymentIntentUpdateParams,
  toConfirmOptions,
  toCreateCommand,
  toPaymentIntentListCommand,
  toUpdateCommand,
} from '../../stripe/params/payment-intents';
import { ExpandOnlyParams } from '../../stripe/params/payment-methods';
import { parseParams } from '../../stripe/validate';
import { err, ok, type Result } from '../../domain/result';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';
import { clientConfirm, clientRetrieve, isPublishable } from './payment-intents-client';

export const paymentIntents = new Hono<AppEnv>();
const READ = ['payment_intents', 'read'] as const;
const WRITE = ['payment_intents', 'write'] as const;

/** A valid currency and, when given, an amount within its bounds. */
export function checkMoney(amount: number | undefined, currencyText: string): Result<string, WireError> {
  const currency = parseCurrency(currencyText);
  if (!currency.ok) return err(fromDomainError(currency.error));
  if (amount !== undefined) {
    const checked = checkChargeAmount(amount, currency.value);
    if (!checked.ok) return err(fromDomainError(checked.error));
  }
  return ok(currency.value);
}

function origin(url: string): string {
  return new URL(url).origin;
}

paymentIntents.post('/', async (c) => {
  const params = parseParams(PaymentIntentCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const currency = checkMoney(params.value.amount, params.value.currency);
  if (!currency.ok) return errorResponse(c, currency.error);
  return callAccount(c, WRITE, { name: 'payment_intents.create', input: toCreateCommand(params.value, currency.value, origin(c.req.url)) });
});

paymentIntents.get('/', async (c) => {
  const params = parseParams(PaymentIntentListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'payment_intents.list', input: toPaymentIntentListCommand(params.value) });
});

paymentIntents.get('/:id', async (c) => {
  if (isPublishable(c)) return clientRetrieve(c);
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'payment_intents.retrieve', input: { id: c.req.param('id') } });
});

paymentIntents.post('/:id', async (c) => {
  const params = parseParams(PaymentIntentUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  let currency: string | undefined;
  if (params.value.currency !== undefined) {
    const checked = checkMoney(params.value.amount, params.value.currency);
    if (!checked.ok) return errorResponse(c, checked.error);
    currency = checked.value;
  }
  return callAccount(c, WRITE, { name: 'payment_intents.update', input: { id: c.req.param('id'), command: toUpdateCommand(params.value, currency) } });
});

paymentIntents.post('/:id/confirm', async (c) => {
  if (isPublishable(c)) return clientConfirm(c);
  const params = parseParams(PaymentIntentConfirmParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = { id: c.req.param('id'), options: toConfirmOptions(params.value), origin: origin(c.req.url) };
  return callAccount(c, WRITE, { name: 'payment_intents.confirm', input });
});

paymentIntents.post('/:id/capture', async (c) => {
  const params = parseParams(PaymentIntentCaptureParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { amount_to_capture: amountToCapture, metadata } = params.value;
  const input = { id: c.req.param('id'), ...(amountToCapture === undefined ? {} : { amountToCapture }), ...(metadata === undefined ? {} : { metadata }) };
  return callAccount(c, WRITE, { name: 'payment_intents.capture', input });
});

paymentIntents.post('/:id/cancel', async (c) => {
  const params = parseParams(PaymentIntentCancelParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = { id: c.req.param('id'), cancellationReason: params.value.cancellation_reason ?? null };
  return callAccount(c, WRITE, { name: 'payment_intents.cancel', input });
});
