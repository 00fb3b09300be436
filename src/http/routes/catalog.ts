/** /v1/products and /v1/prices — adapters only. */
import { Hono } from 'hono';
import {
  PriceCreateParams,
  PriceListParams,
  PriceUpdateParams,
  ProductCreateParams,
  ProductListParams,
  ProductUpdateParams,
  toCatalogListCommand,
  toPriceCreateCommand,
  toPriceUpdateCommand,
  toProductCreateCommand,
  toProductUpdateCommand,
} from '../../stripe/params/catalog';
import { ExpandOnlyParams } from '../../stripe/params/payment-methods';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const products = new Hono<AppEnv>();
export const prices = new Hono<AppEnv>();

products.post('/', async (c) => {
  const params = parseParams(ProductCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const command = toProductCreateCommand(params.value);
  if (!command.ok) return errorResponse(c, command.error);
  return callAccount(c, ['products', 'write'], { name: 'products.create', input: command.value });
});

products.get('/', async (c) => {
  const params = parseParams(ProductListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, ['products', 'read'], { name: 'products.list', input: toCatalogListCommand(params.value) });
});

products.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, ['products', 'read'], { name: 'products.retrieve', input: { id: c.req.param('id') } });
});

products.post('/:id', async (c) => {
  const params = parseParams(ProductUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, ['products', 'write'], { name: 'products.update', input: { id: c.req.param('id'), command: toProductUpdateCommand(params.value) } });
});

products.delete('/:id', async (c) => callAccount(c, ['products', 'write'], { name: 'products.delete', input: { id: c.req.param('id') } }));

prices.post('/', async (c) => {
  const params = parseParams(PriceCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const command = toPriceCreateCommand(params.value);
  if (!command.ok) return errorResponse(c, command.error);
  return callAccount(c, ['prices', 'write'], { name: 'prices.create', input: command.value });
});

prices.get('/', async (c) => {
  const params = parseParams(PriceListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, ['prices', 'read'], { name: 'prices.list', input: toCatalogListCommand(params.value) });
});

prices.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, ['prices', 'read'], { name: 'prices.retrieve', input: { id: c.req.param('id') } });
});

prices.post('/:id', async (c) => {
  const params = parseParams(PriceUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, ['prices', 'write'], { name: 'prices.update', input: { id: c.req.param('id'), command: toPriceUpdateCommand(params.value) } });
});
