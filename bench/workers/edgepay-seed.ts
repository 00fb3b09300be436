/**
 * Bench-only SEEDING entry (never deployed, never measured): the production Worker plus one route,
 * `POST /_bench/seed?kind=…&account=acct_…&from=N&count=K&template=<form body with {n}>`, that
 * makes the account's real MerchantAccount run K real create operations through its public
 * `execute` — same param decoding and validation as the routes, same transaction, events, outbox
 * rows (and, for payments, the same CardProcessor calls) — without HTTP, auth and one RPC per
 * object, so 100,000 objects take seconds, not minutes. bench/lib/seeding.mjs runs it on the
 * measured server's persistence directory, lets the outbox drain into D1, stops it, and only then
 * starts the production bundle. Keep the call builders in step with src/http/routes/*.
 */
import worker from '../../src/index';
import { MerchantAccount as ProductionMerchantAccount, type CallMeta } from '../../durable-objects/merchant-account';
import { API_VERSION } from '../../durable-objects/context';
import type { OperationCall } from '../../durable-objects/operations';
import { checkMoney } from '../../src/http/routes/payment-intents';
import { newRequestId } from '../../src/platform/ids';
import { assemblePairs } from '../../src/stripe/form/assemble';
import { parsePairs } from '../../src/stripe/form/pairs';
import type { ParamTree } from '../../src/stripe/form/tree';
import { CustomerCreateParams, toCustomerWriteCommand } from '../../src/stripe/params/customers';
import { PaymentIntentCreateParams, toCreateCommand } from '../../src/stripe/params/payment-intents';
import { parseParams } from '../../src/stripe/validate';

// Every other export of the production entry (its other Durable Object classes); the local
// MerchantAccount below shadows the star export.
export * from '../../src/index';

const SEED_CHUNK_MAX = 5_000;
const SEED_CONCURRENCY = 32;
const ORIGIN = 'http://127.0.0.1';

function decode(body: string): ParamTree {
  const pairs = parsePairs(body);
  if (!pairs.ok) throw new Error(`seed body rejected: ${pairs.error.message}`);
  const tree = assemblePairs(pairs.value);
  if (!tree.ok) throw new Error(`seed body rejected: ${tree.error.message}`);
  return tree.value;
}

function valid<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(`seed parameters rejected: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** What each route would send to the account for this form body. */
const CALLS: Record<string, (body: string) => OperationCall> = {
  customers: (body) => ({ name: 'customers.create', input: toCustomerWriteCommand(valid(parseParams(CustomerCreateParams, decode(body)))) }),
  payments: (body) => {
    const params = valid(parseParams(PaymentIntentCreateParams, decode(body)));
    const currency = valid(checkMoney(params.amount, params.currency));
    return { name: 'payment_intents.create', input: toCreateCommand(params, currency, ORIGIN) };
  },
};

export class MerchantAccount extends ProductionMerchantAccount {
  async seedForBench(kind: string, accountId: string, from: number, count: number, template: string): Promise<{ seeded: number }> {
    const call = CALLS[kind];
    if (!call) throw new Error(`no seeder for ${kind}`);
    // Like the request-id middleware: a fresh request id per call. Phased operations (confirm) key
    // their internal idempotency record on it, so a shared id would make concurrent calls collide.
    const meta = (): CallMeta => ({ accountId, livemode: false, keyId: 'key_benchseed', requestId: newRequestId(), apiVersion: API_VERSION, expand: [], idempotency: null });
    const end = from + Math.min(count, SEED_CHUNK_MAX);
    for (let start = from; start < end; start += SEED_CONCURRENCY) {
      const batch = [];
      for (let n = start; n < Math.min(end, start + SEED_CONCURRENCY); n++) batch.push(this.execute(call(template.replaceAll('{n}', String(n))), meta()));
      for (const response of await Promise.all(batch)) {
        if (response.status !== 200) throw new Error(`seed answered ${response.status}: ${response.body}`);
      }
    }
    return { seeded: end - from };
  }
}

interface SeedEnv {
  MERCHANT_ACCOUNT: DurableObjectNamespace<MerchantAccount>;
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/_bench/seed-kinds') return Response.json({ kinds: Object.keys(CALLS) });
    if (url.pathname !== '/_bench/seed' || request.method !== 'POST') return worker.fetch(request, env, ctx);
    const q = url.searchParams;
    const accountId = q.get('account') ?? '';
    const stub = (env as unknown as SeedEnv).MERCHANT_ACCOUNT.getByName(`${accountId}:test`);
    try {
      const result = await stub.seedForBench(q.get('kind') ?? '', accountId, Number(q.get('from')), Number(q.get('count')), q.get('template') ?? '');
      return Response.json(result);
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
  },
} satisfies ExportedHandler<Env>;
