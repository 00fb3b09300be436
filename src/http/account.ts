/**
 * The one way a route reaches the account: check the key's permission, then call the account's
 * Durable Object (named by the verified token, never by the URL or body) and relay its answer.
 */
import type { Context } from 'hono';
import type { Principal } from '../auth/principal';
import { fromDomainError, maskApiKey, permissionDenied } from '../stripe/errors';
import { checkExpandPaths, type ExpandableType } from '../stripe/expand';
import type { OperationCall } from '../../durable-objects/operations';
import type { AppEnv } from './context';
import { presentedKey } from './middleware/authenticate';
import { publishableMayCall } from './publishable';
import { callResponse, errorResponse } from './respond';

export type Access = 'read' | 'write';

const EXPAND_ROOTS: Readonly<Record<string, ExpandableType>> = {
  customers: 'customer',
  payment_methods: 'payment_method',
  payment_intents: 'payment_intent',
  charges: 'charge',
  refunds: 'refund',
  balance_transactions: 'balance_transaction',
  payouts: 'payout',
  events: 'event',
  balance: 'balance',
  invoices: 'invoice',
  invoice_lines: 'line_item',
  invoice_payments: 'invoice_payment',
  invoiceitems: 'invoiceitem',
  products: 'product',
  prices: 'price',
  subscriptions: 'subscription',
  test_clocks: 'test_clock',
};

/** The object an operation returns (`payment_intents.confirm` → payment_intent), for expand checks. */
export function expandRootFor(operation: string): ExpandableType {
  return EXPAND_ROOTS[operation.split('.')[0]!] ?? 'balance';
}

/** `customers:write` grants read too; `*` and `*:read` cover every resource. */
export function isPermitted(principal: Principal, resource: string, access: Access): boolean {
  if (principal.kind === 'secret') return true;
  if (principal.kind === 'publishable') return false;
  return principal.scopes.some((scope) => {
    const [scopeResource, scopeAccess = 'write'] = scope.split(':');
    const resourceMatches = scopeResource === '*' || scopeResource === resource;
    return resourceMatches && (scopeAccess === 'write' || scopeAccess === access);
  });
}

export function accountObjectName(principal: Principal): string {
  return `${principal.accountId}:${principal.livemode ? 'live' : 'test'}`;
}

export function accountStub(env: Env, principal: Principal) {
  return env.MERCHANT_ACCOUNT.getByName(accountObjectName(principal));
}

/**
 * For routes that read D1 instead of calling the account: revocation and the request rate live in
 * the account DO (callAccount gets them checked inside `execute`), so ask it. The same 401 / 429
 * as anywhere else.
 */
export async function refuseUnlessAdmitted(c: Context<AppEnv>): Promise<Response | null> {
  const principal = c.get('principal');
  const admitted = await accountStub(c.env, principal).admitRequest(principal.keyId, principal.livemode);
  if (admitted === 'ok') return null;
  return errorResponse(c, fromDomainError({ reason: admitted === 'revoked' ? 'api_key_revoked' : 'rate_limited' }));
}

export async function callAccount(
  c: Context<AppEnv>,
  permission: readonly [resource: string, access: Access],
  call: OperationCall,
): Promise<Response> {
  const principal = c.get('principal');
  const [resource, access] = permission;
  if (!isPermitted(principal, resource, access) && !publishableMayCall(principal, call.name, c.get('expand') ?? [])) {
    const kind = principal.kind === 'publishable' ? 'publishable' : 'restricted';
    return errorResponse(
      c,
      permissionDenied(
        `The provided ${kind} key (${maskApiKey(presentedKey(c.req.header('authorization')) ?? '')}) does not have the required permissions for this endpoint (${resource}:${access}).`,
      ),
    );
  }
  const expand = c.get('expand') ?? [];
  const unexpandable = checkExpandPaths(expandRootFor(call.name), expand, call.name.endsWith('.list'));
  if (unexpandable) return errorResponse(c, unexpandable);
  const result = await accountStub(c.env, principal).execute(call, {
    accountId: principal.accountId,
    livemode: principal.livemode,
    keyId: principal.keyId,
    requestId: c.get('requestId'),
    apiVersion: c.get('apiVersion'),
    expand,
    idempotency: c.get('idempotency'),
  });
  return callResponse(c, result);
}
