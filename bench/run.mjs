// `npm run bench` — see BENCH.md. Bundles edgepay and the ceiling worker, runs each server in a
// child process pinned to core 1 (Miniflare directly, on-disk persistence; the peer
// stripe-stateful-mock likewise), drives it with autocannon in this process pinned to core 0,
// prints a table with ratios and target verdicts, and writes bench/results/<timestamp>.{json,md}.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSigningKey, publicKeySet } from '../scripts/lib/keys.mjs';
import { bundleCeiling, bundleEdgepay, typecheckBenchWorkers } from './lib/build.mjs';
import { describeMachine, loadConfig, profiled, selected } from './lib/config.mjs';
import { pinSelf, taskset } from './lib/cpu.mjs';
import { createHarness } from './lib/harness.mjs';
import { computeRatios, evaluateTargets, renderMarkdown, renderText, summarize } from './lib/report.mjs';
import { profiledRun, runScenario } from './lib/runner.mjs';
import { plannedSeeds, restoreSeedCache, saveSeedCache, seedAll, seedCacheKey, seededAccessor } from './lib/seeding.mjs';
import { killAllServers, startServer } from './lib/servers.mjs';
import { RATIOS, SCENARIOS, SERVER_ORDER, TARGETS } from './scenarios/index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOAD_CORE = 0;
const SERVER_CORE = 1;
const UNRECOGNIZED = /Unrecognized request URL/;
const SEED_CACHE_ROOT = path.join(root, '.wrangler/bench-cache');

const log = (line) => process.stderr.write(`${line}\n`);

/** Each `requires: '<resource>'` is available unless `POST /v1/<resource>` answers 404 (no such route). */
async function probeFeatures(h, scenarios) {
  const account = await h.account('probe');
  const features = {};
  for (const name of new Set(scenarios.map((s) => s.requires).filter(Boolean))) {
    const response = await h.fetch('POST', `/v1/${name}`, { key: account.key, body: '' });
    features[name] = !(response.status === 404 && UNRECOGNIZED.test(response.body));
  }
  return features;
}

async function startFor(kind, paths, bindings, pinned, scriptOverride = null, inspect = false) {
  const scriptPath = scriptOverride ?? (kind === 'edgepay' ? paths.edgepayScript : kind === 'ceiling' ? paths.ceilingScript : null);
  return startServer({
    kind,
    root,
    scriptPath,
    persistRoot: path.join(paths.state, kind),
    bindings,
    core: pinned ? SERVER_CORE : null,
    logPath: path.join(paths.results, `${paths.stamp}.${kind}.log`),
    inspect,
  });
}

/** Seeds the stores the scenarios declare with the bench-only seeder bundle, then stops it. */
async function preseed(kind, scenarios, env, bindings) {
  const seeds = kind === 'edgepay' ? plannedSeeds(scenarios, env.config) : [];
  if (seeds.length === 0) return new Map();
  const persistDir = path.join(env.paths.state, kind);
  const bundleSeeder = async () => {
    log('type-checking and bundling the bench-only seeder…');
    const typeErrors = await typecheckBenchWorkers(root);
    if (typeErrors) log(`WARNING: bench/workers no longer type-check against edgepay's code; the seeder may fail:\n${typeErrors}`);
    return (await bundleEdgepay(root, path.join(env.paths.state, 'dist-seed'), 'bench/workers/edgepay-seed.ts')).scriptPath;
  };
  const strict = env.config.seedCache === 'strict';
  let seedScript = strict ? await bundleSeeder() : null;
  const cacheKey = await seedCacheKey(root, seeds, seedScript);
  const cached = env.config.seedCache ? await restoreSeedCache(SEED_CACHE_ROOT, cacheKey, persistDir, env.signingKey) : null;
  if (cached) {
    log(`seeded stores restored from the seed cache (${cacheKey})`);
    env.ctxBase.seeding.push(...cached.entries);
    return cached.accounts;
  }
  seedScript ??= await bundleSeeder();
  log(`starting the seeder (${seeds.map((s) => `${s.name}: ${s.count}`).join(', ')})…`);
  const seeder = await startFor(kind, env.paths, bindings, env.pinned, seedScript);
  let seeded;
  try {
    seeded = await seedAll(seeder, seeds, { signingKey: env.signingKey, connections: env.config.connections, log });
  } finally {
    await seeder.stop();
  }
  env.ctxBase.seeding.push(...seeded.entries);
  if (env.config.seedCache && seeded.accounts.size === seeds.filter((s) => seeded.kinds.includes(s.kind)).length) {
    await saveSeedCache(SEED_CACHE_ROOT, cacheKey, persistDir, seeded.accounts, seeded.entries, gitHead());
  }
  return seeded.accounts;
}

