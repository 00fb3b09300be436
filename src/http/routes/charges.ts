/** /v1/charges — read and update (charges are created by PaymentIntents). */
import { Hono } from 'hono';
import { z } from 'zod';
import { EMAIL_LENGTH_MAX, STRING_LENGTH_MAX } from '../../domain/limits';
import { checkMoney } from './payment-intents';
import { toListArgs } from '../../stripe/list';
import { booleanParam, clearableString, expandParam, idParam, integerParam, listParams, metadataParam } from '../../stripe/params/common';
import { ExpandOnlyParams } from '../../stripe/params/payment-methods';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const charges = new Hono<AppEnv>();
const READ = ['charges', 'read'] as const;
const WRITE = ['charges', 'write'] as const;

const ChargeListParams = z.strictObject({ ...listParams, customer: idParam('customer').optional(), payment_intent: idParam('payment_intent').optional() });
const ChargeUpdateParams = z.strictObject({ description: clearableString(STRING_LENGTH_MAX).optional(), metadata: metadataParam.optional(), expand: expandParam.optional() });

const ChargeCreateParams = z.strictObject({
  amount: integerParam,
  currency: z.string().max(8),
  source: idParam('source'),
  customer: idParam('customer').optional(),
  capture: booleanParam.optional(),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  receipt_email: clearableString(EMAIL_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam.optional(),
});
const ChargeCaptureParams = z.strictObject({ amount: integerParam.optional(), expand: expandParam.optional() });

charges.post('/', async (c) => {
  const params = parseParams(ChargeCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const p = params.value;
  const currency = checkMoney(p.amount, p.currency);
  if (!currency.ok) return errorResponse(c, currency.error);
  const input = defined({ amount: p.amount, currency: currency.value, source: p.source, customer: p.customer, capture: p.capture ?? true, description: p.description, receiptEmail: p.receipt_email, metadata: p.metadata });
  return callAccount(c, WRITE, { name: 'charges.create', input });
});

charges.post('/:id/capture', async (c) => {
  const params = parseParams(ChargeCaptureParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'charges.capture', input: defined({ id: c.req.param('id'), amount: params.value.amount }) });
});

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

charges.get('/', async (c) => {
  const params = parseParams(ChargeListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { customer, payment_intent: paymentIntent } = params.value;
  const input = { list: toListArgs(params.value), ...(customer ? { customer } : {}), ...(paymentIntent ? { paymentIntent } : {}) };
  return callAccount(c, READ, { name: 'charges.list', input });
});

charges.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'charges.retrieve', input: { id: c.req.param('id') } });
});

charges.post('/:id', async (c) => {
  const params = parseParams(ChargeUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { description, metadata } = params.value;
  const input = { id: c.req.param('id'), ...(description === undefined ? {} : { description }), ...(metadata === undefined ? {} : { metadata }) };
  return callAccount(c, WRITE, { name: 'charges.update', input });
});
