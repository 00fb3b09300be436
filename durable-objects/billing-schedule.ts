/**
 * Billing on the account's schedule (from the alarm): subscriptions whose next step is due by the
 * account clock, and test clocks being advanced (their subscriptions step up to the clock's
 * frozen time). Each step commits in its own transaction; a renewal or retry that must charge a
 * card runs the phased `invoices.pay` operation under a deterministic internal idempotency key
 * (`internal:billing:<invoice>:<attempt>`), so a crash mid-payment is resumed by the completer and
 * an attempt is never made twice.
 */
import { BILLING_STEPS_PER_RUN_MAX } from '../src/domain/limits';
import { API_VERSION } from './context';
import { executeCall, systemContext, type CallMeta, type ExecutionHost } from './execution';
import { dueChecks, scheduleDueCheck } from './ledger-store';
import { recordFailedAttempt } from './operations/invoice-lifecycle';
import { loadInvoice } from './operations/invoice-store';
import { loadIntent } from './operations/payment-intent-store';
import { takeSubscriptionStep, type StepResult } from './operations/subscription-billing';
import { scheduleSubscription } from './operations/subscription-settle';
import { loadSubscription } from './operations/subscription-store';
import { clockSubscriptions, markClockReady } from './operations/test-clocks';
import { loadTestClock } from './operations/invoice-store';

const DUE_BATCH_MAX = 20;
const BLOCKED_RECHECK_SECONDS = 30;

type Collect = Extract<StepResult, { kind: 'collect' }>;

/** Charges the invoice of a step; an attempt refused before reaching the card still counts as failed. */
async function collect(host: ExecutionHost, step: Collect, now: () => number): Promise<void> {
  const ctx = systemContext(host, now());
  if (ctx === null) return;
  const key = `internal:billing:${step.invoiceId}:${step.attempt}`;
  const meta: CallMeta = { accountId: ctx.accountId, livemode: ctx.livemode, keyId: 'system', requestId: '', apiVersion: API_VERSION, expand: [], idempotency: null };
  const input = { id: step.invoiceId, paidOutOfBand: false, origin: '', at: step.at };
  await executeCall(host, { name: 'invoices.pay', input }, meta, { key, endpoint: 'internal:invoices.pay', fingerprint: key, clientSupplied: false }, now);
  host.storage.transactionSync(() => {
    const after = systemContext(host, now());
    const invoice = after === null ? null : loadInvoice(after, step.invoiceId);
    if (after === null || !invoice || invoice.data.status !== 'open' || invoice.data.attemptCount >= step.attempt) return;
    if (invoice.data.paymentIntent !== null && loadIntent(after, invoice.data.paymentIntent)?.data.lockedBy) return;
    recordFailedAttempt(after, invoice, step.at);
  });
}

type Outcome = 'settled' | 'blocked' | 'budget';

/** Runs the subscription's due steps up to `at()` (its clock's time or the account's). */
async function stepSubscription(host: ExecutionHost, id: string, at: () => number, now: () => number): Promise<Outcome> {
  for (let i = 0; i < BILLING_STEPS_PER_RUN_MAX; i++) {
    const step = host.storage.transactionSync((): StepResult => {
      const ctx = systemContext(host, now());
      return ctx === null ? { kind: 'idle' } : takeSubscriptionStep(ctx, id, at());
    });
    if (step.kind === 'idle') return 'settled';
    if (step.kind === 'blocked') return 'blocked';
    if (step.kind === 'collect') await collect(host, step, now);
  }
  return 'budget';
}

async function runDueSubscriptions(host: ExecutionHost, now: () => number): Promise<void> {
  for (const id of dueChecks(host.sql, 'subscription', now(), DUE_BATCH_MAX)) {
    const outcome = await stepSubscription(host, id, now, now);
    host.storage.transactionSync(() => {
      const ctx = systemContext(host, now());
      const stored = ctx === null ? null : loadSubscription(ctx, id);
      if (ctx === null || !stored) return;
      if (outcome === 'settled') scheduleSubscription(ctx, stored.data);
      else scheduleDueCheck(host.sql, 'subscription', id, now() + (outcome === 'blocked' ? BLOCKED_RECHECK_SECONDS : 0));
    });
  }
}

async function runAdvancingClocks(host: ExecutionHost, now: () => number): Promise<void> {
  for (const clockId of dueChecks(host.sql, 'test_clock', now(), DUE_BATCH_MAX)) {
    const ids = host.storage.transactionSync(() => {
      const ctx = systemContext(host, now());
      return ctx === null ? [] : clockSubscriptions(ctx, clockId).map((s) => s.id);
    });
    const target = () => {
      const ctx = systemContext(host, now());
      return (ctx === null ? null : loadTestClock(ctx, clockId)?.data.frozenTime) ?? 0;
    };
    let settled = true;
    for (const id of ids) {
      const outcome = await stepSubscription(host, id, target, now);
      if (outcome !== 'settled') {
        settled = false;
        if (outcome === 'blocked') scheduleDueCheck(host.sql, 'test_clock', clockId, now() + BLOCKED_RECHECK_SECONDS);
      }
    }
    host.storage.transactionSync(() => {
      const ctx = systemContext(host, now());
      if (ctx !== null && settled) markClockReady(ctx, clockId);
    });
  }
}

export async function runBillingWork(host: ExecutionHost, now: () => number): Promise<void> {
  await runDueSubscriptions(host, now);
  await runAdvancingClocks(host, now);
}
