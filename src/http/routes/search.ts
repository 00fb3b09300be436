/**
 * `GET /v1/customers/search`, `/v1/payment_intents/search`, `/v1/charges/search`: Stripe's search,
 * served from the D1 copies (eventually consistent, like Stripe's). Permission: `<resource>:read`.
 * Mounted before the resources' `/:id` routes.
 */
import { Hono, type Context } from 'hono';
import { LIST_LIMIT_DEFAULT } from '../../domain/limits';
import { CHARGE_SEARCH, CUSTOMER_SEARCH, PAYMENT_INTENT_SEARCH } from '../../domain/search/catalogs';
import { parseSearchQuery, type SearchCatalog } from '../../domain/search/query';
import { searchRecords } from '../../platform/search-store';
import { fromDomainError, invalidRequest, permissionDenied } from '../../stripe/errors';
import { decodePageToken, SearchParams, toSearchResultJson } from '../../stripe/search';
import { parseParams } from '../../stripe/validate';
import { isPermitted, refuseUnlessAdmitted } from '../account';
import type { AppEnv } from '../context';
import { errorResponse, JSON_HEADERS } from '../respond';

async function search(c: Context<AppEnv>, catalog: SearchCatalog, object: string): Promise<Response> {
  const principal = c.get('principal');
  if (!isPermitted(principal, catalog.resource, 'read')) {
    return errorResponse(c, permissionDenied(`The provided key does not have the required permissions for this endpoint (${catalog.resource}:read).`));
  }
  if ((c.get('expand') ?? []).length > 0) return errorResponse(c, invalidRequest('expand is not supported on search endpoints yet.', 'expand'));
  const params = parseParams(SearchParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const query = parseSearchQuery(params.value.query, catalog);
  if (!query.ok) return errorResponse(c, fromDomainError(query.error));
  const after = params.value.page === undefined ? null : decodePageToken(params.value.page);
  if (after !== null && !after.ok) return errorResponse(c, fromDomainError(after.error));
  const revoked = await refuseUnlessAdmitted(c);
  if (revoked !== null) return revoked;
  const scope = { accountId: principal.accountId, livemode: principal.livemode };
  const page = await searchRecords(c.env.DB, scope, object, query.value, { limit: params.value.limit ?? LIST_LIMIT_DEFAULT, after: after?.value ?? null });
  const body = toSearchResultJson(`/v1/${catalog.resource}/search`, page.data, page.next);
  return new Response(JSON.stringify(body), { status: 200, headers: JSON_HEADERS });
}

export const customerSearch = new Hono<AppEnv>().get('/search', (c) => search(c, CUSTOMER_SEARCH, 'customer'));
export const paymentIntentSearch = new Hono<AppEnv>().get('/search', (c) => search(c, PAYMENT_INTENT_SEARCH, 'payment_intent'));
export const chargeSearch = new Hono<AppEnv>().get('/search', (c) => search(c, CHARGE_SEARCH, 'charge'));
