/**
 * The registry of everything the account DO can do. The Worker names an operation and passes
 * its already-validated command; the DO looks it up here. Typed end to end: the `OperationCall`
 * union ties each name to its input type. Entries are plain handlers (one transaction) or
 * phased operations (begin → outside call → finish).
 */
import type { Handler, PhasedOperation } from '../context';
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
type InputOf<T> = T extends Handler<infer I> ? I : T extends PhasedOperation<infer I, infer _S, infer _X> ? I : never;
export type OperationInput<N extends OperationName> = InputOf<(typeof OPERATIONS)[N]>;
export type OperationCall = { [N in OperationName]: { readonly name: N; readonly input: OperationInput<N> } }[OperationName];

export type AnyOperation = Handler<unknown> | PhasedOperation<unknown, unknown, unknown>;

export function operationFor(name: OperationName): AnyOperation {
  return OPERATIONS[name] as AnyOperation;
}
