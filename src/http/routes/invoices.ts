/** /v1/invoices and /v1/invoice_payments — adapters only: validate, call the account, relay. */
import { Hono } from 'hono';
import { toListArgs } from '../../stripe/list';
import {
  InvoiceCreateParams,
  InvoiceFinalizeParams,
  InvoiceLinesParams,
  InvoiceListParams,
  InvoicePayParams,
  InvoicePaymentListParams,
  InvoiceUpdateParams,
  toInvoiceCreateCommand,
  toInvoiceFields,
  toInvoiceListCommand,
} from '../../stripe/params/invoices';
import { ExpandOnlyParams } from '../../stripe/params/payment-methods';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const invoices = new Hono<AppEnv>();
export const invoicePayments = new Hono<AppEnv>();
const READ = ['invoices', 'read'] as const;
const WRITE = ['invoices', 'write'] as const;

invoices.post('/', async (c) => {
  const params = parseParams(InvoiceCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'invoices.create', input: toInvoiceCreateCommand(params.value) });
});

invoices.get('/', async (c) => {
  const params = parseParams(InvoiceListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'invoices.list', input: toInvoiceListCommand(params.value) });
});

invoices.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'invoices.retrieve', input: { id: c.req.param('id') } });
});

invoices.post('/:id', async (c) => {
  const params = parseParams(InvoiceUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'invoices.update', input: { id: c.req.param('id'), fields: toInvoiceFields(params.value) } });
});

invoices.delete('/:id', async (c) => callAccount(c, WRITE, { name: 'invoices.delete', input: { id: c.req.param('id') } }));

invoices.get('/:id/lines', async (c) => {
  const params = parseParams(InvoiceLinesParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'invoice_lines.list', input: { id: c.req.param('id'), list: toListArgs(params.value) } });
});

invoices.post('/:id/finalize', async (c) => {
  const params = parseParams(InvoiceFinalizeParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = params.value.auto_advance === undefined ? { id: c.req.param('id') } : { id: c.req.param('id'), autoAdvance: params.value.auto_advance };
  return callAccount(c, WRITE, { name: 'invoices.finalize', input });
});

invoices.post('/:id/pay', async (c) => {
  const params = parseParams(InvoicePayParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const base = { id: c.req.param('id'), paidOutOfBand: params.value.paid_out_of_band ?? false, origin: new URL(c.req.url).origin };
  const input = params.value.payment_method === undefined ? base : { ...base, paymentMethod: params.value.payment_method };
  return callAccount(c, WRITE, { name: 'invoices.pay', input });
});

for (const [action, name] of [
  ['void', 'invoices.void'],
  ['mark_uncollectible', 'invoices.mark_uncollectible'],
  ['send', 'invoices.send'],
] as const) {
  invoices.post(`/:id/${action}`, async (c) => {
    const params = parseParams(ExpandOnlyParams, c.get('params'));
    if (!params.ok) return errorResponse(c, params.error);
    return callAccount(c, WRITE, { name, input: { id: c.req.param('id') } });
  });
}

invoicePayments.get('/', async (c) => {
  const params = parseParams(InvoicePaymentListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const p = params.value;
  const input = { list: toListArgs(p), ...(p.invoice === undefined ? {} : { invoice: p.invoice }), ...(p.status === undefined ? {} : { status: p.status }) };
  return callAccount(c, READ, { name: 'invoice_payments.list', input });
});

invoicePayments.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'invoice_payments.retrieve', input: { id: c.req.param('id') } });
});
