// Reconciliation at scale (issue #6): one account holding ≥ 100,000 ledger entries, reconciled end
// to end through the real path — POST /v1/reconciliation/runs → the reconciliation queue →
// the consumer's budgeted steps (continuations re-enqueued) → run completed in D1 — and timed from
// the POST until GET /v1/reconciliation/runs/:id says `completed`. A job, not a load: each run is
// one more pass over the same window (run 2 is the idempotent rerun).
//
// The store is a UTC day of real pm_card_visa confirms three days back (bench seeder, backdated
// clocks), their funds since made available, so the window is closed and the external check
// compares every movement with a settlement line; each payment leaves 5 ledger rows (capture 3,
// availability 2). A clean store must reconcile with zero discrepancies: any is reported.
import { sleep } from '../lib/harness.mjs';
import { round } from '../lib/load.mjs';

export const LEDGER_ROWS_PER_PAYMENT = 5;
/** Workers' default CPU limit per invocation (a queue consumer's included), in seconds. Locally a
 * step's CPU cannot be told apart from the rest, so the bench checks the bound that holds for
 * every step: the whole run's server CPU (consumer, DOs, D1 together) stays under it. */
export const INVOCATION_CPU_SECONDS_MAX = 30;
const POLL_MS = 100;
const RUN_TIMEOUT_MS = 15 * 60_000;

const RECON = (config) => ({ name: 'reconciliation.large', kind: 'payments', count: config.reconPayments, label: 'recon', backdateDays: 3 });

async function runUntilDone(ctx, account) {
  const created = await ctx.h.fetch('POST', '/v1/reconciliation/runs', { key: account.key, body: `window_start=${account.windowStart}` });
  if (created.status !== 200) throw new Error(`POST /v1/reconciliation/runs answered ${created.status}: ${created.body}`);
  const queued = JSON.parse(created.body);
  // A rerun shows the previous pass until its first message starts the next one.
  const passes = queued.status === 'running' ? queued.passes : queued.passes + 1;
  const started = performance.now();
  while (performance.now() - started < RUN_TIMEOUT_MS) {
    const got = await ctx.h.fetch('GET', `/v1/reconciliation/runs/${queued.id}`, { key: account.key });
    const run = got.status === 200 ? JSON.parse(got.body) : null;
    if (run?.passes === passes && run.status === 'failed') throw new Error(`run ${run.id} failed: ${run.failure_message}`);
    if (run?.passes === passes && run.status === 'completed') return run;
    await sleep(POLL_MS);
  }
  throw new Error(`run ${queued.id} not completed after ${RUN_TIMEOUT_MS / 1000} s`);
}

export const reconciliationScenarios = [
  {
    id: 'reconciliation.large',
    title: 'Reconciliation run (queue; internal + external check) of one account: 5 ledger entries per seeded payment, 100,000 by default',
    server: 'edgepay',
    seeds: (config) => [RECON(config)],
    prepare: (ctx) => ctx.seeded(RECON(ctx.config)),
    measure: async (ctx, account) => {
      const serverCpu0 = ctx.server.cpuSeconds();
      const run = await runUntilDone(ctx, account);
      const serverCpuSeconds = ctx.server.cpuSeconds() - serverCpu0;
      const counts = Object.entries(run.discrepancy_counts).filter(([, n]) => n > 0);
      const c = run.checked;
      return {
        runId: run.id,
        window: `${new Date(run.window.start * 1000).toISOString().slice(0, 10)} (UTC day)`,
        passes: run.passes,
        messages: c.messages,
        ledgerEntries: c.ledger_entries,
        moneyObjects: c.money_objects,
        movements: c.movements,
        settlementLines: c.settlement_lines,
        discrepancies: counts.reduce((sum, [, n]) => sum + n, 0),
        discrepancyCounts: Object.fromEntries(counts),
        totals: run.totals,
        // The whole server's CPU (consumer, account DO, processor DO, D1, Miniflare) over the run:
        // its total bounds any one consumer invocation's CPU, its mean per message is typical.
        serverCpuSecondsPerMessage: round(serverCpuSeconds / Math.max(1, c.messages), 2),
      };
    },
    describe: (r) =>
      `${r.ledgerEntries} ledger entries, ${r.moneyObjects} money objects, ${r.movements} movements vs ${r.settlementLines} settlement lines, ${r.messages} messages (mean ${r.serverCpuSecondsPerMessage} s server CPU each), pass ${r.passes}, ${r.discrepancies} discrepancies`,
  },
];
