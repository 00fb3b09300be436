/** /v1/invoiceitems (no underscore, as Stripe spells it) — adapters only. */
import { Hono } from 'hono';
import {
  InvoiceItemCreateParams,
  InvoiceItemListParams,
  InvoiceItemUpdateParams,
  toInvoiceItemCreateCommand,
  toInvoiceItemFields,
  toInvoiceItemListCommand,
} from '../../stripe/params/invoice-items';
import { ExpandOnlyParams } from '../../stripe/params/payment-methods';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const invoiceItems = new Hono<AppEnv>();
const READ = ['invoiceitems', 'read'] as const;
const WRITE = ['invoiceitems', 'write'] as const;

invoiceItems.post('/', async (c) => {
  const params = parseParams(InvoiceItemCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const command = toInvoiceItemCreateCommand(params.value);
  if (!command.ok) return errorResponse(c, command.error);
  return callAccount(c, WRITE, { name: 'invoiceitems.create', input: command.value });
});

invoiceItems.get('/', async (c) => {
  const params = parseParams(InvoiceItemListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'invoiceitems.list', input: toInvoiceItemListCommand(params.value) });
});

invoiceItems.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'invoiceitems.retrieve', input: { id: c.req.param('id') } });
});

invoiceItems.post('/:id', async (c) => {
  const params = parseParams(InvoiceItemUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const fields = toInvoiceItemFields(params.value);
  if (!fields.ok) return errorResponse(c, fields.error);
  return callAccount(c, WRITE, { name: 'invoiceitems.update', input: { id: c.req.param('id'), fields: fields.value } });
});

invoiceItems.delete('/:id', async (c) => callAccount(c, WRITE, { name: 'invoiceitems.delete', input: { id: c.req.param('id') } }));
