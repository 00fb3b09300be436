// edgepay scenarios that exist today: customers (create, replay, list, growth), the outbox lag,
// and a decomposition ladder (floor → auth → DO read → DO write) that shows where time goes.
import { formHeaders, headerValue, idOf, warmAccounts } from '../lib/harness.mjs';
import { dynamicRequest } from '../lib/load.mjs';
import { outboxLagProbe } from '../lib/outbox-lag.mjs';

const SPREAD_ACCOUNTS = 1_000;
const customerBody = (n) => `email=bench${n}%40example.com&name=Bench+Customer+${n}&metadata[n]=${n}`;

export function createCustomer(key, extra = {}) {
  return dynamicRequest({ method: 'POST', path: '/v1/customers', headers: formHeaders(key), body: customerBody, ...extra });
}

const verifiedStore = (ctx, account) => ctx.h.verifyStore(account, '/v1/customers');

// Seeds (created before the measured server starts, see bench/lib/seeding.mjs).
const LARGE = (config) => ({ name: 'customers.large', kind: 'customers', count: config.seedLarge, label: 'large' });
const MEDIUM = (config) => ({ name: 'customers.medium', kind: 'customers', count: config.seedMedium, label: 'gmedium', perRun: true });

/** A search of the large store; `query(seed)` picks a different seeded customer per request. */
function searchLarge(id, what, query) {
  return {
    id,
    title: `GET /v1/customers/search?query=${what} from a store of ≥ N customers`,
    server: 'edgepay',
    seeds: (config) => [LARGE(config)],
    prepare: async (ctx) => ({ ...(await verifiedStore(ctx, await ctx.seeded(LARGE(ctx.config)))), size: ctx.config.seedLarge }),
    requests: ({ key, size }) => [
      dynamicRequest({
        method: 'GET',
        path: (n) => `/v1/customers/search?query=${encodeURIComponent(query((n * 7919) % size))}`,
        headers: { authorization: `Bearer ${key}` },
      }),
    ],
  };
}

