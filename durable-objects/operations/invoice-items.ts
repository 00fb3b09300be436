/**
 * Invoice items: pending charges for a customer, or lines of a draft invoice. An item on a draft
 * keeps its invoice line in step (create, update, delete); once the invoice is finalized the
 * item is frozen (`invoice_not_editable`). Amounts: a plain amount, or quantity × an integer unit
 * amount (from a price, price_data or unit_amount_decimal), within AMOUNT_MINOR_MAX.
 */
import { checkInvoiceAction, checkInvoiceTotal, lineAmount, type InvoiceItem } from '../../src/domain/billing/invoice';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { INVOICE_LINES_MAX } from '../../src/domain/limits';
import { parseCurrency } from '../../src/domain/money/currency';
import { err, ok, type Result } from '../../src/domain/result';
import { toInvoiceItemJson } from '../../src/stripe/objects/invoice-item';
import { applyMetadataPatch, mergeMetadata } from '../../src/stripe/params/common';
import type { InvoiceItemCreateCommand, InvoiceItemFields, InvoiceItemListCommand, ItemPricing } from '../../src/stripe/params/invoice-items';
import { emit, type Handler, type OperationContext } from '../context';
import type { StoredObject } from '../store';
import { loadCustomer } from './customers';
import { clockTime, INVOICE_ITEM, lineForItem, loadInvoice, loadInvoiceItem, saveInvoice, saveInvoiceItem, withItemLine } from './invoice-store';
import { listPage } from './lists';
import { loadPrice } from './prices';
import { loadSubscription } from './subscription-store';

interface Priced {
  readonly currency: string | null;
  readonly unitAmount: number;
  readonly quantity: number;
  readonly price: string | null;
  readonly product: string | null;
}

function resolvePricing(ctx: OperationContext, pricing: ItemPricing, quantity: number | undefined): Result<Priced, DomainError> {
  switch (pricing.kind) {
    case 'amount':
      return ok({ currency: null, unitAmount: pricing.amount, quantity: 1, price: null, product: null });
    case 'unit':
      return ok({ currency: null, unitAmount: pricing.unitAmount, quantity: quantity ?? 1, price: null, product: null });
    case 'price_data': {
      const currency = parseCurrency(pricing.currency, 'price_data[currency]');
      if (!currency.ok) return currency;
      return ok({ currency: currency.value, unitAmount: pricing.unitAmount, quantity: quantity ?? 1, price: null, product: pricing.product });
    }
    case 'price': {
      const price = loadPrice(ctx, pricing.price);
      if (!price) return err(resourceMissing('price', pricing.price, 'pricing[price]'));
      if (price.data.type !== 'one_time') {
        return err(invalidRequestError('The price specified is set to `type=recurring` but this field only accepts prices with `type=one_time`.', 'pricing[price]'));
      }
      if (!price.data.active) return err(invalidRequestError(`The price ${price.id} is not active.`, 'pricing[price]'));
      return ok({ currency: price.data.currency, unitAmount: price.data.unitAmount, quantity: quantity ?? 1, price: price.id, product: price.data.product });
    }
  }
}

function pickCurrency(candidates: ReadonlyArray<readonly [string | null | undefined, string]>): Result<string, DomainError> {
  let chosen: { value: string; param: string } | null = null;
  for (const [text, param] of candidates) {
    if (text === undefined || text === null) continue;
    const parsed = parseCurrency(text, param);
    if (!parsed.ok) return parsed;
    if (chosen !== null && chosen.value !== parsed.value) {
      return err(invalidRequestError(`The currency ${parsed.value} (${param}) does not match ${chosen.value} (${chosen.param}).`, param, 'currency_mismatch'));
    }
    chosen ??= { value: parsed.value, param };
  }
  if (chosen === null) return err(invalidRequestError('Missing required param: currency.', 'currency', 'parameter_missing'));
  return ok(chosen.value);
}

/** Puts the item's line on its draft invoice (or takes it off when `remove`), checking bounds. */
function syncInvoiceLine(ctx: OperationContext, item: InvoiceItem, remove: boolean): Result<true, DomainError> {
  if (item.invoice === null) return ok(true);
  const stored = loadInvoice(ctx, item.invoice);
  if (!stored) return err(resourceMissing('invoice', item.invoice, 'invoice'));
  const allowed = checkInvoiceAction(stored.data, 'edit_lines');
  if (!allowed.ok) return allowed;
  const existing = stored.data.lines.find((l) => l.source.type === 'invoice_item' && l.source.invoiceItem === item.id);
  const others = withItemLine(stored.data.lines, item.id, null);
  if (!remove) {
    if (others.length >= INVOICE_LINES_MAX) return err(invalidRequestError(`An invoice can have at most ${INVOICE_LINES_MAX} line items.`, 'invoice'));
    const total = checkInvoiceTotal(others, item.amount, 'amount');
    if (!total.ok) return total;
  }
  const line = remove ? null : lineForItem(item, existing?.id ?? ctx.newId('il'));
  saveInvoice(ctx, stored, { ...stored.data, lines: withItemLine(stored.data.lines, item.id, line) });
  return ok(true);
}

