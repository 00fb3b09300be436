/** /v1/events — read-only; filters `type` (`charge.*` wildcards), `types[]` (≤ 20), `created`. */
import { Hono } from 'hono';
import { toListArgs } from '../../stripe/list';
import { EventListParams } from '../../stripe/params/webhook-endpoints';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const events = new Hono<AppEnv>();
const READ = ['events', 'read'] as const;

events.get('/', async (c) => {
  const params = parseParams(EventListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const types = params.value.types ?? (params.value.type ? [params.value.type] : undefined);
  const list = toListArgs(params.value);
  return callAccount(c, READ, { name: 'events.list', input: types ? { list, types } : { list } });
});

events.get('/:id', async (c) => callAccount(c, READ, { name: 'events.retrieve', input: { id: c.req.param('id') } }));
