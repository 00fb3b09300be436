/** Prices: one-time or recurring, integer unit amounts; archived (active=false), never deleted. */
import { checkRecurrence, type Price } from '../../src/domain/billing/catalog';
import { changedKeys } from '../../src/domain/customer/customer';
import { resourceMissing, type DomainError } from '../../src/domain/errors';
import { AMOUNT_MINOR_MAX } from '../../src/domain/limits';
import { parseCurrency } from '../../src/domain/money/currency';
import { err, ok, type Result } from '../../src/domain/result';
import { toPriceJson } from '../../src/stripe/objects/catalog';
import type { CatalogListCommand, PriceCreateCommand, PriceTerms, PriceUpdateCommand } from '../../src/stripe/params/catalog';
import { applyMetadataPatch, mergeMetadata, type MetadataPatch } from '../../src/stripe/params/common';
import { emit, project, type Handler, type OperationContext } from '../context';
import { insertObject, readObject, updateObject, type StoredObject } from '../store';
import { listPage } from './lists';
import { createProductRecord, loadProduct } from './products';

export const PRICE = 'price';

export function loadPrice(ctx: OperationContext, id: string): StoredObject<Price> | null {
  return readObject<Price>(ctx.sql, id, PRICE);
}

function savePrice(ctx: OperationContext, stored: StoredObject<Price> | null, price: Price): StoredObject<Price> {
  const index = { parent: price.product, status: price.active ? 'active' : 'inactive' };
  const saved = stored
    ? (updateObject(ctx.sql, stored, price, index) as StoredObject<Price>)
    : (insertObject(ctx.sql, { id: price.id, type: PRICE, created: price.created, data: price }, index) as StoredObject<Price>);
  project(ctx, saved, toPriceJson(price), { status: index.status });
  return saved;
}

export interface PriceExtras {
  readonly active: boolean;
  readonly nickname?: string | null;
  readonly lookupKey?: string | null;
  readonly metadata?: MetadataPatch;
}

/** Validates the terms (currency, amount bound, recurrence) and stores a new price of `productId`. */
export function createPriceRecord(ctx: OperationContext, productId: string, terms: PriceTerms, extras: PriceExtras, param = ''): Result<Price, DomainError> {
  const name = (field: string) => (param === '' ? field : `${param}[${field}]`);
  const currency = parseCurrency(terms.currency, name('currency'));
  if (!currency.ok) return currency;
  if (terms.unitAmount > AMOUNT_MINOR_MAX) {
    return err({ reason: 'amount_too_large', param: name('unit_amount'), message: `The unit amount must be at most ${AMOUNT_MINOR_MAX}.` });
  }
  if (terms.recurring !== null) {
    const recurrence = checkRecurrence(terms.recurring, name('recurring[interval_count]'));
    if (!recurrence.ok) return recurrence;
  }
  const price: Price = {
    id: ctx.newId('price'),
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    product: productId,
    active: extras.active,
    currency: currency.value,
    unitAmount: terms.unitAmount,
    type: terms.recurring === null ? 'one_time' : 'recurring',
    recurring: terms.recurring,
    nickname: extras.nickname ?? null,
    lookupKey: extras.lookupKey ?? null,
    metadata: applyMetadataPatch({}, extras.metadata),
    taxBehavior: terms.taxBehavior,
  };
  savePrice(ctx, null, price);
  emit(ctx, 'price.created', toPriceJson(price));
  return ok(price);
}

export const createPrice: Handler<PriceCreateCommand> = (ctx, command) => {
  let productId: string;
  if ('id' in command.product) {
    const product = loadProduct(ctx, command.product.id);
    if (!product || product.data.deleted) return err(resourceMissing('product', command.product.id, 'product'));
    productId = product.id;
  } else {
    const product = createProductRecord(ctx, { name: command.product.name, active: command.product.active, ...(command.product.metadata === undefined ? {} : { metadata: command.product.metadata }) });
    productId = product.id;
  }
  const price = createPriceRecord(ctx, productId, command, command);
  if (!price.ok) return price;
  return ok(toPriceJson(price.value));
};

export const retrievePrice: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadPrice(ctx, id);
  if (!stored) return err(resourceMissing('price', id));
  return ok(toPriceJson(stored.data));
};

export const updatePrice: Handler<{ id: string; command: PriceUpdateCommand }> = (ctx, { id, command }) => {
  const stored = loadPrice(ctx, id);
  if (!stored) return err(resourceMissing('price', id));
  const metadata = mergeMetadata(stored.data.metadata, command.metadata);
  if (!metadata.ok) return metadata;
  const price: Price = {
    ...stored.data,
    metadata: metadata.value,
    active: command.active ?? stored.data.active,
    nickname: command.nickname === undefined ? stored.data.nickname : command.nickname,
    lookupKey: command.lookupKey === undefined ? stored.data.lookupKey : command.lookupKey,
    taxBehavior: command.taxBehavior ?? stored.data.taxBehavior,
  };
  const before = toPriceJson(stored.data);
  savePrice(ctx, stored, price);
  const json = toPriceJson(price);
  const previous = changedKeys(before, json);
  if (Object.keys(previous).length > 0) emit(ctx, 'price.updated', json, previous);
  return ok(json);
};

export const listPrices: Handler<CatalogListCommand> = (ctx, command) =>
  listPage<Price>(ctx, {
    type: PRICE,
    url: '/v1/prices',
    list: command.list,
    equals: { parent: command.product ?? null, status: command.active === undefined ? null : command.active ? 'active' : 'inactive' },
    render: toPriceJson,
  });
