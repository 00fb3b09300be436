// PaymentIntent scenarios. They need `POST /v1/payment_intents`; while that route answers 404 the
// runner skips them with "feature not available yet", and they run as soon as payments land.
import { formHeaders, warmAccounts } from '../lib/harness.mjs';
import { dynamicRequest } from '../lib/load.mjs';
import { outboxLagProbe } from '../lib/outbox-lag.mjs';

const SPREAD_ACCOUNTS = 1_000;
const REFUND_POOL_MAX = 60_000;
const REFUND_RATE_GUESS_PER_SECOND = 1_000;
const SUCCEEDED = /"status":"succeeded"/;

export const confirmBody = (n) =>
  `amount=${1000 + (n % 1000)}&currency=usd&payment_method=pm_card_visa&payment_method_types[]=card&confirm=true&description=bench+${n}`;

function confirmRequest(key, tally, { also, ...extra } = {}) {
  return dynamicRequest({
    method: 'POST',
    path: '/v1/payment_intents',
    headers: formHeaders(key),
    body: confirmBody,
    onResponse: (status, body, context, headers) => {
      if (status === 200 && SUCCEEDED.test(body)) tally.succeeded += 1;
      else tally.other += 1;
      also?.(status, body, context, headers);
    },
    ...extra,
  });
}

const tallyAfter = (ctx, { tally }) => ({ succeeded: tally.succeeded, notSucceeded: tally.other });

// Seeds: no in-DO seeder for payments yet, so these are created over HTTP (reported as such).
const LARGE = (config) => ({ name: 'payments.large', kind: 'payments', count: config.seedLarge, label: 'plarge' });
const MEDIUM = (config) => ({ name: 'payments.medium', kind: 'payments', count: config.seedMedium, label: 'pgmedium', perRun: true });
const withTally = async (accountPromise) => ({ ...(await accountPromise), tally: { succeeded: 0, other: 0 } });
const verifiedStore = async (ctx, accountPromise) => withTally(ctx.h.verifyStore(await accountPromise, '/v1/payment_intents'));

const resetTally = ({ tally }) => Object.assign(tally, { succeeded: 0, other: 0 });
const payment = (entry) => ({ server: 'edgepay', requires: 'payment_intents', beforeMeasure: resetTally, after: tallyAfter, ...entry });

export const paymentScenarios = [
  payment({
    id: 'payments.confirm.hot',
    title: 'PaymentIntent create+confirm (pm_card_visa), one hot account',
    prepare: async (ctx) => ({ ...(await ctx.h.account('pihot')), tally: { succeeded: 0, other: 0 } }),
    requests: ({ key, tally }) => [confirmRequest(key, tally)],
  }),
  payment({
    id: 'payments.confirm.spread',
    title: `PaymentIntent create+confirm spread over ${SPREAD_ACCOUNTS} accounts`,
    freshServerPerRun: true, // see customers.create.spread
    prepare: async (ctx) => {
      const accounts = await ctx.h.accounts(SPREAD_ACCOUNTS, 'pispread');
      // One real payment per account first: steady state for 1,000 active merchants (each has its
      // CardProcessor DO too); first-payment setup is not what this scenario measures.
      const warmSeconds = await warmAccounts(ctx, accounts, (a) => ctx.h.fetch('POST', '/v1/payment_intents', { key: a.key, body: confirmBody(0) }));
      ctx.log(`  warmed ${accounts.length} accounts with one payment each in ${warmSeconds} s`);
      return { accounts, tally: { succeeded: 0, other: 0 } };
    },
    requests: ({ accounts, tally }) => [
      confirmRequest(accounts[0].key, tally, { header: (n) => ({ authorization: `Bearer ${accounts[n % accounts.length].key}` }) }),
    ],
  }),
  payment({
    id: 'payments.refund',
    title: 'Refund (POST /v1/refunds payment_intent=…), one hot account, one PI per refund',
    prepare: async (ctx) => {
      const account = await ctx.h.account('refund');
      const rate = ctx.resultOf('payments.confirm.hot')?.rps ?? REFUND_RATE_GUESS_PER_SECOND;
      const size = Math.min(REFUND_POOL_MAX, Math.ceil(rate * (ctx.config.duration + ctx.config.warmup) * 1.5) + 4 * ctx.config.connections);
      // Client-side timeouts while building the pool only make it smaller; the run is capped by it.
      const pool = await ctx.h.bulkCreate(account, '/v1/payment_intents', size, confirmBody, { collectIds: true, maxErrorShare: 0.5 });
      ctx.seeding.push({ what: `refund pool: ${pool.ids.length} confirmed PaymentIntents`, seconds: pool.seconds, rps: pool.rps });
      return { ...account, pool: pool.ids, used: { n: 0 }, tally: { succeeded: 0, other: 0 } };
    },
    // Computed after the warm-up: stops before the pool runs out, so no PI is refunded twice.
    limit: ({ pool, used }, ctx) => Math.max(ctx.config.connections, pool.length - used.n - 2 * ctx.config.connections),
    requests: ({ key, pool, used, tally }) => [
      dynamicRequest({
        method: 'POST',
        path: '/v1/refunds',
        headers: formHeaders(key),
        body: (n) => {
          used.n = n;
          return `payment_intent=${pool[n % pool.length]}`;
        },
        onResponse: (status, body) => {
          if (status === 200 && SUCCEEDED.test(body)) tally.succeeded += 1;
          else tally.other += 1;
        },
      }),
    ],
  }),
  payment({
    id: 'outbox.lag.payments',
    title: 'Outbox → D1 lag under hot-account PaymentIntent confirm',
    prepare: async (ctx) => {
      const account = await ctx.h.account('lagpi');
      const probe = outboxLagProbe({ harness: ctx.h, accountId: account.accountId, object: 'payment_intent' });
      return { ...account, probe, tally: { succeeded: 0, other: 0 } };
    },
    requests: ({ key, probe, tally }) => [confirmRequest(key, tally, { also: probe.onResponse })],
  }),
  payment({
    id: 'growth.payments.0',
    title: 'Growth: PaymentIntent confirm with 0 prior payments',
    prepare: (ctx) => withTally(ctx.h.account('pg0')),
    requests: ({ key, tally }) => [confirmRequest(key, tally)],
  }),
  payment({
    id: 'growth.payments.medium',
    title: 'Growth: PaymentIntent confirm with ≥ M prior payments',
    seeds: (config) => [MEDIUM(config)],
    prepare: (ctx, run) => verifiedStore(ctx, ctx.seeded(MEDIUM(ctx.config), run)),
    requests: ({ key, tally }) => [confirmRequest(key, tally)],
  }),
  payment({
    id: 'growth.payments.large',
    title: 'Growth: PaymentIntent confirm with ≥ N prior payments',
    seeds: (config) => [LARGE(config)],
    prepare: (ctx) => verifiedStore(ctx, ctx.seeded(LARGE(ctx.config))),
    requests: ({ key, tally }) => [confirmRequest(key, tally)],
  }),
];
