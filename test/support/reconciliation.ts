/**
 * Reconciliation test kit: an account whose DO and processor clocks sit inside a past UTC day (the
 * window), real payments through the API, the processor clock moved back to now so the day's
 * cut-offs (and the late look-ahead) have passed, and the queue consumer run the way the queue
 * delivers a message. D1 faults are written straight into the test D1: they exist only here.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type Stripe from 'stripe';
import worker from '../../src/index';
import { runRef } from '../../src/platform/reconciliation-store';
import type { ReconciliationMessage } from '../../src/queue/reconciliation';
import { mintTestKey, newAccountId } from './api-keys';
import { api, json } from './http';
import { drainOutbox } from './outbox';
import { stripeClient } from './stripe-client';

export const DAY = 86_400;
const realNow = () => Math.floor(Date.now() / 1000);

export interface ReconAccount {
  readonly accountId: string;
  readonly key: string;
  readonly stripe: Stripe;
  readonly stub: DurableObjectStub<import('../../src/index').MerchantAccount>;
  readonly processor: DurableObjectStub<import('../../src/index').CardProcessor>;
  readonly merchant: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  /** The DO's and the processor's "now" while payments are made (01:00 on the window's day). */
  readonly base: number;
}

/** A fresh account living on a day `daysAgo` days back (both clocks there until `settle`). */
export async function reconAccount(daysAgo = 5): Promise<ReconAccount> {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  const merchant = `${accountId}:test`;
  const windowStart = (Math.floor(realNow() / DAY) - daysAgo) * DAY;
  const base = windowStart + 3600;
  const stub = env.MERCHANT_ACCOUNT.getByName(merchant);
  const processor = env.CARD_PROCESSOR.getByName(merchant);
  await stub.setClockOffsetForTest(base - realNow());
  await processor.setClockOffsetForTest(base - realNow());
  return { accountId, key, stripe: stripeClient(key), stub, processor, merchant, windowStart, windowEnd: windowStart + DAY, base };
}

const noRedirects = { enabled: true, allow_redirects: 'never' as const };

export async function pay(stripe: Stripe, amount: number, paymentMethod = 'pm_card_visa', extra: Partial<Stripe.PaymentIntentCreateParams> = {}) {
  const intent = await stripe.paymentIntents.create({
    amount,
    currency: 'usd',
    payment_method: paymentMethod,
    confirm: true,
    automatic_payment_methods: noRedirects,
    ...extra,
  });
  return { intent, charge: intent.latest_charge as string };
}

/** Runs the DO alarm until its outbox is empty: the D1 copy has caught up. */
export const drain = (account: ReconAccount) => drainOutbox(account.stub);

/** Moves the processor's clock to now: the window's cut-offs and the look-ahead have passed. */
export async function settle(account: ReconAccount): Promise<void> {
  await account.processor.setClockOffsetForTest(0);
}

export function messageFor(account: ReconAccount, extra: Partial<ReconciliationMessage> = {}): ReconciliationMessage {
  return { accountId: account.accountId, livemode: false, windowStart: account.windowStart, windowEnd: account.windowEnd, ...extra };
}

/** A queue that records what is sent to it, so a test can deliver continuations itself. */
export function capturingQueue() {
  const sent: unknown[] = [];
  const queue = {
    send: async (body: unknown) => void sent.push(body),
    sendBatch: async (messages: Iterable<{ body: unknown }>) => void sent.push(...[...messages].map((m) => m.body)),
  };
  return { sent, env: { ...env, RECONCILIATION_QUEUE: queue as unknown as Queue } as Env };
}

export interface Delivery {
  readonly id: string;
  readonly body: unknown;
  readonly attempts?: number;
}

/** Delivers messages as one batch to the Worker's queue handler; returns acked and retried ids. */
export async function deliver(queue: string, messages: readonly Delivery[], queueEnv: Env = env) {
  const batch = createMessageBatch(
    queue,
    messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? 1, body: m.body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, queueEnv, ctx);
  const result = await getQueueResult(batch, ctx);
  return { acked: [...result.explicitAcks].sort(), retried: result.retryMessages.map((m: { msgId: string }) => m.msgId).sort() };
}

/** Reconciles the account's window in one message (continuations, if any, delivered in turn). */
export async function reconcile(account: ReconAccount, extra: Partial<ReconciliationMessage> = {}) {
  const capture = capturingQueue();
  let body: unknown = messageFor(account, extra);
  let messages = 0;
  for (; body !== undefined; messages++) {
    if (messages > 500) throw new Error('reconciliation did not finish');
    const result = await deliver('edgepay-reconciliation', [{ id: `m${messages}`, body }], capture.env);
    if (result.acked.length !== 1) throw new Error(`message ${messages} was not acked: ${JSON.stringify(result)}`);
    body = capture.sent.shift();
  }
  const { id } = await runRef(account.accountId, false, { startSeconds: account.windowStart, endSeconds: account.windowEnd });
  const run = await json<Record<string, any>>(await api('GET', `/v1/reconciliation/runs/${id}`, { key: account.key }));
  return { run, discrepancies: await discrepancies(account, { run: id }), messages };
}

export async function discrepancies(account: ReconAccount, filters: Record<string, string> = {}): Promise<Array<Record<string, any>>> {
  const all: Array<Record<string, any>> = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...filters, ...(after ? { starting_after: after } : {}) });
    const page = await json<{ data: Array<Record<string, any>>; has_more: boolean }>(
      await api('GET', `/v1/reconciliation/discrepancies?${query}`, { key: account.key }),
    );
    all.push(...page.data);
    if (!page.has_more) return all.sort((a, b) => (a.id < b.id ? -1 : 1));
    after = page.data.at(-1)!.id;
  }
}

export const classesOf = (found: ReadonlyArray<Record<string, any>>) => found.map((d) => d.class).sort();

// ── D1 faults (test-only by construction: they write the test database directly) ────────

export async function d1Exec(sql: string, ...bindings: unknown[]): Promise<number> {
  const result = await env.DB.prepare(sql).bind(...bindings).run();
  return result.meta.changes;
}

export async function d1Record(account: ReconAccount, id: string) {
  return env.DB.prepare('SELECT * FROM records WHERE account_id = ? AND livemode = 0 AND id = ?').bind(account.accountId, id).first();
}

export async function d1LedgerRows(account: ReconAccount) {
  const { results } = await env.DB.prepare('SELECT * FROM ledger_entries WHERE account_id = ? AND livemode = 0 ORDER BY seq')
    .bind(account.accountId)
    .all();
  return results;
}
