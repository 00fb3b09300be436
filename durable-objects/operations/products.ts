/** Products: create (optionally with a default price), retrieve, update, delete (only without prices), list. */
import type { Product } from '../../src/domain/billing/catalog';
import { changedKeys } from '../../src/domain/customer/customer';
import { invalidRequestError, resourceMissing } from '../../src/domain/errors';
import { err, ok } from '../../src/domain/result';
import { toProductJson } from '../../src/stripe/objects/catalog';
import type { CatalogListCommand, ProductCreateCommand, ProductFieldsCommand, ProductUpdateCommand } from '../../src/stripe/params/catalog';
import { applyMetadataPatch, mergeMetadata } from '../../src/stripe/params/common';
import { emit, project, type Handler, type OperationContext } from '../context';
import { insertObject, listObjects, readObject, updateObject, type StoredObject } from '../store';
import { listPage } from './lists';
import { createPriceRecord, loadPrice, PRICE } from './prices';

const PRODUCT = 'product';

export function loadProduct(ctx: OperationContext, id: string): StoredObject<Product> | null {
  return readObject<Product>(ctx.sql, id, PRODUCT);
}

function saveProduct(ctx: OperationContext, stored: StoredObject<Product> | null, product: Product): StoredObject<Product> {
  const index = { status: product.active ? 'active' : 'inactive' };
  const saved = stored
    ? (updateObject(ctx.sql, stored, product, index, { deleted: product.deleted }) as StoredObject<Product>)
    : (insertObject(ctx.sql, { id: product.id, type: PRODUCT, created: product.created, data: product }, index) as StoredObject<Product>);
  project(ctx, saved, toProductJson(product), index);
  return saved;
}

export function createProductRecord(ctx: OperationContext, fields: ProductFieldsCommand & { name: string }): Product {
  const product: Product = {
    id: ctx.newId('prod'),
    created: ctx.nowSeconds,
    updated: ctx.nowSeconds,
    livemode: ctx.livemode,
    name: fields.name,
    active: fields.active ?? true,
    description: fields.description ?? null,
    metadata: applyMetadataPatch({}, fields.metadata),
    defaultPrice: null,
    unitLabel: fields.unitLabel ?? null,
    url: fields.url ?? null,
    statementDescriptor: fields.statementDescriptor ?? null,
    deleted: false,
  };
  saveProduct(ctx, null, product);
  emit(ctx, 'product.created', toProductJson(product));
  return product;
}

export const createProduct: Handler<ProductCreateCommand> = (ctx, command) => {
  const product = createProductRecord(ctx, command);
  if (command.defaultPrice === undefined) return ok(toProductJson(product));
  const price = createPriceRecord(ctx, product.id, command.defaultPrice, { active: true }, 'default_price_data');
  if (!price.ok) return price;
  const stored = loadProduct(ctx, product.id)!;
  const withPrice: Product = { ...product, defaultPrice: price.value.id };
  saveProduct(ctx, stored, withPrice);
  return ok(toProductJson(withPrice));
};

export const retrieveProduct: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadProduct(ctx, id);
  if (!stored) return err(resourceMissing('product', id));
  return ok(toProductJson(stored.data));
};

export const updateProduct: Handler<{ id: string; command: ProductUpdateCommand }> = (ctx, { id, command }) => {
  const stored = loadProduct(ctx, id);
  if (!stored || stored.data.deleted) return err(resourceMissing('product', id));
  if (command.defaultPrice !== undefined && command.defaultPrice !== null) {
    const price = loadPrice(ctx, command.defaultPrice);
    if (!price || price.data.product !== id) return err(resourceMissing('price', command.defaultPrice, 'default_price'));
  }
  const metadata = mergeMetadata(stored.data.metadata, command.metadata);
  if (!metadata.ok) return metadata;
  const current = stored.data;
  const keep = <T>(next: T | undefined, now: T): T => (next === undefined ? now : next);
  const product: Product = {
    ...current,
    updated: ctx.nowSeconds,
    metadata: metadata.value,
    name: command.name ?? current.name,
    active: command.active ?? current.active,
    description: keep(command.description, current.description),
    statementDescriptor: keep(command.statementDescriptor, current.statementDescriptor),
    unitLabel: keep(command.unitLabel, current.unitLabel),
    url: keep(command.url, current.url),
    defaultPrice: keep(command.defaultPrice, current.defaultPrice),
  };
  const before = toProductJson(current);
  saveProduct(ctx, stored, product);
  const json = toProductJson(product);
  const previous = changedKeys(before, json);
  delete previous['updated'];
  if (Object.keys(previous).length > 0) emit(ctx, 'product.updated', json, previous);
  return ok(json);
};

export const deleteProduct: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadProduct(ctx, id);
  if (!stored || stored.data.deleted) return err(resourceMissing('product', id));
  if (listObjects(ctx.sql, { type: PRICE, limit: 1, equals: { parent: id } }).objects.length > 0) {
    return err(invalidRequestError('This product cannot be deleted because it has one or more user-created prices.'));
  }
  const snapshot = toProductJson(stored.data);
  const product: Product = { ...stored.data, deleted: true };
  saveProduct(ctx, stored, product);
  emit(ctx, 'product.deleted', snapshot);
  return ok(toProductJson(product));
};

export const listProducts: Handler<CatalogListCommand> = (ctx, command) =>
  listPage<Product>(ctx, {
    type: PRODUCT,
    url: '/v1/products',
    list: command.list,
    equals: { status: command.active === undefined ? null : command.active ? 'active' : 'inactive' },
    render: toProductJson,
  });
