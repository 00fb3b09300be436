/** /v1/charges — read and update (charges are created by PaymentIntents). */
import { Hono } from 'hono';
import { z } from 'zod';
import { STRING_LENGTH_MAX } from '../../domain/limits';
import { toListArgs } from '../../stripe/list';
import { clearableString, expandParam, idParam, listParams, metadataParam } from '../../stripe/params/common';
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
