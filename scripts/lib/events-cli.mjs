// The events CLI's logic (scripts/events.mjs): poll /v1/events for new events, oldest first, and
// optionally forward each to a local URL signed like a real webhook (Stripe-Signature, v1 =
// HMAC-SHA256 of `t.body` under the whole whsec_ secret), the way `stripe listen` does. Polling
// reaches any local URL without the server's WEBHOOKS_ALLOW_LOCALHOST setting.
import { createHmac, randomBytes } from 'node:crypto';

export const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';
const PAGE_LIMIT = 100;

export function newLocalSecret() {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export function signatureHeader(body, secret, timestampSeconds) {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

function eventsUrl(api, params) {
  const url = new URL('/v1/events', api);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url;
}

async function getJson(fetchImpl, url, key) {
  const response = await fetchImpl(url, { headers: { Authorization: `Bearer ${key}` } });
  const body = await response.json();
  if (!response.ok) throw new Error(`GET ${url.pathname}${url.search}: ${response.status} ${body?.error?.message ?? ''}`);
  return body;
}

function typeParams(types) {
  if (types.length === 0) return [];
  if (types.length === 1) return [['type', types[0]]];
  return types.map((type) => ['types[]', type]);
}

/** The id of the newest event now (the starting cursor), or null when there is none. */
export async function latestEventId(fetchImpl, { api, key }) {
  const page = await getJson(fetchImpl, eventsUrl(api, [['limit', '1']]), key);
  return page.data[0]?.id ?? null;
}

async function page(fetchImpl, { api, key, types = [] }, cursor) {
  return getJson(fetchImpl, eventsUrl(api, [['limit', String(PAGE_LIMIT)], ...typeParams(types), ...cursor]), key);
}

/** Events newer than the event `after`, oldest first: pages forward with ending_before. */
async function newerThan(fetchImpl, options, after) {
  const collected = [];
  let cursor = after;
  for (;;) {
    const result = await page(fetchImpl, options, [['ending_before', cursor]]);
    const oldestFirst = [...result.data].reverse();
    collected.push(...oldestFirst);
    if (!result.has_more || oldestFirst.length === 0) return collected;
    cursor = oldestFirst.at(-1).id;
  }
}

/** Every kept event, oldest first: pages backwards with starting_after, then reverses. */
async function everyEvent(fetchImpl, options) {
  const newestFirst = [];
  let cursor = [];
  for (;;) {
    const result = await page(fetchImpl, options, cursor);
    newestFirst.push(...result.data);
    if (!result.has_more || result.data.length === 0) return newestFirst.reverse();
    cursor = [['starting_after', result.data.at(-1).id]];
  }
}

/** Events newer than `after` (every kept event when null), oldest first, matching `types`. */
export async function eventsSince(fetchImpl, options, after) {
  return after === null ? everyEvent(fetchImpl, options) : newerThan(fetchImpl, options, after);
}

/** POSTs one event to the local URL, signed with `secret`; returns the status or the error text. */
export async function forwardEvent(fetchImpl, event, { to, secret, nowSeconds = Math.floor(Date.now() / 1000) }) {
  const body = JSON.stringify(event);
  const headers = {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': USER_AGENT,
    'Stripe-Signature': signatureHeader(body, secret, nowSeconds),
  };
  try {
    const response = await fetchImpl(to, { method: 'POST', headers, body, redirect: 'manual' });
    await response.body?.cancel();
    return { status: response.status };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export function describeEvent(event, outcome) {
  const when = new Date(event.created * 1000).toISOString().replace('.000Z', 'Z');
  const sent = outcome === undefined ? '' : outcome.status !== undefined ? `  → ${outcome.status}` : `  → ${outcome.error}`;
  return `${when}  ${event.type.padEnd(40)} ${event.id}${sent}`;
}