function gitHead() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown commit';
  }
}

/**
 * Measures `scenarios` on one freshly started server of `kind`. With `profile`, instead starts it
 * with the inspector (after all measurements, on the same stores) and adds one profiled run to
 * each scenario's result, so profiling never touches the measured numbers.
 */
async function runServerGroup(kind, scenarios, env, { profile = false } = {}) {
  const { config, paths, signingKey, pinned, results, ctxBase } = env;
  // No request rate limit: the bench measures how much one account can take.
  const bindings = { ENVIRONMENT: 'bench', API_KEY_JWKS: publicKeySet([signingKey]), RATE_LIMIT_TEST_PER_SECOND: '0', RATE_LIMIT_LIVE_PER_SECOND: '0' };
  log(`starting ${kind} server${profile ? ' with the inspector, for CPU profiles' : ''}…`);
  const ctx = { ...ctxBase, server: null, h: null, features: {} };
  const start = async () => {
    ctx.server = await startFor(kind, paths, bindings, pinned, null, profile);
    ctx.h = createHarness({ url: ctx.server.url, server: ctx.server, signingKey, connections: config.connections });
  };
  // A fresh process (same persisted stores): evicts every Durable Object the previous run created.
  ctx.restartServer = async () => {
    await ctx.server.stop();
    await start();
  };
  await start();
  try {
    ctx.features = kind === 'edgepay' ? await probeFeatures(ctx.h, scenarios) : {};
    const runnable = scenarios.filter((s) => !s.requires || ctx.features[s.requires]);
    if (!profile && plannedSeeds(runnable, config).length > 0) {
      // The seeder works on the same files, so the measured server steps aside meanwhile.
      await ctx.server.stop();
      env.preseeded[kind] = await preseed(kind, runnable, env, bindings);
      await start();
    }
    ctx.seeded = seededAccessor(ctx, env.preseeded[kind] ?? new Map());
    let previousFresh = false;
    for (const scenario of scenarios) {
      // Nor does the scenario after one that filled the process with Durable Objects inherit them.
      if (previousFresh && !scenario.freshServerPerRun) await ctx.restartServer();
      previousFresh = Boolean(scenario.freshServerPerRun);
      if (profile) {
        results.get(scenario.id).profile = await profiledRun(scenario, ctx).catch((error) => ({ error: String(error?.message ?? error) }));
        await env.checkpoint();
        continue;
      }
      if (scenario.requires && !ctx.features[scenario.requires]) {
        const reason = `feature not available yet (POST /v1/${scenario.requires} answers 404)`;
        log(`SKIPPED ${scenario.id}: ${reason}`);
        results.set(scenario.id, { id: scenario.id, title: scenario.title, server: kind, status: 'skipped', reason });
        continue;
      }
      log(`${scenario.id}: ${scenario.title}`);
      const result = await runScenario(scenario, ctx);
      result.summary = summarize(result.runs);
      results.set(scenario.id, result);
      await env.checkpoint();
    }
  } finally {
    await ctx.server.stop();
  }
}

