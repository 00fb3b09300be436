/** /v1/customers — adapters only: validate, call the account, relay. */
import { Hono } from 'hono';
import {
  CustomerCreateParams,
  CustomerListParams,
  CustomerRetrieveParams,
  CustomerUpdateParams,
  toCustomerListCommand,
  toCustomerWriteCommand,
} from '../../stripe/params/customers';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const customers = new Hono<AppEnv>();
const READ = ['customers', 'read'] as const;
const WRITE = ['customers', 'write'] as const;

customers.post('/', async (c) => {
  const params = parseParams(CustomerCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'customers.create', input: toCustomerWriteCommand(params.value) });
});

customers.get('/', async (c) => {
  const params = parseParams(CustomerListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'customers.list', input: toCustomerListCommand(params.value) });
});

customers.get('/:id', async (c) => {
  const params = parseParams(CustomerRetrieveParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'customers.retrieve', input: { id: c.req.param('id') } });
});

customers.post('/:id', async (c) => {
  const params = parseParams(CustomerUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = { id: c.req.param('id'), command: toCustomerWriteCommand(params.value) };
  return callAccount(c, WRITE, { name: 'customers.update', input });
});

customers.delete('/:id', async (c) => callAccount(c, WRITE, { name: 'customers.delete', input: { id: c.req.param('id') } }));
