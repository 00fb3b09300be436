/**
 * Bench-only SEEDING entry (never deployed, never measured): the production Worker plus one route,
 * `POST /_bench/seed?kind=…&account=acct_…&from=N&count=K&template=<form body with {n}>`, that
 * makes the account's real MerchantAccount run K real create operations through its public
 * `execute` — same param decoding and validation as the routes, same transaction, events, outbox
 * rows (and, for payments, the same CardProcessor calls) — without HTTP, auth and one RPC per
 * object, so 100,000 objects take seconds, not minutes. bench/lib/seeding.mjs runs it on the
 * measured server's persistence directory, lets the outbox drain into D1, stops it, and only then
 * starts the production bundle. Keep the call builders in step with src/http/routes/*.
 *
 * Backdating (`at=<unix seconds>` on a seed call): this bundle's account and processor subclasses
 * run on a clock shifted so that the chunk happens at `at` — the reconciliation scenario needs a
 * day of payments whose window has closed. `POST /_bench/settle?account=…` then puts both clocks
 * back to now and runs the account's alarm, so the funds become available and the store ends up as
 * a store written days ago would be today; `GET /_bench/backlog?account=…` says when that is done.
 * The shift lives in these subclasses' memory only: the production classes never see it.
 */
import worker from '../../src/index';
import { CardProcessor as ProductionCardProcessor } from '../../durable-objects/card-processor';
import { MerchantAccount as ProductionMerchantAccount, type CallMeta } from '../../durable-objects/merchant-account';
import { countOutbox } from '../../durable-objects/store';
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

// Every other export of the production entry; the local MerchantAccount and CardProcessor below
// shadow the star export.
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

/** Seconds to add to the real clock so that "now" is `at` (0 for no shift). */
const shiftTo = (at: number | null) => (at === null ? 0 : at - Math.floor(Date.now() / 1000));

export class CardProcessor extends ProductionCardProcessor {
  private benchShiftSeconds = 0;

  protected override nowSeconds(): number {
    return super.nowSeconds() + this.benchShiftSeconds;
  }

  async setBenchClock(at: number | null): Promise<void> {
    this.benchShiftSeconds = shiftTo(at);
  }
}

export class MerchantAccount extends ProductionMerchantAccount {
  private benchShiftSeconds = 0;

  protected override nowSeconds(): number {
    return super.nowSeconds() + this.benchShiftSeconds;
  }

  /** Both clocks of this account (its own and its processor's) at `at`, or back to now (null). */
  async setBenchClock(at: number | null): Promise<void> {
    const merchant = this.ctx.id.name ?? '';
    await (this.env as unknown as SeedEnv).CARD_PROCESSOR.getByName(merchant).setBenchClock(at);
    this.benchShiftSeconds = shiftTo(at);
  }

  /** Back to now, then the alarm: funds of the backdated payments fall due and become available. */
  async settleForBench(): Promise<{ settled: true }> {
    await this.setBenchClock(null);
    await this.ctx.storage.setAlarm(Date.now());
    return { settled: true };
  }

  /** Work still to do: outbox rows not yet in D1, balance transactions not yet available. */
  async backlogForBench(): Promise<{ outbox: number; pendingAvailability: number }> {
    const pending = this.sql.exec<{ n: number }>('SELECT count(*) AS n FROM pending_availability').one().n;
    return { outbox: countOutbox(this.sql), pendingAvailability: pending };
  }

  async seedForBench(kind: string, accountId: string, from: number, count: number, template: string, at: number | null): Promise<{ seeded: number }> {
    const call = CALLS[kind];
    if (!call) throw new Error(`no seeder for ${kind}`);
    // Re-applied on every chunk: an instance evicted between chunks forgets the shift.
    if (at !== null) await this.setBenchClock(at);
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
  CARD_PROCESSOR: DurableObjectNamespace<CardProcessor>;
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/_bench/seed-kinds') return Response.json({ kinds: Object.keys(CALLS) });
    if (!url.pathname.startsWith('/_bench/')) return worker.fetch(request, env, ctx);
    const q = url.searchParams;
    const accountId = q.get('account') ?? '';
    const stub = (env as unknown as SeedEnv).MERCHANT_ACCOUNT.getByName(`${accountId}:test`);
    try {
      if (url.pathname === '/_bench/backlog') return Response.json(await stub.backlogForBench());
      if (request.method !== 'POST') return new Response('POST only', { status: 405 });
      if (url.pathname === '/_bench/settle') return Response.json(await stub.settleForBench());
      if (url.pathname !== '/_bench/seed') return new Response('no such bench route', { status: 404 });
      const at = q.get('at') === null ? null : Number(q.get('at'));
      const result = await stub.seedForBench(q.get('kind') ?? '', accountId, Number(q.get('from')), Number(q.get('count')), q.get('template') ?? '', at);
      return Response.json(result);
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
  },
} satisfies ExportedHandler<Env>;
