/**
 * The reconciliation queue: one message reconciles one account for one window.
 *
 * The first message of a pass runs the external check and starts the internal one; the internal
 * check reads bounded pages and, when the message's page budget is spent, enqueues a
 * continuation carrying its cursor (and the running fold of the ledger), so an account of any size
 * is reconciled in steps that each fit Workers' limits. Every write is an upsert keyed by
 * deterministic ids and every repair re-projects the DO's current state, so a redelivered or
 * rerun message produces the same rows. A message is acked only when its step succeeded; on any
 * failure it is retried with backoff, and after the queue's max_retries the platform moves it to
 * the dead-letter queue (edgepay-reconciliation-dlq) — the run is marked failed on the last
 * attempt. Messages are independent: a poison message never blocks the others of its batch.
 */
import { z } from 'zod';
import {
  RECONCILIATION_PAGE_ROWS_MAX,
  RECONCILIATION_PAGES_PER_MESSAGE_MAX,
  RECONCILIATION_QUEUE_MAX_RETRIES,
  RECONCILIATION_RETRY_DELAY_MAX_SECONDS,
  RECONCILIATION_RETRY_DELAY_MIN_SECONDS,
  RECONCILIATION_LOOKUP_IDS_MAX,
} from '../domain/limits';
import type { Discrepancy } from '../domain/reconciliation/discrepancy';
import { MONEY_OBJECT_TYPES, type RunningFold } from '../domain/reconciliation/internal';
import { EMPTY_RUN_CHECKS, type RunChecks } from '../domain/reconciliation/run';
import { checkWindow } from '../domain/reconciliation/window';
import { processorFor } from '../platform/processor';
import { failPass, finishPass, readRun, recordDiscrepancies, runRef, saveTotals, startPass, type RunRef } from '../platform/reconciliation-store';
import { toDiscrepancyJson, toRunJson } from '../stripe/objects/reconciliation';
import { externalCheck, ledgerPage, objectPage, type AccountStub, type CheckContext } from './reconciliation-checks';

const cursorSchema = z.object({
  /** 0: ledger entries; 1…: MONEY_OBJECT_TYPES[stage - 1]. */
  stage: z.number().int().min(0).max(MONEY_OBJECT_TYPES.length),
  afterSeq: z.number().int().min(0),
  afterId: z.string().max(255),
  fold: z.record(z.string(), z.record(z.string(), z.number().int())),
  checks: z.object({
    ledgerEntries: z.number().int(),
    moneyObjects: z.number().int(),
    movements: z.number().int(),
    settlementLines: z.number().int(),
    messages: z.number().int(),
  }),
});

export const reconciliationMessageSchema = z.object({
  accountId: z.string().regex(/^acct_[A-Za-z0-9]+$/),
  livemode: z.boolean(),
  windowStart: z.number().int().min(0),
  windowEnd: z.number().int().min(0),
  continuation: cursorSchema.optional(),
  /** Smaller pages or budgets (tests, the benchmark); clamped to the limits. */
  pageRows: z.number().int().min(1).max(RECONCILIATION_PAGE_ROWS_MAX).optional(),
  pagesPerMessage: z.number().int().min(1).max(RECONCILIATION_PAGES_PER_MESSAGE_MAX).optional(),
});

