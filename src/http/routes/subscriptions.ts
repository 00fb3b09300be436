/** /v1/subscriptions and /v1/test_helpers/test_clocks — adapters only. */
import { Hono } from 'hono';
import { toListArgs } from '../../stripe/list';
import { ExpandOnlyParams } from '../../stripe/params/payment-methods';
import {
  SubscriptionCancelParams,
  SubscriptionCreateParams,
  SubscriptionListParams,
  SubscriptionUpdateParams,
  TestClockAdvanceParams,
  TestClockCreateParams,
  TestClockListParams,
  toSubscriptionCreateCommand,
  toSubscriptionListCommand,
  toSubscriptionUpdateCommand,
} from '../../stripe/params/subscriptions';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const subscriptions = new Hono<AppEnv>();
export const testClocks = new Hono<AppEnv>();
const READ = ['subscriptions', 'read'] as const;
const WRITE = ['subscriptions', 'write'] as const;

subscriptions.post('/', async (c) => {
  const params = parseParams(SubscriptionCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'subscriptions.create', input: toSubscriptionCreateCommand(params.value, new URL(c.req.url).origin) });
});

subscriptions.get('/', async (c) => {
  const params = parseParams(SubscriptionListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'subscriptions.list', input: toSubscriptionListCommand(params.value) });
});

subscriptions.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'subscriptions.retrieve', input: { id: c.req.param('id') } });
});

subscriptions.post('/:id', async (c) => {
  const params = parseParams(SubscriptionUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'subscriptions.update', input: { id: c.req.param('id'), command: toSubscriptionUpdateCommand(params.value) } });
});

subscriptions.delete('/:id', async (c) => {
  const params = parseParams(SubscriptionCancelParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'subscriptions.cancel', input: { id: c.req.param('id') } });
});

const CLOCK_READ = ['test_clocks', 'read'] as const;
const CLOCK_WRITE = ['test_clocks', 'write'] as const;

testClocks.post('/', async (c) => {
  const params = parseParams(TestClockCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = params.value.name === undefined ? { frozenTime: params.value.frozen_time } : { frozenTime: params.value.frozen_time, name: params.value.name };
  return callAccount(c, CLOCK_WRITE, { name: 'test_clocks.create', input });
});

testClocks.get('/', async (c) => {
  const params = parseParams(TestClockListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, CLOCK_READ, { name: 'test_clocks.list', input: { list: toListArgs(params.value) } });
});

testClocks.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, CLOCK_READ, { name: 'test_clocks.retrieve', input: { id: c.req.param('id') } });
});

testClocks.delete('/:id', async (c) => callAccount(c, CLOCK_WRITE, { name: 'test_clocks.delete', input: { id: c.req.param('id') } }));

testClocks.post('/:id/advance', async (c) => {
  const params = parseParams(TestClockAdvanceParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, CLOCK_WRITE, { name: 'test_clocks.advance', input: { id: c.req.param('id'), frozenTime: params.value.frozen_time } });
});
