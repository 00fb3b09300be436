/** `GET /v1/invoices/:id/lines` (insertion order, cursor by line id) and invoice payments. */
import type { InvoicePayment } from '../../src/domain/billing/invoice';
import { invalidRequestError, resourceMissing } from '../../src/domain/errors';
import { err, ok } from '../../src/domain/result';
import { toListJson, type ListArgs } from '../../src/stripe/list';
import { invoiceLinesUrl, toInvoicePaymentJson, toLineItemJson } from '../../src/stripe/objects/invoice';
import type { Handler } from '../context';
import { INVOICE_PAYMENT, loadInvoice, loadInvoicePayment } from './invoice-store';
import { listPage } from './lists';

export const listInvoiceLines: Handler<{ id: string; list: ListArgs }> = (ctx, { id, list }) => {
  const stored = loadInvoice(ctx, id);
  if (!stored) return err(resourceMissing('invoice', id));
  const lines = stored.data.lines;
  if (list.startingAfter !== undefined && list.endingBefore !== undefined) {
    return err(invalidRequestError('You may only specify one of these parameters: starting_after, ending_before.', 'ending_before', 'parameters_exclusive'));
  }
  const cursor = list.startingAfter ?? list.endingBefore;
  const at = cursor === undefined ? -1 : lines.findIndex((line) => line.id === cursor);
  if (cursor !== undefined && at < 0) {
    const param = list.startingAfter !== undefined ? 'starting_after' : 'ending_before';
    return err(invalidRequestError(`No such line_item: '${cursor}'`, param, 'resource_missing'));
  }
  const [from, to] = list.endingBefore !== undefined ? [Math.max(0, at - list.limit), at] : [at + 1, at + 1 + list.limit];
  const page = lines.slice(from, to).map((line) => toLineItemJson(line, id, stored.data.livemode));
  const hasMore = list.endingBefore !== undefined ? from > 0 : to < lines.length;
  return ok(toListJson(invoiceLinesUrl(id), page, hasMore));
};

export const retrieveInvoicePayment: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadInvoicePayment(ctx, id);
  if (!stored) return err(resourceMissing('invoice_payment', id));
  return ok(toInvoicePaymentJson(stored.data, ctx.livemode));
};

export const listInvoicePayments: Handler<{ list: ListArgs; invoice?: string; status?: string }> = (ctx, command) =>
  listPage<InvoicePayment>(ctx, {
    type: INVOICE_PAYMENT,
    url: '/v1/invoice_payments',
    list: command.list,
    equals: { parent: command.invoice ?? null, status: command.status ?? null },
    render: (payment) => toInvoicePaymentJson(payment, ctx.livemode),
  });