export const createInvoiceItem: Handler<InvoiceItemCreateCommand> = (ctx, command) => {
  const customer = loadCustomer(ctx, command.customer);
  if (!customer || customer.data.deleted) return err(resourceMissing('customer', command.customer, 'customer'));
  const priced = resolvePricing(ctx, command.pricing!, command.quantity);
  if (!priced.ok) return priced;
  const invoice = command.invoice === undefined ? null : loadInvoice(ctx, command.invoice);
  if (command.invoice !== undefined && (!invoice || invoice.data.customer !== customer.id)) return err(resourceMissing('invoice', command.invoice, 'invoice'));
  const subscription = command.subscription === undefined ? null : loadSubscription(ctx, command.subscription);
  if (command.subscription !== undefined && (!subscription || subscription.data.customer !== customer.id)) {
    return err(resourceMissing('subscription', command.subscription, 'subscription'));
  }
  const currency = pickCurrency([
    [priced.value.currency, command.pricing!.kind === 'price' ? 'pricing[price]' : 'price_data[currency]'],
    [command.currency, 'currency'],
    [invoice?.data.currency, 'invoice'],
    [subscription?.data.currency, 'subscription'],
  ]);
  if (!currency.ok) return currency;
  const amount = lineAmount(priced.value.quantity, priced.value.unitAmount, 'amount');
  if (!amount.ok) return amount;
  const testClock = customer.data.testClock ?? null;
  const now = clockTime(ctx, testClock);
  const item: InvoiceItem = {
    id: ctx.newId('ii'),
    livemode: ctx.livemode,
    customer: customer.id,
    date: now,
    amount: amount.value,
    currency: currency.value,
    description: command.description ?? null,
    metadata: applyMetadataPatch({}, command.metadata),
    quantity: priced.value.quantity,
    unitAmount: priced.value.unitAmount,
    period: command.period ?? { start: now, end: now },
    price: priced.value.price,
    product: priced.value.product,
    proration: false,
    invoice: invoice?.id ?? null,
    subscription: subscription?.id ?? null,
    testClock,
    deleted: false,
  };
  const synced = syncInvoiceLine(ctx, item, false);
  if (!synced.ok) return synced;
  saveInvoiceItem(ctx, null, item);
  const json = toInvoiceItemJson(item);
  emit(ctx, 'invoiceitem.created', json);
  return ok(json);
};

export const retrieveInvoiceItem: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadInvoiceItem(ctx, id);
  if (!stored) return err(resourceMissing('invoiceitem', id));
  return ok(toInvoiceItemJson(stored.data));
};

function repriced(ctx: OperationContext, stored: StoredObject<InvoiceItem>, fields: InvoiceItemFields): Result<InvoiceItem, DomainError> {
  const current = stored.data;
  let priced: Priced = { currency: current.currency, unitAmount: current.unitAmount, quantity: fields.quantity ?? current.quantity, price: current.price, product: current.product };
  if (fields.pricing !== undefined) {
    const next = resolvePricing(ctx, fields.pricing, fields.quantity ?? current.quantity);
    if (!next.ok) return next;
    if (next.value.currency !== null && next.value.currency !== current.currency) {
      return err(invalidRequestError(`The currency ${next.value.currency} does not match the item's currency ${current.currency}.`, 'pricing', 'currency_mismatch'));
    }
    priced = next.value;
  }
  const amount = lineAmount(priced.quantity, priced.unitAmount, 'amount');
  if (!amount.ok) return amount;
  const metadata = mergeMetadata(current.metadata, fields.metadata);
  if (!metadata.ok) return metadata;
  return ok({
    ...current,
    amount: amount.value,
    quantity: priced.quantity,
    unitAmount: priced.unitAmount,
    price: priced.price,
    product: priced.product,
    description: fields.description === undefined ? current.description : fields.description,
    metadata: metadata.value,
    period: fields.period ?? current.period,
  });
}

export const updateInvoiceItem: Handler<{ id: string; fields: InvoiceItemFields }> = (ctx, { id, fields }) => {
  const stored = loadInvoiceItem(ctx, id);
  if (!stored) return err(resourceMissing('invoiceitem', id));
  const item = repriced(ctx, stored, fields);
  if (!item.ok) return item;
  const synced = syncInvoiceLine(ctx, item.value, false);
  if (!synced.ok) return synced;
  saveInvoiceItem(ctx, stored, item.value);
  return ok(toInvoiceItemJson(item.value));
};

export const deleteInvoiceItem: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadInvoiceItem(ctx, id);
  if (!stored) return err(resourceMissing('invoiceitem', id));
  const synced = syncInvoiceLine(ctx, stored.data, true);
  if (!synced.ok) return synced;
  const snapshot = toInvoiceItemJson(stored.data);
  const item: InvoiceItem = { ...stored.data, deleted: true };
  saveInvoiceItem(ctx, stored, item);
  emit(ctx, 'invoiceitem.deleted', snapshot);
  return ok(toInvoiceItemJson(item));
};

export const listInvoiceItems: Handler<InvoiceItemListCommand> = (ctx, command) =>
  listPage<InvoiceItem>(ctx, {
    type: INVOICE_ITEM,
    url: '/v1/invoiceitems',
    list: command.list,
    equals: {
      customer: command.customer ?? null,
      parent: command.invoice ?? null,
      status: command.pending === undefined ? null : command.pending ? 'pending' : 'invoiced',
    },
    render: toInvoiceItemJson,
  });
