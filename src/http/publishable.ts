/**
 * What a publishable key (`pk_test_…`) may do: exactly what the hosted payment page needs —
 * create a PaymentMethod or a token from card details (tokenization), read and confirm a PaymentIntent with
 * its client secret, and read the Checkout Session it pays. Nothing else, and no `expand[]`
 * (which could reach other objects). Everything else answers 403.
 */
import type { Principal } from '../auth/principal';
import type { OperationName } from '../../durable-objects/operations';

const PUBLISHABLE_OPERATIONS: ReadonlySet<OperationName> = new Set<OperationName>([
  'payment_methods.create',
  'tokens.create',
  'payment_intents.client_confirm',
  'payment_intents.client_retrieve',
  'checkout_sessions.client_retrieve',
]);

export function publishableMayCall(principal: Principal, operation: OperationName, expand: readonly string[]): boolean {
  return principal.kind === 'publishable' && expand.length === 0 && PUBLISHABLE_OPERATIONS.has(operation);
}
