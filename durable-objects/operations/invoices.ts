/**
 * Invoices: create (a draft; pending items pulled in only with `pending_invoice_items_behavior=
 * include`), retrieve, update, delete (drafts), list, lines, finalize, void, mark_uncollectible,
 * send. Payment lives in invoice-pay.ts. Wrong-state actions → 400 `invoice_not_editable`.
 */
import { checkInvoiceAction, checkInvoiceTotal, type Invoice, type InvoiceItem, type InvoiceLine } from '../../src/domain/billing/invoice';
import { changedKeys } from '../../src/domain/customer/customer';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { INVOICE_LINES_MAX } from '../../src/domain/limits';
import { parseCurrency } from '../../src/domain/money/currency';
import { err, ok, type Result } from '../../src/domain/result';
import { toInvoiceJson } from '../../src/stripe/objects/invoice';
import { applyMetadataPatch, mergeMetadata } from '../../src/stripe/params/common';
import type { InvoiceCreateCommand, InvoiceFieldsCommand, InvoiceListCommand } from '../../src/stripe/params/invoices';
import { emit, type Handler, type OperationContext } from '../context';
import { listObjects } from '../store';
import { loadCustomer } from './customers';
import { cancelInvoiceIntent, finalizeDraft } from './invoice-lifecycle';
import { clockTime, INVOICE, INVOICE_ITEM, lineForItem, loadInvoice, saveInvoice, saveInvoiceItem } from './invoice-store';
import { listPage } from './lists';
import { loadPaymentMethod } from './payment-methods';

function checkDefaultPaymentMethod(ctx: OperationContext, id: string | null | undefined, customer: string): Result<true, DomainError> {
  if (id === undefined || id === null) return ok(true);
  const method = loadPaymentMethod(ctx, id);
  if (!method || method.data.customer !== customer) {
    return err(invalidRequestError(`No such PaymentMethod: '${id}'; it must exist and be attached to customer ${customer}.`, 'default_payment_method', 'resource_missing'));
  }
  return ok(true);
}

function checkCollection(fields: InvoiceFieldsCommand, current: Pick<Invoice, 'collectionMethod' | 'daysUntilDue' | 'dueDate'>): Result<true, DomainError> {
  const method = fields.collectionMethod ?? current.collectionMethod;
  const days = fields.daysUntilDue ?? current.daysUntilDue;
  const due = fields.dueDate ?? current.dueDate;
  if (method === 'charge_automatically' && (fields.daysUntilDue !== undefined || fields.dueDate !== undefined)) {
    return err(invalidRequestError('Invoices with `collection_method=charge_automatically` cannot have `days_until_due` or `due_date`.', fields.dueDate !== undefined ? 'due_date' : 'days_until_due'));
  }
  if (method === 'send_invoice' && days === null && due === null) {
    return err(invalidRequestError('Missing required param: days_until_due (or due_date) for `collection_method=send_invoice`.', 'days_until_due', 'parameter_missing'));
  }
  return ok(true);
}

/** Pending items of the customer in the invoice's currency, oldest first, up to the line limit. */
function pullPendingItems(ctx: OperationContext, invoice: Invoice): Invoice {
  const pending = listObjects<InvoiceItem>(ctx.sql, { type: INVOICE_ITEM, limit: INVOICE_LINES_MAX, equals: { customer: invoice.customer, status: 'pending' } });
  const lines: InvoiceLine[] = [];
  for (const stored of [...pending.objects].reverse()) {
    const item = stored.data;
    if (item.currency !== invoice.currency || item.subscription !== null) continue;
    if (!checkInvoiceTotal(lines, item.amount, 'amount').ok) continue;
    saveInvoiceItem(ctx, stored, { ...item, invoice: invoice.id });
    lines.push(lineForItem(item, ctx.newId('il')));
  }
  return { ...invoice, lines };
}

