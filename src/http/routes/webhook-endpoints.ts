/**
 * /v1/webhook_endpoints — Stripe's CRUD, plus edgepay extensions (README "Webhooks"):
 * `POST /:id/rotate_secret` (expires_in), `POST /:id/redeliver` (event), `GET /:id/attempts`.
 * Every URL is checked against the SSRF policy here, before it reaches the account.
 */
import { Hono, type Context } from 'hono';
import { LIST_LIMIT_DEFAULT } from '../../domain/limits';
import { checkWebhookUrl } from '../../domain/webhooks/url-policy';
import { webhookUrlPolicy } from '../../platform/webhook-policy';
import { invalidRequest, type WireError } from '../../stripe/errors';
import { toListArgs } from '../../stripe/list';
import {
  ExpandOnlyParams,
  WebhookDeliveryListParams,
  WebhookEndpointCreateParams,
  WebhookEndpointListParams,
  WebhookEndpointUpdateParams,
  WebhookRedeliverParams,
  WebhookSecretRotateParams,
} from '../../stripe/params/webhook-endpoints';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const webhookEndpoints = new Hono<AppEnv>();
const READ = ['webhook_endpoints', 'read'] as const;
const WRITE = ['webhook_endpoints', 'write'] as const;

function checkedUrl(c: Context<AppEnv>, url: string): { ok: true; value: string } | { ok: false; error: WireError } {
  const checked = checkWebhookUrl(url, webhookUrlPolicy(c.env, c.get('principal').livemode));
  return checked.ok ? checked : { ok: false, error: invalidRequest(checked.error.message, 'url', 'url_invalid') };
}

webhookEndpoints.post('/', async (c) => {
  const params = parseParams(WebhookEndpointCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const url = checkedUrl(c, params.value.url);
  if (!url.ok) return errorResponse(c, url.error);
  const { enabled_events, description, metadata, api_version } = params.value;
  const input = { url: url.value, enabledEvents: enabled_events, description, metadata, apiVersion: api_version };
  return callAccount(c, WRITE, { name: 'webhook_endpoints.create', input: dropUndefined(input) });
});

webhookEndpoints.get('/', async (c) => {
  const params = parseParams(WebhookEndpointListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'webhook_endpoints.list', input: { list: toListArgs(params.value) } });
});

webhookEndpoints.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'webhook_endpoints.retrieve', input: { id: c.req.param('id') } });
});

webhookEndpoints.post('/:id', async (c) => {
  const params = parseParams(WebhookEndpointUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const url = params.value.url === undefined ? null : checkedUrl(c, params.value.url);
  if (url && !url.ok) return errorResponse(c, url.error);
  const { enabled_events, description, metadata, disabled } = params.value;
  const write = dropUndefined({ url: url?.value, enabledEvents: enabled_events, description, metadata, disabled });
  return callAccount(c, WRITE, { name: 'webhook_endpoints.update', input: { id: c.req.param('id'), write } });
});

webhookEndpoints.delete('/:id', async (c) => callAccount(c, WRITE, { name: 'webhook_endpoints.delete', input: { id: c.req.param('id') } }));

webhookEndpoints.post('/:id/rotate_secret', async (c) => {
  const params = parseParams(WebhookSecretRotateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = dropUndefined({ id: c.req.param('id'), expiresIn: params.value.expires_in });
  return callAccount(c, WRITE, { name: 'webhook_endpoints.rotate_secret', input });
});

webhookEndpoints.post('/:id/redeliver', async (c) => {
  const params = parseParams(WebhookRedeliverParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'webhook_endpoints.redeliver', input: { id: c.req.param('id'), eventId: params.value.event } });
});

webhookEndpoints.get('/:id/attempts', async (c) => {
  const params = parseParams(WebhookDeliveryListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { limit, event, starting_after } = params.value;
  const input = dropUndefined({ id: c.req.param('id'), limit: limit ?? LIST_LIMIT_DEFAULT, eventId: event, startingAfter: starting_after });
  return callAccount(c, READ, { name: 'webhook_endpoints.attempts', input });
});

/** Leaves out absent fields (exactOptionalPropertyTypes: absent, not `undefined`, crosses RPC). */
function dropUndefined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
