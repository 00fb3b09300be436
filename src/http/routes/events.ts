/** /v1/events — read-only. */
import { Hono } from 'hono';
import { z } from 'zod';
import { listParams } from '../../stripe/params/common';
import { toListArgs } from '../../stripe/list';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const events = new Hono<AppEnv>();
const READ = ['events', 'read'] as const;

const EventListParams = z.strictObject({ ...listParams, type: z.string().max(100).optional() });

events.get('/', async (c) => {
  const params = parseParams(EventListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const list = toListArgs(params.value);
  return callAccount(c, READ, { name: 'events.list', input: params.value.type ? { list, type: params.value.type } : { list } });
});

events.get('/:id', async (c) => callAccount(c, READ, { name: 'events.retrieve', input: { id: c.req.param('id') } }));
