/**
 * Loading, saving and rendering invoices, invoice items and invoice payments, plus the clock an
 * invoice lives on: objects of a customer attached to a test clock take their timestamps from the
 * clock's frozen time, everything else from the account clock.
 */
import { assert } from '../../src/domain/assert';
import type { TestClock } from '../../src/domain/billing/catalog';
import { invoiceNumber, type Invoice, type InvoiceItem, type InvoiceLine, type InvoicePayment } from '../../src/domain/billing/invoice';
import { toInvoiceItemJson } from '../../src/stripe/objects/invoice-item';
import { toInvoiceJson, toInvoicePaymentJson } from '../../src/stripe/objects/invoice';
import { project, type OperationContext } from '../context';
import { loadCustomer, saveCustomer } from './customers';
import { insertObject, readObject, readSetting, updateObject, type StoredObject } from '../store';

export const INVOICE = 'invoice';
export const INVOICE_ITEM = 'invoiceitem';
export const INVOICE_PAYMENT = 'invoice_payment';
export const TEST_CLOCK = 'test_clock';

function save<T extends { id: string }>(
  ctx: OperationContext,
  type: string,
  stored: StoredObject<T> | null,
  data: T,
  created: number,
  index: { customer?: string | null; parent?: string | null; status?: string | null },
  json: unknown,
  deleted = false,
): StoredObject<T> {
  const saved = stored
    ? (updateObject(ctx.sql, stored, data, index, { deleted }) as StoredObject<T>)
    : (insertObject(ctx.sql, { id: data.id, type, created, data }, index) as StoredObject<T>);
  project(ctx, saved, json, { customer: index.customer ?? null, status: index.status ?? null });
  return saved;
}

export function loadInvoice(ctx: OperationContext, id: string): StoredObject<Invoice> | null {
  const stored = readObject<Invoice>(ctx.sql, id, INVOICE);
  return stored && !stored.data.deleted ? stored : null;
}

export function saveInvoice(ctx: OperationContext, stored: StoredObject<Invoice> | null, invoice: Invoice): StoredObject<Invoice> {
  const index = { customer: invoice.customer, parent: invoice.subscription, status: invoice.status };
  return save(ctx, INVOICE, stored, invoice, invoice.created, index, toInvoiceJson(invoice), invoice.deleted);
}

export function loadInvoiceItem(ctx: OperationContext, id: string): StoredObject<InvoiceItem> | null {
  const stored = readObject<InvoiceItem>(ctx.sql, id, INVOICE_ITEM);
  return stored && !stored.data.deleted ? stored : null;
}

/** Indexed by invoice (`parent`) and by state: `pending` until it is on an invoice. */
export function saveInvoiceItem(ctx: OperationContext, stored: StoredObject<InvoiceItem> | null, item: InvoiceItem): StoredObject<InvoiceItem> {
  const index = { customer: item.customer, parent: item.invoice, status: item.invoice === null ? 'pending' : 'invoiced' };
  return save(ctx, INVOICE_ITEM, stored, item, item.date, index, toInvoiceItemJson(item), item.deleted);
}

export function loadInvoicePayment(ctx: OperationContext, id: string): StoredObject<InvoicePayment> | null {
  return readObject<InvoicePayment>(ctx.sql, id, INVOICE_PAYMENT);
}

export function saveInvoicePayment(ctx: OperationContext, stored: StoredObject<InvoicePayment> | null, payment: InvoicePayment): StoredObject<InvoicePayment> {
  const index = { parent: payment.invoice, status: payment.status };
  return save(ctx, INVOICE_PAYMENT, stored, payment, payment.created, index, toInvoicePaymentJson(payment, ctx.livemode));
}

export function loadTestClock(ctx: OperationContext, id: string): StoredObject<TestClock> | null {
  const stored = readObject<TestClock>(ctx.sql, id, TEST_CLOCK);
  return stored && !stored.data.deleted ? stored : null;
}

/** "Now" for objects on `clockId`: the clock's frozen time; the account clock when there is none. */
export function clockTime(ctx: OperationContext, clockId: string | null): number {
  if (clockId === null) return ctx.nowSeconds;
  return loadTestClock(ctx, clockId)?.data.frozenTime ?? ctx.nowSeconds;
}

/**
 * The next number in the customer's invoice sequence (`<prefix>-0001`, `<prefix>-0002`, …), kept on
 * the customer itself as `next_invoice_sequence`. Stores written before that field existed kept
 * the count in a setting: read once, as the starting point.
 */
export function nextInvoiceNumber(ctx: OperationContext, customerId: string, prefix: string): string {
  const stored = loadCustomer(ctx, customerId);
  assert(stored !== null, `invoice numbered for an unknown customer ${customerId}`);
  const sequence = stored.data.nextInvoiceSequence ?? Number(readSetting(ctx.sql, `invoice_sequence:${customerId}`) ?? '0') + 1;
  saveCustomer(ctx, stored, { ...stored.data, nextInvoiceSequence: sequence + 1 });
  return invoiceNumber(prefix, sequence);
}

/** The invoice line an invoice item becomes (same amount, quantity, price and period). */
export function lineForItem(item: InvoiceItem, lineId: string): InvoiceLine {
  return {
    id: lineId,
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    metadata: item.metadata,
    quantity: item.quantity,
    unitAmount: item.unitAmount,
    period: item.period,
    price: item.price,
    product: item.product,
    proration: item.proration,
    source: { type: 'invoice_item', invoiceItem: item.id, subscription: item.subscription },
  };
}

/** Lines with the item's line replaced (or appended, or removed when `item` is null). */
export function withItemLine(lines: readonly InvoiceLine[], itemId: string, line: InvoiceLine | null): InvoiceLine[] {
  const index = lines.findIndex((l) => l.source.type === 'invoice_item' && l.source.invoiceItem === itemId);
  if (index < 0) return line === null ? [...lines] : [...lines, line];
  const next = [...lines];
  if (line === null) next.splice(index, 1);
  else next[index] = line;
  return next;
}
