/**
 * Work the account does on its own schedule (from the alarm): pending funds becoming available,
 * refunds whose processor status changes later, payouts moving along their timeline. Each step is
 * idempotent — alarms may fire twice — and commits in its own transaction; outside calls happen
 * between transactions.
 */
import { allMerchantBalances } from '../src/domain/ledger/balances';
import { toBalanceJson } from '../src/stripe/objects/balance';
import { runBillingWork } from './billing-schedule';
import { emit } from './context';
import { systemContext, type ExecutionHost } from './execution';
import { clearDueCheck, dueChecks, nextScheduledSeconds, readLedgerBalances, scheduleDueCheck } from './ledger-store';
import { expireDueSession } from './operations/checkout-session-store';
import { makeDueFundsAvailable } from './operations/money';
import { advancePayout } from './operations/payouts';
import { applyRefundStatus } from './operations/refunds';

const DUE_BATCH_MAX = 50;
const REFUND_RECHECK_SECONDS = 30;

export async function runScheduledWork(host: ExecutionHost, now: () => number): Promise<number | null> {
  host.storage.transactionSync(() => {
    const ctx = systemContext(host, now());
    if (ctx === null) return;
    if (makeDueFundsAvailable(ctx) > 0) emit(ctx, 'balance.available', toBalanceJson(allMerchantBalances(readLedgerBalances(ctx.sql)), ctx.livemode));
  });
  for (const refundId of dueChecks(host.sql, 'refund', now(), DUE_BATCH_MAX)) {
    const status = await host.services.processor.refundStatus({ merchant: host.services.merchant, reference: `${refundId}:refund` });
    host.storage.transactionSync(() => {
      const ctx = systemContext(host, now());
      if (ctx === null) return;
      applyRefundStatus(ctx, refundId, status);
      // Keep checking while the processor still has a change scheduled (its clock may lag ours).
      if (status.outcome === 'found' && status.transition !== null) {
        scheduleDueCheck(host.sql, 'refund', refundId, Math.max(status.transition.atSeconds, ctx.nowSeconds + REFUND_RECHECK_SECONDS));
      } else {
        clearDueCheck(host.sql, 'refund', refundId);
      }
    });
  }
  for (const payoutId of dueChecks(host.sql, 'payout', now(), DUE_BATCH_MAX)) {
    host.storage.transactionSync(() => {
      const ctx = systemContext(host, now());
      if (ctx !== null) advancePayout(ctx, payoutId);
    });
  }
  for (const sessionId of dueChecks(host.sql, 'checkout_session', now(), DUE_BATCH_MAX)) {
    host.storage.transactionSync(() => {
      const ctx = systemContext(host, now());
      if (ctx !== null) expireDueSession(ctx, sessionId);
    });
  }
  await runBillingWork(host, now);
  return nextScheduledSeconds(host.sql);
}
