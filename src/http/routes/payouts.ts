/** /v1/payouts — adapters only. The currency is checked here, before execution (not stored under an idempotency key). */
import { Hono } from 'hono';
import { z } from 'zod';
import { PAYOUT_STATEMENT_DESCRIPTOR_LENGTH_MAX, STRING_LENGTH_MAX } from '../../domain/limits';
import { parseCurrency } from '../../domain/money/currency';
import { fromDomainError } from '../../stripe/errors';
import { toListArgs } from '../../stripe/list';
import { clearableString, enumParam, expandParam, idParam, integerParam, listParams, metadataParam } from '../../stripe/params/common';
import { ExpandOnlyParams } from '../../stripe/params/payment-methods';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const payouts = new Hono<AppEnv>();
const READ = ['payouts', 'read'] as const;
const WRITE = ['payouts', 'write'] as const;

const PayoutCreateParams = z.strictObject({
  amount: integerParam,
  currency: z.string().max(8),
  description: clearableString(STRING_LENGTH_MAX).optional(),
  destination: idParam('destination').optional(),
  method: enumParam(['standard', 'instant']).optional(),
  source_type: enumParam(['card', 'bank_account', 'fpx']).optional(),
  statement_descriptor: clearableString(PAYOUT_STATEMENT_DESCRIPTOR_LENGTH_MAX).optional(),
  metadata: metadataParam.optional(),
  expand: expandParam.optional(),
});
const PayoutUpdateParams = z.strictObject({ metadata: metadataParam.optional(), expand: expandParam.optional() });
const PayoutListParams = z.strictObject({
  ...listParams,
  status: enumParam(['pending', 'in_transit', 'paid', 'failed', 'canceled']).optional(),
  destination: idParam('destination').optional(),
});

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

payouts.post('/', async (c) => {
  const params = parseParams(PayoutCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const p = params.value;
  const currency = parseCurrency(p.currency);
  if (!currency.ok) return errorResponse(c, fromDomainError(currency.error));
  const input = defined({
    amount: p.amount,
    currency: currency.value,
    description: p.description,
    destination: p.destination,
    method: p.method,
    sourceType: p.source_type,
    statementDescriptor: p.statement_descriptor,
    metadata: p.metadata,
  });
  return callAccount(c, WRITE, { name: 'payouts.create', input });
});

payouts.get('/', async (c) => {
  const params = parseParams(PayoutListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = defined({ list: toListArgs(params.value), status: params.value.status, destination: params.value.destination });
  return callAccount(c, READ, { name: 'payouts.list', input });
});

payouts.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'payouts.retrieve', input: { id: c.req.param('id') } });
});

payouts.post('/:id', async (c) => {
  const params = parseParams(PayoutUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'payouts.update', input: defined({ id: c.req.param('id'), metadata: params.value.metadata }) });
});

payouts.post('/:id/cancel', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'payouts.cancel', input: { id: c.req.param('id') } });
});

payouts.post('/:id/reverse', async (c) => {
  const params = parseParams(PayoutUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'payouts.reverse', input: { id: c.req.param('id') } });
});
