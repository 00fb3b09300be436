/**
 * The reconciliation cron: one message per account (and mode) in the D1 registry, for the latest
 * final day (src/domain/reconciliation/window.ts), read and sent in bounded pages. Each run is
 * recorded `queued` first, so a run that never starts is visible. Idempotent: the run id is a
 * hash of account, mode and window, so a cron fired twice queues the same runs.
 */
import { RECONCILIATION_CRON_ACCOUNTS_PAGE_MAX } from '../domain/limits';
import { latestFinalWindow } from '../domain/reconciliation/window';
import { queueRunStatement, runRef } from '../platform/reconciliation-store';
import type { ReconciliationMessage } from './reconciliation';

interface AccountRow {
  account_id: string;
  livemode: number;
}

/** Queues the day's runs; returns how many accounts were queued. */
export async function enqueueScheduledRuns(env: Env, scheduledTimeMs: number): Promise<number> {
  const nowSeconds = Math.floor(scheduledTimeMs / 1000);
  const window = latestFinalWindow(nowSeconds);
  let after: AccountRow = { account_id: '', livemode: -1 };
  let queued = 0;
  for (;;) {
    const { results } = await env.DB.prepare(
      'SELECT account_id, livemode FROM accounts WHERE (account_id, livemode) > (?, ?) ORDER BY account_id, livemode LIMIT ?',
    )
      .bind(after.account_id, after.livemode, RECONCILIATION_CRON_ACCOUNTS_PAGE_MAX)
      .all<AccountRow>();
    if (results.length === 0) return queued;
    const messages: ReconciliationMessage[] = results.map((row) => ({
      accountId: row.account_id,
      livemode: row.livemode === 1,
      windowStart: window.startSeconds,
      windowEnd: window.endSeconds,
    }));
    const runs = await Promise.all(messages.map((m) => runRef(m.accountId, m.livemode, window)));
    await env.DB.batch(runs.map((run) => queueRunStatement(env.DB, run, nowSeconds)));
    await env.RECONCILIATION_QUEUE.sendBatch(messages.map((body) => ({ body, contentType: 'json' as const })));
    queued += results.length;
    if (results.length < RECONCILIATION_CRON_ACCOUNTS_PAGE_MAX) return queued;
    after = results[results.length - 1]!;
  }
}
