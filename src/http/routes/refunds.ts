/** /v1/refunds — adapters only. */
import { Hono } from 'hono';
import { z } from 'zod';
import { toListArgs } from '../../stripe/list';
import { enumParam, expandParam, idParam, integerParam, listParams, metadataParam } from '../../stripe/params/common';
import { ExpandOnlyParams } from '../../stripe/params/payment-methods';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const refunds = new Hono<AppEnv>();
const READ = ['refunds', 'read'] as const;
const WRITE = ['refunds', 'write'] as const;

const RefundCreateParams = z.strictObject({
  charge: idParam('charge').optional(),
  payment_intent: idParam('payment_intent').optional(),
  amount: integerParam.optional(),
  reason: enumParam(['duplicate', 'fraudulent', 'requested_by_customer']).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam.optional(),
});
const RefundUpdateParams = z.strictObject({ metadata: metadataParam.optional(), expand: expandParam.optional() });
const RefundListParams = z.strictObject({ ...listParams, charge: idParam('charge').optional(), payment_intent: idParam('payment_intent').optional() });

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

refunds.post('/', async (c) => {
  const params = parseParams(RefundCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const p = params.value;
  const input = defined({ charge: p.charge, paymentIntent: p.payment_intent, amount: p.amount, reason: p.reason, metadata: p.metadata });
  return callAccount(c, WRITE, { name: 'refunds.create', input });
});

refunds.get('/', async (c) => {
  const params = parseParams(RefundListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = defined({ list: toListArgs(params.value), charge: params.value.charge, paymentIntent: params.value.payment_intent });
  return callAccount(c, READ, { name: 'refunds.list', input });
});

refunds.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'refunds.retrieve', input: { id: c.req.param('id') } });
});

refunds.post('/:id/cancel', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'refunds.cancel', input: { id: c.req.param('id') } });
});

refunds.post('/:id', async (c) => {
  const params = parseParams(RefundUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'refunds.update', input: defined({ id: c.req.param('id'), metadata: params.value.metadata }) });
});