export const createInvoice: Handler<InvoiceCreateCommand> = (ctx, command) => {
  const customer = loadCustomer(ctx, command.customer);
  if (!customer || customer.data.deleted) return err(resourceMissing('customer', command.customer, 'customer'));
  const currency = parseCurrency(command.currency ?? customer.data.currency ?? 'usd');
  if (!currency.ok) return currency;
  const blank = { collectionMethod: 'charge_automatically' as const, daysUntilDue: null, dueDate: null };
  const collection = checkCollection(command, blank);
  if (!collection.ok) return collection;
  const method = checkDefaultPaymentMethod(ctx, command.defaultPaymentMethod, customer.id);
  if (!method.ok) return method;
  const testClock = customer.data.testClock ?? null;
  const now = clockTime(ctx, testClock);
  let invoice: Invoice = {
    id: ctx.newId('in'),
    created: now,
    livemode: ctx.livemode,
    customer: customer.id,
    customerEmail: customer.data.email,
    customerName: customer.data.name,
    currency: currency.value,
    status: 'draft',
    autoAdvance: command.autoAdvance ?? false,
    billingReason: 'manual',
    collectionMethod: command.collectionMethod ?? 'charge_automatically',
    daysUntilDue: command.daysUntilDue ?? null,
    dueDate: command.dueDate ?? null,
    description: command.description ?? null,
    metadata: applyMetadataPatch({}, command.metadata),
    number: null,
    defaultPaymentMethod: command.defaultPaymentMethod ?? null,
    lines: [],
    periodStart: now,
    periodEnd: now,
    amountPaid: 0,
    attemptCount: 0,
    attempted: false,
    nextPaymentAttempt: null,
    paidOutOfBand: false,
    statusTransitions: { finalizedAt: null, markedUncollectibleAt: null, paidAt: null, voidedAt: null },
    effectiveAt: null,
    paymentIntent: null,
    subscription: null,
    testClock,
    deleted: false,
  };
  if (command.includePending) invoice = pullPendingItems(ctx, invoice);
  saveInvoice(ctx, null, invoice);
  const json = toInvoiceJson(invoice);
  emit(ctx, 'invoice.created', json);
  return ok(json);
};

export const retrieveInvoice: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadInvoice(ctx, id);
  if (!stored) return err(resourceMissing('invoice', id));
  return ok(toInvoiceJson(stored.data));
};

/** Drafts take every field; open/uncollectible keep their collection terms; paid and void only metadata. */
function checkEditable(invoice: Invoice, fields: InvoiceFieldsCommand): Result<true, DomainError> {
  const onlyMetadata = Object.keys(fields).every((k) => k === 'metadata');
  if (invoice.status === 'draft' || onlyMetadata) return ok(true);
  const allowed = checkInvoiceAction(invoice, 'update');
  if (!allowed.ok) return allowed;
  if (fields.collectionMethod !== undefined || fields.daysUntilDue !== undefined || fields.dueDate !== undefined) {
    return err(invalidRequestError(`You can only update the collection terms of a draft invoice; this invoice is ${invoice.status}.`, null, 'invoice_not_editable'));
  }
  return ok(true);
}

export const updateInvoice: Handler<{ id: string; fields: InvoiceFieldsCommand }> = (ctx, { id, fields }) => {
  const stored = loadInvoice(ctx, id);
  if (!stored) return err(resourceMissing('invoice', id));
  const current = stored.data;
  const editable = checkEditable(current, fields);
  if (!editable.ok) return editable;
  const collection = checkCollection(fields, current);
  if (!collection.ok) return collection;
  const method = checkDefaultPaymentMethod(ctx, fields.defaultPaymentMethod, current.customer);
  if (!method.ok) return method;
  const metadata = mergeMetadata(current.metadata, fields.metadata);
  if (!metadata.ok) return metadata;
  const keep = <T>(next: T | undefined, now: T): T => (next === undefined ? now : next);
  const invoice: Invoice = {
    ...current,
    metadata: metadata.value,
    autoAdvance: fields.autoAdvance ?? current.autoAdvance,
    collectionMethod: fields.collectionMethod ?? current.collectionMethod,
    daysUntilDue: keep(fields.daysUntilDue, current.daysUntilDue),
    dueDate: keep(fields.dueDate, current.dueDate),
    defaultPaymentMethod: keep(fields.defaultPaymentMethod, current.defaultPaymentMethod),
    description: keep(fields.description, current.description),
  };
  saveInvoice(ctx, stored, invoice);
  const json = toInvoiceJson(invoice);
  const previous = changedKeys(toInvoiceJson(current) as Record<string, unknown>, json as Record<string, unknown>);
  if (Object.keys(previous).length > 0) emit(ctx, 'invoice.updated', json, previous);
  return ok(json);
};