export type ReconciliationMessage = z.infer<typeof reconciliationMessageSchema>;
type Cursor = z.infer<typeof cursorSchema>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function accountObjectName(accountId: string, livemode: boolean): string {
  return `${accountId}:${livemode ? 'live' : 'test'}`;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Records discrepancies in D1, then emits `reconciliation.discrepancy_found` once per discrepancy. */
async function recorder(env: Env, run: RunRef, stub: AccountStub, found: readonly Discrepancy[]): Promise<void> {
  if (found.length === 0) return;
  const recorded = await recordDiscrepancies(env.DB, run, found, nowSeconds());
  for (const part of chunks(recorded, RECONCILIATION_LOOKUP_IDS_MAX)) {
    const events = part.map((d) => ({ key: `discrepancy:${d.id}`, type: 'reconciliation.discrepancy_found' as const, object: toDiscrepancyJson(d) }));
    await stub.emitReconciliationEvents({ accountId: run.accountId, livemode: run.livemode }, events);
  }
}

/** Reads pages from `cursor` until the budget is spent (→ the next cursor) or the run is done (→ null). */
async function internalCheck(ctx: CheckContext, start: Cursor, pages: number): Promise<{ next: Cursor | null; checks: RunChecks }> {
  let cursor = start;
  for (let page = 0; page < pages; page += 1) {
    if (cursor.stage === 0) {
      const out = await ledgerPage(ctx, cursor.afterSeq, cursor.fold as RunningFold);
      const checks = { ...cursor.checks, ledgerEntries: cursor.checks.ledgerEntries + out.compared };
      cursor = out.through === null ? { ...cursor, stage: 1, afterSeq: 0, fold: {}, checks } : { ...cursor, afterSeq: out.through, fold: out.fold, checks };
    } else {
      const out = await objectPage(ctx, MONEY_OBJECT_TYPES[cursor.stage - 1]!, cursor.afterId);
      const checks = { ...cursor.checks, moneyObjects: cursor.checks.moneyObjects + out.compared };
      if (out.through !== null) cursor = { ...cursor, afterId: out.through, checks };
      else if (cursor.stage === MONEY_OBJECT_TYPES.length) return { next: null, checks };
      else cursor = { ...cursor, stage: cursor.stage + 1, afterId: '', checks };
    }
  }
  return { next: cursor, checks: cursor.checks };
}

/** One step of a run: what one message does. */
export async function reconcileStep(env: Env, message: ReconciliationMessage): Promise<void> {
  const checked = checkWindow({ startSeconds: message.windowStart, endSeconds: message.windowEnd });
  if (!checked.ok) throw new Error(`bad reconciliation window: ${checked.error.reason === 'invalid_request' ? checked.error.message : checked.error.reason}`);
  const window = checked.value;
  const account = { accountId: message.accountId, livemode: message.livemode };
  const run = await runRef(account.accountId, account.livemode, window);
  const stub = env.MERCHANT_ACCOUNT.getByName(accountObjectName(account.accountId, account.livemode));
  const ctx: CheckContext = {
    db: env.DB,
    stub,
    account,
    pageRows: message.pageRows ?? RECONCILIATION_PAGE_ROWS_MAX,
    record: (found) => recorder(env, run, stub, found),
  };
  let cursor = message.continuation;
  if (cursor === undefined) {
    await startPass(env.DB, run, nowSeconds());
    const merchant = accountObjectName(account.accountId, account.livemode);
    const external = await externalCheck(ctx, processorFor(env, merchant), merchant, window);
    await ctx.record(external.discrepancies);
    await saveTotals(env.DB, run.id, external.totals);
    const checks = { ...EMPTY_RUN_CHECKS, movements: external.movements, settlementLines: external.lines };
    cursor = { stage: 0, afterSeq: 0, afterId: '', fold: {}, checks };
  }
  cursor = { ...cursor, checks: { ...cursor.checks, messages: cursor.checks.messages + 1 } };
  const { next, checks } = await internalCheck(ctx, cursor, message.pagesPerMessage ?? RECONCILIATION_PAGES_PER_MESSAGE_MAX);
  if (next !== null) {
    await env.RECONCILIATION_QUEUE.send({ ...message, continuation: next }, { contentType: 'json' });
    return;
  }
  await finishPass(env.DB, run.id, checks, nowSeconds());
  const finished = await readRun(env.DB, account, run.id);
  if (finished === null) throw new Error(`run ${run.id} vanished`);
  const key = `completed:${run.id}:${JSON.stringify(finished.counts)}`;
  await stub.emitReconciliationEvents(account, [{ key, type: 'reconciliation.completed', object: toRunJson(finished) }]);
}

export function retryDelaySeconds(attempts: number): number {
  return Math.min(RECONCILIATION_RETRY_DELAY_MAX_SECONDS, RECONCILIATION_RETRY_DELAY_MIN_SECONDS * 2 ** Math.max(0, attempts - 1));
}

async function markFailedIfLast(env: Env, message: Message<unknown>, error: unknown): Promise<void> {
  if (message.attempts <= RECONCILIATION_QUEUE_MAX_RETRIES) return;
  const parsed = reconciliationMessageSchema.safeParse(message.body);
  if (!parsed.success) return;
  const { accountId, livemode, windowStart, windowEnd } = parsed.data;
  const run = await runRef(accountId, livemode, { startSeconds: windowStart, endSeconds: windowEnd });
  await failPass(env.DB, run, error instanceof Error ? error.message : 'unknown error', nowSeconds());
}

/** The queue handler: each message on its own; ack on success, retry (→ DLQ eventually) on failure. */
export async function handleReconciliationBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    try {
      const parsed = reconciliationMessageSchema.safeParse(message.body);
      if (!parsed.success) throw new Error(`malformed reconciliation message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      await reconcileStep(env, parsed.data);
      message.ack();
    } catch (error) {
      console.error(`reconciliation message ${message.id} (attempt ${message.attempts}) failed: ${error instanceof Error ? error.message : 'unknown'}`);
      await markFailedIfLast(env, message, error).catch(() => undefined);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/** The dead-letter queue's consumer: the run of each dead message is marked failed, then acked. */
export async function recordDeadReconciliations(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = reconciliationMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(`dead reconciliation message ${message.id} is malformed; dropped after logging`);
      message.ack();
      continue;
    }
    try {
      const { accountId, livemode, windowStart, windowEnd } = parsed.data;
      const run = await runRef(accountId, livemode, { startSeconds: windowStart, endSeconds: windowEnd });
      await failPass(env.DB, run, 'dead-lettered: the message kept failing; see the logs, then rerun the window', nowSeconds());
      message.ack();
    } catch (error) {
      console.error(`could not record dead reconciliation message ${message.id}: ${error instanceof Error ? error.message : 'unknown'}`);
      message.retry();
    }
  }
}