export const customerScenarios = [
  {
    id: 'edgepay.floor',
    title: 'Decomposition 1: edgepay Hono 404, no auth (GET /nope)',
    server: 'edgepay',
    expectStatus: 404,
    requests: () => [{ method: 'GET', path: '/nope' }],
  },
  {
    id: 'edgepay.auth',
    title: 'Decomposition 2: + API-key JWT verify + middleware (GET /v1/nope → 404)',
    server: 'edgepay',
    expectStatus: 404,
    prepare: (ctx) => ctx.h.account('auth'),
    requests: ({ key }) => [{ method: 'GET', path: '/v1/nope', headers: { authorization: `Bearer ${key}` } }],
  },
  {
    id: 'customers.retrieve.hot',
    title: 'Decomposition 3: + DO RPC + SQLite read (GET /v1/customers/:id, hot account)',
    server: 'edgepay',
    prepare: async (ctx) => {
      const account = await ctx.h.account('read');
      const created = await ctx.h.fetch('POST', '/v1/customers', { key: account.key, body: 'name=Read' });
      return { ...account, id: idOf(created.body) };
    },
    requests: ({ key, id }) => [{ method: 'GET', path: `/v1/customers/${id}`, headers: { authorization: `Bearer ${key}` } }],
  },
  {
    id: 'customers.create.hot',
    title: 'POST /v1/customers, one hot account (no Idempotency-Key)',
    server: 'edgepay',
    prepare: (ctx) => ctx.h.account('hot'),
    requests: ({ key }) => [createCustomer(key)],
  },
  {
    id: 'customers.create.spread',
    title: `POST /v1/customers spread over ${SPREAD_ACCOUNTS} accounts (one key each)`,
    server: 'edgepay',
    // Locally every account's DO lives in the one workerd process; a fresh process per run keeps
    // it at 1,000 (about 2,000 live SQLite DOs hit SQLITE_NOMEM in Miniflare).
    freshServerPerRun: true,
    prepare: async (ctx) => {
      const accounts = await ctx.h.accounts(SPREAD_ACCOUNTS, 'spread');
      await warmAccounts(ctx, accounts);
      return { accounts };
    },
    requests: ({ accounts }) => [
      createCustomer(accounts[0].key, { header: (n) => ({ authorization: `Bearer ${accounts[n % accounts.length].key}` }) }),
    ],
  },
  {
    id: 'customers.create.idempotent.first',
    title: 'POST /v1/customers with a fresh Idempotency-Key each (first execution)',
    server: 'edgepay',
    prepare: async (ctx) => ({ ...(await ctx.h.account('idem')), tag: Math.random().toString(36).slice(2) }),
    requests: ({ key, tag }) => [createCustomer(key, { header: (n) => ({ 'idempotency-key': `bench-${tag}-${n}` }) })],
  },
  {
    id: 'customers.create.idempotent.replay',
    title: 'POST /v1/customers replay: same Idempotency-Key + same body',
    server: 'edgepay',
    prepare: async (ctx) => {
      const account = await ctx.h.account('replay');
      const headers = { 'idempotency-key': `bench-replay-${account.accountId}` };
      const body = 'email=replay%40example.com&name=Replay';
      const first = await ctx.h.fetch('POST', '/v1/customers', { key: account.key, body, headers });
      if (first.status !== 200) throw new Error(`first execution answered ${first.status}`);
      return { ...account, headers, body, replayed: { yes: 0, no: 0 } };
    },
    requests: ({ key, headers, body, replayed }) => [
      {
        method: 'POST',
        path: '/v1/customers',
        headers: formHeaders(key, headers),
        body,
        onResponse: (status, _body, _context, responseHeaders) => {
          if (headerValue(responseHeaders, 'idempotent-replayed') === 'true') replayed.yes += 1;
          else replayed.no += 1;
        },
      },
    ],
    beforeMeasure: ({ replayed }) => Object.assign(replayed, { yes: 0, no: 0 }),
    after: (ctx, { replayed }) => ({ replayed: replayed.yes, notReplayed: replayed.no }),
  },
  {
    id: 'customers.list.large',
    title: 'GET /v1/customers?limit=100 from a store of ≥ N customers',
    server: 'edgepay',
    seeds: (config) => [LARGE(config)],
    prepare: async (ctx) => verifiedStore(ctx, await ctx.seeded(LARGE(ctx.config))),
    requests: ({ key }) => [{ method: 'GET', path: '/v1/customers?limit=100', headers: { authorization: `Bearer ${key}` } }],
  },
  searchLarge('customers.search.large', 'email:"…" (one match, indexed)', (seed) => `email:"seed${seed}@example.com"`),
  // Substring and metadata clauses have no index: the account's customers are scanned.
  searchLarge('customers.search.scan.large', 'name~"…" (substring, one match: a scan)', (seed) => `name~"Seed ${seed}9"`),
  {
    id: 'outbox.lag.hot',
    title: 'Outbox → D1 lag under hot-account POST /v1/customers',
    server: 'edgepay',
    prepare: async (ctx) => {
      const account = await ctx.h.account('lag');
      return { ...account, probe: outboxLagProbe({ harness: ctx.h, accountId: account.accountId, object: 'customer' }) };
    },
    requests: ({ key, probe }) => [createCustomer(key, { onResponse: probe.onResponse })],
  },
  {
    id: 'growth.customers.0',
    title: 'Growth (customers): POST /v1/customers with 0 prior customers',
    server: 'edgepay',
    prepare: (ctx) => ctx.h.account('g0'),
    requests: ({ key }) => [createCustomer(key)],
  },
  {
    id: 'growth.customers.medium',
    title: 'Growth (customers): POST /v1/customers with ≥ M prior customers',
    server: 'edgepay',
    seeds: (config) => [MEDIUM(config)],
    prepare: async (ctx, run) => verifiedStore(ctx, await ctx.seeded(MEDIUM(ctx.config), run)),
    requests: ({ key }) => [createCustomer(key)],
  },
  {
    id: 'growth.customers.large',
    title: 'Growth (customers): POST /v1/customers with ≥ N prior customers (the list store)',
    server: 'edgepay',
    seeds: (config) => [LARGE(config)],
    prepare: async (ctx) => verifiedStore(ctx, await ctx.seeded(LARGE(ctx.config))),
    requests: ({ key }) => [createCustomer(key)],
  },
];
