// Run configuration (env overrides) and the machine description written next to every result.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { taskset } from './cpu.mjs';

function intEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const DEFAULT_PROFILES = 'customers.create.hot,payments.confirm.hot';

export function loadConfig() {
  const quick = process.env.BENCH_QUICK === '1';
  const config = {
    quick,
    duration: intEnv('BENCH_DURATION', quick ? 3 : 6),
    runs: intEnv('BENCH_RUNS', 2),
    connections: intEnv('BENCH_CONNECTIONS', 32),
    // Seconds of the same load, unmeasured, right before each measured run.
    warmup: intEnv('BENCH_WARMUP', 1),
    seedLarge: intEnv('BENCH_SEED_LARGE', quick ? 10_000 : 100_000),
    seedMedium: intEnv('BENCH_SEED_MEDIUM', quick ? 1_000 : 10_000),
    // Payments behind the reconciliation scenario: 5 ledger rows each, so 20,000 → 100,000 entries.
    reconPayments: intEnv('BENCH_RECON_PAYMENTS', quick ? 2_000 : 20_000),
    // Scenario id prefixes that get one extra, CPU-profiled run after all measurements; 'none' for none.
    profile: (process.env.BENCH_PROFILE ?? (quick ? '' : DEFAULT_PROFILES)).split(',').map((s) => s.trim()).filter((s) => s && s !== 'none'),
    only: (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    keepState: process.env.BENCH_KEEP_STATE === '1',
    // Reuse seeded stores of an earlier run (.wrangler/bench-cache): 'layout' (default: same DO
    // schema, migrations and seeder), 'strict' (same seeder bundle, i.e. same code), false (off).
    seedCache: process.env.BENCH_SEED_CACHE === '0' ? false : process.env.BENCH_SEED_CACHE === 'strict' ? 'strict' : 'layout',
    // Seconds to wait, before each measured run, for other processes to go quiet (0 = don't wait),
    // and the most waiting in total, so a machine that never goes quiet does not stall the run.
    quietWait: intEnv('BENCH_QUIET_WAIT', quick ? 3 : 10),
    quietBudget: intEnv('BENCH_QUIET_BUDGET', quick ? 20 : 60),
    // Where Miniflare persists DO/D1 SQLite files; default .wrangler/bench/<stamp> on the repo's disk.
    persistDir: process.env.BENCH_PERSIST_DIR || null,
  };
  if (config.duration < 1 || config.runs < 1 || config.connections < 1) throw new Error('duration, runs and connections must be ≥ 1');
  return config;
}

/** BENCH_ONLY=customers.create,ceiling → every scenario whose id starts with one of the prefixes. */
export function selected(config, scenario) {
  return config.only.length === 0 || config.only.some((prefix) => scenario.id.startsWith(prefix));
}

/** BENCH_PROFILE=customers.create.hot,… → an extra profiled run for each matching scenario. */
export function profiled(config, scenario) {
  return config.profile.some((prefix) => scenario.id.startsWith(prefix));
}

function versionOf(root, pkg) {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

function workerdVersion(root) {
  try {
    const bin = path.join(root, 'node_modules/@cloudflare/workerd-linux-64/bin/workerd');
    return execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return `npm workerd ${versionOf(root, 'workerd')}`;
  }
}

export function describeMachine(root, pinned) {
  const cpus = os.cpus();
  const machine = {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    workerd: workerdVersion(root),
    miniflare: versionOf(root, 'miniflare'),
    wrangler: versionOf(root, 'wrangler'),
    autocannon: versionOf(root, 'autocannon'),
    stripeStatefulMock: versionOf(root, 'stripe-stateful-mock'),
    pinning: pinned ? 'server tree on core 1, load generator on core 0 (taskset)' : `none (${taskset() ? 'pinning failed' : 'no taskset'})`,
  };
  machine.summary = `${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.kernel}, Node ${machine.node}, ${machine.workerd}, ${machine.pinning}`;
  return machine;
}