async function main() {
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const paths = { stamp, results: path.join(root, 'bench/results'), state: path.join(config.persistDir ?? path.join(root, '.wrangler/bench'), stamp) };
  await mkdir(paths.results, { recursive: true });
  // Up to several GB with the 100k stores: removed on every exit unless BENCH_KEEP_STATE=1.
  if (!config.keepState) stateToRemove = paths.state;
  const pinned = taskset() !== null && (await import('node:os')).cpus().length >= 2 && pinSelf(LOAD_CORE);
  const machine = describeMachine(root, pinned);
  log(`edgepay bench: ${machine.summary}`);
  log('bundling…');
  paths.edgepayScript = (await bundleEdgepay(root, path.join(paths.state, 'dist'))).scriptPath;
  paths.ceilingScript = (await bundleCeiling(root, path.join(paths.state, 'dist-ceiling'))).scriptPath;
  const signingKey = await generateSigningKey();
  const results = new Map();
  const memo = new Map();
  const seeding = [];
  const ctxBase = {
    config,
    seeding,
    log,
    once: (key, fn) => (memo.has(key) ? memo.get(key) : (memo.set(key, fn()), memo.get(key))),
    resultOf: (id) => results.get(id)?.summary ?? null,
    quietSpent: { seconds: 0 },
    saveProfile: (id, profile) => writeFile(path.join(paths.results, `${stamp}.${id}.cpuprofile`), JSON.stringify(profile)),
  };
  const started = Date.now();
  const env = { config, paths, signingKey, pinned, results, ctxBase, preseeded: {} };
  env.checkpoint = () => writeReport(env, machine, started, false);
  for (const kind of SERVER_ORDER) {
    const scenarios = SCENARIOS.filter((s) => s.server === kind && selected(config, s));
    if (scenarios.length > 0) await runServerGroup(kind, scenarios, env);
  }
  for (const kind of SERVER_ORDER.filter((k) => k !== 'peer')) {
    const scenarios = SCENARIOS.filter((s) => s.server === kind && !s.measure && profiled(config, s) && results.get(s.id)?.status === 'ok');
    if (scenarios.length > 0) await runServerGroup(kind, scenarios, env, { profile: true });
  }
  const report = await writeReport(env, machine, started, true);
  console.log(renderText(report));
  console.log(`\n${report.totalSeconds} s; results: bench/results/${stamp}.json (+ .md, server logs .log)`);
  if (!config.keepState) await rm(paths.state, { recursive: true, force: true });
}

/** Warnings and errors the servers logged (bench/results/<stamp>.<kind>.log), counted by message. */
async function summarizeLogs(paths) {
  const summary = {};
  for (const kind of SERVER_ORDER) {
    const text = await readFile(path.join(paths.results, `${paths.stamp}.${kind}.log`), 'utf8').catch(() => '');
    const counts = new Map();
    for (const line of text.split('\n').filter((l) => l.startsWith('[error]') || l.startsWith('[warn]'))) {
      const message = line.replace(/acct_[A-Za-z0-9_]+/g, 'acct_…').replace(/reference = \w+/g, 'reference = …').slice(0, 140);
      counts.set(message, (counts.get(message) ?? 0) + 1);
    }
    if (counts.size > 0) summary[kind] = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([message, count]) => ({ count, message }));
  }
  return summary;
}

/** Writes <stamp>.json and .md; also after every scenario (`complete: false`) so a stopped run keeps its data. */
async function writeReport(env, machine, started, complete) {
  const { config, paths, results, ctxBase } = env;
  const report = {
    startedAt: new Date(started).toISOString(),
    totalSeconds: Math.round((Date.now() - started) / 1000),
    complete,
    machine,
    config,
    scenarios: SCENARIOS.filter((s) => results.has(s.id)).map((s) => results.get(s.id)),
    ratios: computeRatios(results, RATIOS),
    targets: evaluateTargets(results, TARGETS),
    seeding: ctxBase.seeding,
    serverLogs: await summarizeLogs(paths),
  };
  await writeFile(path.join(paths.results, `${paths.stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(paths.results, `${paths.stamp}.md`), `${renderMarkdown(report)}\n`);
  return report;
}

let stateToRemove = null;

function cleanUp() {
  killAllServers();
  if (stateToRemove) rmSync(stateToRemove, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(130));
}
process.on('exit', cleanUp);

main().catch((error) => {
  console.error(error?.stack ?? error);
  killAllServers(); // their IPC channels would otherwise keep this process alive
  process.exitCode = 1;
});
