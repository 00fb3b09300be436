/**
 * The registry of everything the account DO can do. The Worker names an operation and passes
 * its already-validated command; the DO looks the handler up here. Typed end to end: the
 * `OperationCall` union ties each name to its input type.
 */
import type { Handler } from '../context';
import { createCustomer, deleteCustomer, listCustomers, retrieveCustomer, updateCustomer } from './customers';
import { listEvents, retrieveEvent } from './events';

export const OPERATIONS = {
  'customers.create': createCustomer,
  'customers.retrieve': retrieveCustomer,
  'customers.update': updateCustomer,
  'customers.delete': deleteCustomer,
  'customers.list': listCustomers,
  'events.retrieve': retrieveEvent,
  'events.list': listEvents,
} as const;

export type OperationName = keyof typeof OPERATIONS;
export type OperationInput<N extends OperationName> = (typeof OPERATIONS)[N] extends Handler<infer I> ? I : never;
export type OperationCall = { [N in OperationName]: { readonly name: N; readonly input: OperationInput<N> } }[OperationName];

export function handlerFor(call: OperationCall): Handler<unknown> {
  return OPERATIONS[call.name] as Handler<unknown>;
}
