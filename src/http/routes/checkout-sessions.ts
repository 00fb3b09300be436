/**
 * /v1/checkout/sessions — adapters only — and /v1/edgepay/checkout_settings (not Stripe's: the
 * publishable key the hosted page uses, registered once per account and mode with a secret key).
 * `expand[]` is checked here against the session's own paths (`line_items` is includable) and
 * applied by the operation.
 */
import { Hono, type Context } from 'hono';
import { verifyApiKey } from '../../auth/api-keys';
import { err, ok, type Result } from '../../domain/result';
import { invalidRequest, permissionDenied, type WireError } from '../../stripe/errors';
import { checkExpandPaths } from '../../stripe/expand';
import { toListArgs } from '../../stripe/list';
import {
  CheckoutLineItemListParams,
  CheckoutSessionCreateParams,
  CheckoutSessionListParams,
  CheckoutSessionRetrieveParams,
  toCheckoutSessionCreateCommand,
  toCheckoutSessionListCommand,
} from '../../stripe/params/checkout-sessions';
import { requiredString } from '../../stripe/params/common';
import { parseParams } from '../../stripe/validate';
import { z } from 'zod';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';
import { isPublishable } from './payment-intents-client';

export const checkoutSessions = new Hono<AppEnv>();
const READ = ['checkout_sessions', 'read'] as const;
const WRITE = ['checkout_sessions', 'write'] as const;

function cannotExpand(path: string): WireError {
  return invalidRequest(`This property cannot be expanded (${path}).`, 'expand', null);
}

/** The request's expand paths, valid for a session (`data.`-prefixed on lists); moved into the input. */
function takeExpand(c: Context<AppEnv>, isList: boolean): Result<string[], WireError> {
  const paths = [...(c.get('expand') ?? [])];
  c.set('expand', []);
  for (const path of paths) {
    const segments = path.split('.');
    if (isList && segments.shift() !== 'data') return err(cannotExpand(path));
    const [head, ...rest] = segments;
    if (head === 'line_items' && rest.length === 0) continue;
    if ((head === 'payment_intent' || head === 'customer') && (rest.length === 0 || checkExpandPaths(head, [rest.join('.')], false) === null)) continue;
    return err(cannotExpand(path));
  }
  return ok(paths);
}

checkoutSessions.post('/', async (c) => {
  const params = parseParams(CheckoutSessionCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const expand = takeExpand(c, false);
  if (!expand.ok) return errorResponse(c, expand.error);
  const command = toCheckoutSessionCreateCommand(params.value, new URL(c.req.url).origin);
  if (!command.ok) return errorResponse(c, command.error);
  return callAccount(c, WRITE, { name: 'checkout_sessions.create', input: { ...command.value, expand: expand.value } });
});

checkoutSessions.get('/', async (c) => {
  const params = parseParams(CheckoutSessionListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const expand = takeExpand(c, true);
  if (!expand.ok) return errorResponse(c, expand.error);
  return callAccount(c, READ, { name: 'checkout_sessions.list', input: toCheckoutSessionListCommand(params.value, expand.value) });
});

checkoutSessions.get('/:id', async (c) => {
  const params = parseParams(CheckoutSessionRetrieveParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  if (isPublishable(c)) {
    if ((c.get('expand') ?? []).length > 0) return errorResponse(c, permissionDenied('Publishable keys cannot expand objects: remove expand[] or use a secret key.'));
    return callAccount(c, READ, { name: 'checkout_sessions.client_retrieve', input: { id: c.req.param('id') } });
  }
  const expand = takeExpand(c, false);
  if (!expand.ok) return errorResponse(c, expand.error);
  return callAccount(c, READ, { name: 'checkout_sessions.retrieve', input: { id: c.req.param('id'), expand: expand.value } });
});

checkoutSessions.get('/:id/line_items', async (c) => {
  const params = parseParams(CheckoutLineItemListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  if ((c.get('expand') ?? []).length > 0) return errorResponse(c, cannotExpand(c.get('expand')[0]!));
  return callAccount(c, READ, { name: 'checkout_sessions.line_items', input: { id: c.req.param('id'), list: toListArgs(params.value) } });
});

checkoutSessions.post('/:id/expire', async (c) => {
  const params = parseParams(CheckoutSessionRetrieveParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const expand = takeExpand(c, false);
  if (!expand.ok) return errorResponse(c, expand.error);
  return callAccount(c, WRITE, { name: 'checkout_sessions.expire', input: { id: c.req.param('id'), expand: expand.value } });
});

export const checkoutSettings = new Hono<AppEnv>();
const SettingsParams = z.strictObject({ publishable_key: requiredString(4_096) });

checkoutSettings.get('/', async (c) => callAccount(c, READ, { name: 'checkout_settings.retrieve', input: {} }));

checkoutSettings.post('/', async (c) => {
  const params = parseParams(SettingsParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const principal = c.get('principal');
  const key = params.value.publishable_key;
  const verified = await verifyApiKey(key, { issuer: c.env.API_KEY_ISSUER, audience: c.env.API_KEY_AUDIENCE, publicKeySet: c.env.API_KEY_JWKS ?? '' });
  if (!verified.ok || verified.value.kind !== 'publishable' || verified.value.accountId !== principal.accountId || verified.value.livemode !== principal.livemode) {
    return errorResponse(c, invalidRequest('publishable_key must be a valid publishable key (pk_…) of this account and mode.', 'publishable_key', 'parameter_invalid'));
  }
  return callAccount(c, WRITE, { name: 'checkout_settings.update', input: { publishableKey: key } });
});