/** Deletes a draft; the items on it are deleted with it. */
export const deleteInvoice: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadInvoice(ctx, id);
  if (!stored) return err(resourceMissing('invoice', id));
  const allowed = checkInvoiceAction(stored.data, 'delete');
  if (!allowed.ok) return allowed;
  const snapshot = toInvoiceJson(stored.data);
  for (const item of listObjects<InvoiceItem>(ctx.sql, { type: INVOICE_ITEM, limit: INVOICE_LINES_MAX, equals: { parent: id } }).objects) {
    saveInvoiceItem(ctx, item, { ...item.data, deleted: true });
  }
  const invoice: Invoice = { ...stored.data, deleted: true };
  saveInvoice(ctx, stored, invoice);
  emit(ctx, 'invoice.deleted', snapshot);
  return ok(toInvoiceJson(invoice));
};

export const listInvoices: Handler<InvoiceListCommand> = (ctx, command) =>
  listPage<Invoice>(ctx, {
    type: INVOICE,
    url: '/v1/invoices',
    list: command.list,
    equals: { customer: command.customer ?? null, status: command.status ?? null, parent: command.subscription ?? null },
    render: toInvoiceJson,
  });

export const finalizeInvoice: Handler<{ id: string; autoAdvance?: boolean }> = (ctx, { id, autoAdvance }) => {
  const stored = loadInvoice(ctx, id);
  if (!stored) return err(resourceMissing('invoice', id));
  const allowed = checkInvoiceAction(stored.data, 'finalize');
  if (!allowed.ok) return allowed;
  return ok(toInvoiceJson(finalizeDraft(ctx, stored, autoAdvance).data));
};

export const voidInvoice: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadInvoice(ctx, id);
  if (!stored) return err(resourceMissing('invoice', id));
  const allowed = checkInvoiceAction(stored.data, 'void');
  if (!allowed.ok) return allowed;
  const canceled = cancelInvoiceIntent(ctx, stored.data, 'void_invoice');
  if (!canceled.ok) return canceled;
  const now = clockTime(ctx, stored.data.testClock);
  const invoice: Invoice = { ...stored.data, status: 'void', nextPaymentAttempt: null, statusTransitions: { ...stored.data.statusTransitions, voidedAt: now } };
  saveInvoice(ctx, stored, invoice);
  const json = toInvoiceJson(invoice);
  emit(ctx, 'invoice.voided', json);
  return ok(json);
};

export const markInvoiceUncollectible: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadInvoice(ctx, id);
  if (!stored) return err(resourceMissing('invoice', id));
  const allowed = checkInvoiceAction(stored.data, 'mark_uncollectible');
  if (!allowed.ok) return allowed;
  const now = clockTime(ctx, stored.data.testClock);
  const invoice: Invoice = { ...stored.data, status: 'uncollectible', statusTransitions: { ...stored.data.statusTransitions, markedUncollectibleAt: now } };
  saveInvoice(ctx, stored, invoice);
  const json = toInvoiceJson(invoice);
  emit(ctx, 'invoice.marked_uncollectible', json);
  return ok(json);
};

/** `send`: send_invoice invoices only (a draft is finalized first); test mode sends no email. */
export const sendInvoice: Handler<{ id: string }> = (ctx, { id }) => {
  let stored = loadInvoice(ctx, id);
  if (!stored) return err(resourceMissing('invoice', id));
  if (stored.data.collectionMethod !== 'send_invoice') {
    return err(invalidRequestError('You can only manually send an invoice if its collection method is `send_invoice`.', null, 'invoice_not_editable'));
  }
  const allowed = checkInvoiceAction(stored.data, 'send');
  if (!allowed.ok) return allowed;
  if (stored.data.status === 'draft') stored = finalizeDraft(ctx, stored);
  const json = toInvoiceJson(stored.data);
  emit(ctx, 'invoice.sent', json);
  return ok(json);
};
