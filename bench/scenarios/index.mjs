// The scenario list (run in this order, grouped by server), the ratios printed after the table,
// and the targets from issue #7. Adding a scenario = adding one entry to one of the lists below.
import { ceilingScenarios } from './ceiling.mjs';
import { customerScenarios } from './customers.mjs';
import { paymentScenarios } from './payments.mjs';
import { peerScenarios } from './peer.mjs';
import { INVOCATION_CPU_SECONDS_MAX, reconciliationScenarios } from './reconciliation.mjs';

export const SERVER_ORDER = ['ceiling', 'edgepay', 'peer'];

export const SCENARIOS = [...ceilingScenarios, ...customerScenarios, ...paymentScenarios, ...reconciliationScenarios, ...peerScenarios];

/** num / den of mean req/s, both measured in this run. */
export const RATIOS = [
  { label: 'customer create (hot) / ceiling B', num: 'customers.create.hot', den: 'ceiling.b' },
  { label: 'customer create (hot) / peer customers', num: 'customers.create.hot', den: 'peer.customers' },
  { label: 'customer create (1,000 accounts) / (hot)', num: 'customers.create.spread', den: 'customers.create.hot' },
  { label: 'idempotent replay / first execution', num: 'customers.create.idempotent.replay', den: 'customers.create.idempotent.first' },
  { label: 'first execution with key / without key', num: 'customers.create.idempotent.first', den: 'customers.create.hot' },
  { label: 'growth (customers): M prior / 0 prior', num: 'growth.customers.medium', den: 'growth.customers.0' },
  { label: 'growth (customers): N prior / 0 prior', num: 'growth.customers.large', den: 'growth.customers.0' },
  { label: 'confirm (hot) / ceiling B', num: 'payments.confirm.hot', den: 'ceiling.b' },
  { label: 'confirm (hot) / peer charges', num: 'payments.confirm.hot', den: 'peer.charges' },
  { label: 'confirm (1,000 accounts) / (hot)', num: 'payments.confirm.spread', den: 'payments.confirm.hot' },
  { label: 'refund / confirm (hot)', num: 'payments.refund', den: 'payments.confirm.hot' },
  { label: 'growth (payments): M prior / 0 prior', num: 'growth.payments.medium', den: 'growth.payments.0' },
  { label: 'growth (payments): N prior / 0 prior', num: 'growth.payments.large', den: 'growth.payments.0' },
  { label: 'ladder: ceiling B / ceiling A', num: 'ceiling.b', den: 'ceiling.a' },
  { label: 'ladder: edgepay 404 / ceiling A', num: 'edgepay.floor', den: 'ceiling.a' },
  { label: 'ladder: + auth / edgepay 404', num: 'edgepay.auth', den: 'edgepay.floor' },
  { label: 'ladder: + DO read / + auth', num: 'customers.retrieve.hot', den: 'edgepay.auth' },
  { label: 'ladder: create / DO read', num: 'customers.create.hot', den: 'customers.retrieve.hot' },
];

/**
 * kind 'ratio': num/den ≥ min. kind 'p99': worst p99 of the runs ≤ max ms. kind 'lag' / 'drain':
 * outbox numbers. kind 'reconciliation': every run completed over ≥ entriesMin ledger entries
 * with no discrepancy, and each step within the CPU limit (value: the worst run's total server CPU
 * seconds, an upper bound for any one step).
 * `standIn` is evaluated (and labelled as such) while the real scenario is skipped.
 */
export const TARGETS = [
  { label: 'confirm (hot) ≥ 0.8 × ceiling B', kind: 'ratio', num: 'payments.confirm.hot', den: 'ceiling.b', min: 0.8, standIn: { num: 'customers.create.hot', den: 'ceiling.b' } },
  { label: 'confirm (hot) ≥ 1.0 × peer charges', kind: 'ratio', num: 'payments.confirm.hot', den: 'peer.charges', min: 1.0, standIn: { num: 'customers.create.hot', den: 'peer.customers' } },
  { label: 'confirm (hot) p99 at 32 connections ≤ 50 ms', kind: 'p99', scenario: 'payments.confirm.hot', max: 50, standIn: { scenario: 'customers.create.hot' } },
  { label: 'confirm at N prior ≥ 0.9 × at 0 prior', kind: 'ratio', num: 'growth.payments.large', den: 'growth.payments.0', min: 0.9, standIn: { num: 'growth.customers.large', den: 'growth.customers.0' } },
  { label: 'outbox → D1 lag p99 ≤ 1 s (hot account)', kind: 'lag', scenario: 'outbox.lag.payments', max: 1000, standIn: { scenario: 'outbox.lag.hot' } },
  { label: 'outbox backlog drains within 5 s after load stops', kind: 'drain', scenario: 'outbox.lag.payments', max: 5, standIn: { scenario: 'outbox.lag.hot' } },
  {
    label: `reconciliation of ≥ 100,000 ledger entries: clean, every step ≤ ${INVOCATION_CPU_SECONDS_MAX} s CPU`,
    kind: 'reconciliation',
    scenario: 'reconciliation.large',
    entriesMin: 100_000,
    max: INVOCATION_CPU_SECONDS_MAX,
  },
];
