/** Customer operations: load → decide → commit, all synchronous inside the caller's transaction. */
import { applyCustomerFields, changedKeys, type Customer } from '../../src/domain/customer/customer';
import { resourceMissing } from '../../src/domain/errors';
import { ok } from '../../src/domain/result';
import { toCustomerJson } from '../../src/stripe/objects/customer';
import { applyMetadataPatch, mergeMetadata } from '../../src/stripe/params/common';
import type { CustomerListCommand, CustomerWriteCommand } from '../../src/stripe/params/customers';
import { emit, project, type Handler, type OperationContext } from '../context';
import { insertObject, readObject, updateObject, type StoredObject } from '../store';
import { checkCustomerBilling } from './customer-billing';
import { listPage } from './lists';

const TYPE = 'customer';

function indexOf(customer: Customer) {
  return { email: customer.email, parent: customer.testClock ?? null };
}

function invoicePrefix(id: string): string {
  return id.slice(4, 12).toUpperCase();
}

/**
 * Every change to a customer goes through here: the row with its whole index (email, test clock
 * — a partial index would drop the clock and the clock's customer count with it) and the D1 copy.
 * Returns the customer's wire JSON.
 */
export function saveCustomer(ctx: OperationContext, stored: StoredObject<Customer>, customer: Customer, options: { deleted?: boolean } = {}) {
  const saved = updateObject(ctx.sql, stored, customer, indexOf(customer), options);
  const json = toCustomerJson(customer);
  project(ctx, saved, json);
  return json;
}

export function loadCustomer(ctx: OperationContext, id: string): StoredObject<Customer> | null {
  return readObject<Customer>(ctx.sql, id, TYPE);
}

export const createCustomer: Handler<CustomerWriteCommand> = (ctx, command) => {
  const id = ctx.newId('cus');
  const blank: Customer = {
    id,
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    email: null,
    name: null,
    description: null,
    phone: null,
    address: null,
    metadata: {},
    preferredLocales: [],
    invoicePrefix: invoicePrefix(id),
    defaultPaymentMethod: null,
    balance: 0,
    currency: null,
    deleted: false,
  };
  const billing = checkCustomerBilling(ctx, id, command);
  if (!billing.ok) return billing;
  const customer = { ...applyCustomerFields(blank, command.fields, applyMetadataPatch({}, command.metadata)), testClock: billing.value.testClock };
  const stored = insertObject(ctx.sql, { id, type: TYPE, created: customer.created, data: customer }, indexOf(customer));
  const json = toCustomerJson(customer);
  project(ctx, stored, json);
  emit(ctx, 'customer.created', json);
  return ok(json);
};

export const retrieveCustomer: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadCustomer(ctx, id);
  if (!stored) return { ok: false, error: resourceMissing('customer', id) };
  return ok(toCustomerJson(stored.data));
};

export const updateCustomer: Handler<{ id: string; command: CustomerWriteCommand }> = (ctx, { id, command }) => {
  const stored = loadCustomer(ctx, id);
  if (!stored || stored.data.deleted) return { ok: false, error: resourceMissing('customer', id) };
  const before = toCustomerJson(stored.data);
  const metadata = mergeMetadata(stored.data.metadata, command.metadata);
  if (!metadata.ok) return metadata;
  const billing = checkCustomerBilling(ctx, id, { fields: command.fields });
  if (!billing.ok) return billing;
  const customer = applyCustomerFields(stored.data, command.fields, metadata.value);
  const json = saveCustomer(ctx, stored, customer);
  const previous = changedKeys(before, json);
  if (Object.keys(previous).length > 0) emit(ctx, 'customer.updated', json, previous);
  return ok(json);
};

export const deleteCustomer: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadCustomer(ctx, id);
  if (!stored || stored.data.deleted) return { ok: false, error: resourceMissing('customer', id) };
  const snapshot = toCustomerJson(stored.data);
  const customer: Customer = { ...stored.data, deleted: true };
  const json = saveCustomer(ctx, stored, customer, { deleted: true });
  emit(ctx, 'customer.deleted', snapshot);
  return ok(json);
};

export const listCustomers: Handler<CustomerListCommand> = (ctx, command) =>
  listPage<Customer>(ctx, {
    type: TYPE,
    url: '/v1/customers',
    list: command.list,
    equals: command.email === undefined ? {} : { email: command.email },
    render: toCustomerJson,
  });
