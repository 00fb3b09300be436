/**
 * PaymentIntent calls made with a publishable key (the hosted page, or a merchant's own client):
 * retrieve and confirm, each only with the intent's `client_secret`; no `expand[]`.
 */
import type { Context } from 'hono';
import { permissionDenied } from '../../stripe/errors';
import { ClientConfirmParams, ClientRetrieveParams } from '../../stripe/params/checkout-sessions';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

const NO_EXPAND = permissionDenied('Publishable keys cannot expand objects: remove expand[] or use a secret key.');

export function isPublishable(c: Context<AppEnv>): boolean {
  return c.get('principal').kind === 'publishable';
}

export async function clientRetrieve(c: Context<AppEnv>): Promise<Response> {
  if ((c.get('expand') ?? []).length > 0) return errorResponse(c, NO_EXPAND);
  const params = parseParams(ClientRetrieveParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = { id: c.req.param('id')!, clientSecret: params.value.client_secret };
  return callAccount(c, ['payment_intents', 'read'], { name: 'payment_intents.client_retrieve', input });
}

export async function clientConfirm(c: Context<AppEnv>): Promise<Response> {
  if ((c.get('expand') ?? []).length > 0) return errorResponse(c, NO_EXPAND);
  const params = parseParams(ClientConfirmParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = {
    id: c.req.param('id')!,
    clientSecret: params.value.client_secret,
    paymentMethod: params.value.payment_method,
    ...(params.value.return_url === undefined ? {} : { returnUrl: params.value.return_url }),
    origin: new URL(c.req.url).origin,
  };
  return callAccount(c, ['payment_intents', 'write'], { name: 'payment_intents.client_confirm', input });
}
