// What scenarios use to set themselves up against edgepay: fresh accounts with their own API keys,
// bulk seeding over HTTP (autocannon with a fixed amount), pools of created ids, feature probes,
// and waiting for the outbox to reach D1. Every wait is bounded.
import { mintApiKey, randomId } from '../../scripts/lib/keys.mjs';
import { dynamicRequest, runLoad } from './load.mjs';

const FORM = 'application/x-www-form-urlencoded';
const D1_WAIT_POLL_MS = 250;
const SETUP_TIMEOUT_MS = 10_000;
const SETUP_ATTEMPTS_MAX = 3;
const BULK_ERROR_SHARE_MAX = 0.01;
const ID_PATTERN = /"id":"([a-z]+_[A-Za-z0-9]+)"/;

export function formHeaders(key, extra = {}) {
  return { authorization: `Bearer ${key}`, 'content-type': FORM, ...extra };
}

/** A response header from autocannon's raw-cased map, matched case-insensitively. */
export function headerValue(headers, name) {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function idOf(body) {
  return ID_PATTERN.exec(body)?.[1] ?? null;
}

export function createHarness({ url, server, signingKey, connections }) {
  const harness = {
    url,
    server,
    connections,

    async account(label = 'bench') {
      const accountId = randomId(`acct`, 12).replace('acct_', `acct_${label.replace(/[^A-Za-z0-9]/g, '')}`);
      const { key } = await mintApiKey(signingKey, { accountId, ttlSeconds: 86_400 });
      return { accountId, key };
    },

    async accounts(count, label) {
      const list = [];
      for (let i = 0; i < count; i++) list.push(await harness.account(label));
      return list;
    },

    /** One setup request (not measured); a connection the server closed is retried, bounded. */
    async fetch(method, path, { key, body, headers = {} } = {}) {
      for (let attempt = 1; ; attempt++) {
        try {
          const response = await fetch(url + path, {
            method,
            headers: key ? formHeaders(key, headers) : headers,
            body,
            signal: AbortSignal.timeout(SETUP_TIMEOUT_MS),
          });
          return { status: response.status, body: await response.text() };
        } catch (error) {
          if (attempt >= SETUP_ATTEMPTS_MAX) throw error;
          await sleep(50 * attempt);
        }
      }
    },

    /** POSTs `count` form bodies from `body(n)` with autocannon; returns timing and the ids created. */
    async bulkCreate(account, path, count, body, { collectIds = false, maxErrorShare = BULK_ERROR_SHARE_MAX } = {}) {
      const ids = [];
      const onResponse = collectIds
        ? (status, responseBody) => {
            if (status === 200) ids.push(idOf(responseBody));
          }
        : undefined;
      const request = dynamicRequest({ method: 'POST', path, headers: formHeaders(account.key), body, onResponse });
      const result = await runLoad({ url, connections, amount: count, requests: [request] }, server);
      // Setup traffic: a few client-side errors (timeouts under load) are tolerated, rejections are not.
      if (result.non2xx > 0 || result.errors > count * maxErrorShare) {
        throw new Error(`bulk create on ${path}: ${result.non2xx} non-2xx, ${result.errors} errors (${result.timeouts} timeouts)`);
      }
      return { ...result, ids: ids.filter(Boolean) };
    },

    /** Fails unless the seeded store is really there: a full page of 100 and more behind it. */
    async verifyStore(account, path) {
      const page = await harness.fetch('GET', `${path}?limit=100`, { key: account.key });
      const body = page.status === 200 ? JSON.parse(page.body) : {};
      if (body.data?.length !== 100 || body.has_more !== true) {
        throw new Error(`seeded store missing: GET ${path} answered ${page.status} with ${body.data?.length ?? 0} items`);
      }
      return account;
    },

    /** Runs fn over items with at most `concurrency` in flight (setup traffic, not measured). */
    async forEachBounded(items, concurrency, fn) {
      let next = 0;
      const worker = async () => {
        while (next < items.length) {
          const index = next++;
          await fn(items[index], index);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
    },

    /** Counts one account's objects of one type in D1 (the read model the outbox feeds). */
    async d1Count(accountId, object) {
      const rows = await server.d1(
        'SELECT count(*) AS n FROM records WHERE account_id = ? AND livemode = 0 AND object = ?',
        [accountId, object],
      );
      return rows[0]?.n ?? 0;
    },

    /** Waits until D1 holds ≥ `expected` objects for the account; returns seconds waited (or null). */
    async waitForD1(accountId, object, expected, timeoutMs) {
      const started = performance.now();
      while (performance.now() - started < timeoutMs) {
        // A count can time out while D1 is busy absorbing the drain; that is not a failure.
        const count = await harness.d1Count(accountId, object).catch(() => -1);
        if (count >= expected) return (performance.now() - started) / 1000;
        await sleep(D1_WAIT_POLL_MS);
      }
      return null;
    },
  };
  return harness;
}

/**
 * Every account exists before the clock starts: by default its DO is created (schema migrated) by
 * a cheap read; `warm` can instead make one real request per account (e.g. a first payment, which
 * also creates the account's CardProcessor DO). Returns seconds taken.
 */
export async function warmAccounts(ctx, accounts, warm = null) {
  const started = performance.now();
  const failed = {};
  await ctx.h.forEachBounded(accounts, ctx.config.connections, async (a) => {
    const response = await (warm ? warm(a) : ctx.h.fetch('GET', '/v1/customers?limit=1', { key: a.key })).catch((e) => ({ status: e.message }));
    if (response.status !== 200) failed[response.status] = (failed[response.status] ?? 0) + 1;
  });
  if (Object.keys(failed).length > 0) ctx.setupProblems?.push(`warming ${accounts.length} accounts: ${JSON.stringify(failed)}`);
  return Math.round((performance.now() - started) / 100) / 10;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
