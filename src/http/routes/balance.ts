/** /v1/balance and /v1/balance_transactions — read-only views of the ledger. */
import { Hono } from 'hono';
import { z } from 'zod';
import { toListArgs } from '../../stripe/list';
import { expandParam, idParam, listParams } from '../../stripe/params/common';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const balance = new Hono<AppEnv>();
export const balanceTransactions = new Hono<AppEnv>();
const READ = ['balance', 'read'] as const;

const ExpandOnly = z.strictObject({ expand: expandParam.optional() });
const ListParams = z.strictObject({
  ...listParams,
  type: z.string().max(40).optional(),
  source: idParam('source').optional(),
});

balance.get('/', async (c) => {
  const params = parseParams(ExpandOnly, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'balance.retrieve', input: {} });
});

balanceTransactions.get('/', async (c) => {
  const params = parseParams(ListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { type, source } = params.value;
  const input = { list: toListArgs(params.value), ...(type ? { type } : {}), ...(source ? { source } : {}) };
  return callAccount(c, READ, { name: 'balance_transactions.list', input });
});

balanceTransactions.get('/:id', async (c) => {
  const params = parseParams(ExpandOnly, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'balance_transactions.retrieve', input: { id: c.req.param('id') } });
});
