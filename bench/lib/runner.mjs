// Runs one declarative scenario: per run a fresh `prepare`, a warm-up on the same request
// generator, the measured load, optional outbox probe and `after` extras; then waits until the
// server is idle again so background work (outbox drain) does not leak into the next measurement.
import { machineCpuSeconds } from './cpu.mjs';
import { sleep } from './harness.mjs';
import { round, runLoad } from './load.mjs';
import { startProfile, summariseProfile } from './profile.mjs';

const IDLE_WINDOW_MS = 500;
const IDLE_CPU_SHARE = 0.05;
const IDLE_TIMEOUT_MS = 60_000;

export async function waitForIdle(server) {
  const started = performance.now();
  while (performance.now() - started < IDLE_TIMEOUT_MS) {
    const before = server.cpuSeconds();
    await sleep(IDLE_WINDOW_MS);
    if ((server.cpuSeconds() - before) / (IDLE_WINDOW_MS / 1000) < IDLE_CPU_SHARE) return (performance.now() - started) / 1000;
  }
  return null;
}

const QUIET_WINDOW_MS = 1_000;
/** Other processes may use this much of a core before a run counts as disturbed. */
export const QUIET_SHARE = 0.25;

/**
 * Other work on this machine (other processes' CPU) distorts a 2-core measurement. Waits, bounded,
 * for a window in which it stays under QUIET_SHARE of one core; returns seconds waited (null if
 * it never got quiet — the run then goes ahead and is flagged by its own `cpu.foreign`).
 */
export async function waitForQuiet(server, maxSeconds) {
  const started = performance.now();
  do {
    const machine0 = machineCpuSeconds().busy;
    const server0 = server.cpuSeconds();
    const self0 = process.cpuUsage();
    await sleep(QUIET_WINDOW_MS);
    const self = process.cpuUsage(self0);
    const foreign = machineCpuSeconds().busy - machine0 - (server.cpuSeconds() - server0) - (self.user + self.system) / 1e6;
    if (foreign / (QUIET_WINDOW_MS / 1000) < QUIET_SHARE) return round((performance.now() - started) / 1000, 1);
  } while (performance.now() - started < maxSeconds * 1000);
  return null;
}

async function warmUp(ctx, server, requests) {
  if (ctx.config.warmup <= 0) return null;
  return runLoad({ url: server.url, connections: ctx.config.connections, duration: ctx.config.warmup, requests }, null);
}

/** waitForQuiet within the run-wide budget (ctx.quietSpent accumulates); 'budget spent' once it is. */
async function quietGate(ctx, server) {
  const left = Math.min(ctx.config.quietWait, ctx.config.quietBudget - ctx.quietSpent.seconds);
  if (left <= 0) return 'budget spent';
  const started = performance.now();
  const waited = await waitForQuiet(server, left);
  ctx.quietSpent.seconds += (performance.now() - started) / 1000;
  return waited;
}

/** One extra run (not in the table) under the V8 sampling profiler; returns the summary. */
export async function profiledRun(scenario, ctx) {
  ctx.log(`${scenario.id}: profiling one extra run`);
  if (scenario.freshServerPerRun) await ctx.restartServer();
  const server = ctx.server;
  const state = scenario.prepare ? await scenario.prepare(ctx, ctx.config.runs + 1) : {};
  const requests = scenario.requests(state, ctx);
  await waitForIdle(server);
  await warmUp(ctx, server, requests);
  const profiler = await startProfile(server.inspector, server.kind);
  const measured = await runLoad({ url: server.url, connections: ctx.config.connections, duration: ctx.config.duration, requests }, server);
  const profile = await profiler.stop();
  await ctx.saveProfile(scenario.id, profile);
  const summary = { rpsWhileProfiling: measured.rps, ...summariseProfile(profile, server.scriptPath) };
  ctx.log(`  ${scenario.id} profiled: ${summary.modules.slice(0, 5).map((m) => `${m.name} ${m.percent}%`).join(', ')}`);
  return summary;
}

/**
 * A job scenario (`measure` instead of `requests`): one timed piece of work per run, not a load.
 * Server CPU and other processes' CPU are sampled around it like around a load run.
 */
async function runJob(scenario, ctx, run) {
  const server = ctx.server;
  ctx.setupProblems = [];
  const state = scenario.prepare ? await scenario.prepare(ctx, run) : {};
  await waitForIdle(server);
  const quietAfterSeconds = await quietGate(ctx, server);
  const serverCpu0 = server.cpuSeconds();
  const self0 = process.cpuUsage();
  const machine0 = machineCpuSeconds().busy;
  const started = performance.now();
  const job = await scenario.measure(ctx, state, run);
  const seconds = (performance.now() - started) / 1000;
  const serverCpuSeconds = server.cpuSeconds() - serverCpu0;
  const self = process.cpuUsage(self0);
  const foreign = Math.max(0, machineCpuSeconds().busy - machine0 - serverCpuSeconds - (self.user + self.system) / 1e6);
  const measured = {
    job: true,
    seconds: round(seconds, 2),
    cpu: { serverSeconds: round(serverCpuSeconds, 2), server: round((serverCpuSeconds / seconds) * 100, 0), foreign: round((foreign / seconds) * 100, 0) },
    quietAfterSeconds,
    ...job,
  };
  measured.disturbed = measured.cpu.foreign > QUIET_SHARE * 100;
  if (ctx.setupProblems.length > 0) measured.setupProblems = ctx.setupProblems;
  ctx.log(`  ${scenario.id} run ${run}: ${measured.seconds} s, server CPU ${measured.cpu.serverSeconds} s${scenario.describe ? `, ${scenario.describe(measured)}` : ''}${measured.disturbed ? ' (DISTURBED)' : ''}`);
  return measured;
}

export async function runScenario(scenario, ctx) {
  const result = { id: scenario.id, title: scenario.title, server: scenario.server, status: 'ok', runs: [] };
  if (scenario.measure) {
    try {
      for (let run = 1; run <= ctx.config.runs; run++) result.runs.push(await runJob(scenario, ctx, run));
    } catch (error) {
      result.status = 'failed';
      result.reason = String(error?.message ?? error);
      ctx.log(`  ${scenario.id} FAILED: ${result.reason}`);
    }
    return result;
  }
  const expect = String(scenario.expectStatus ?? 200);
  try {
    for (let run = 1; run <= ctx.config.runs; run++) {
      if (scenario.freshServerPerRun) await ctx.restartServer();
      const server = ctx.server;
      ctx.setupProblems = [];
      const state = scenario.prepare ? await scenario.prepare(ctx, run) : {};
      const requests = scenario.requests(state, ctx);
      await waitForIdle(server);
      const warm = await warmUp(ctx, server, requests);
      if (warm && warm.requests - (warm.statuses[expect] ?? 0) > 0) ctx.setupProblems.push(`warm-up: ${JSON.stringify(warm.statuses)}, ${warm.errors} errors`);
      const quietAfterSeconds = await quietGate(ctx, server);
      state.probe?.start();
      scenario.beforeMeasure?.(state);
      const limit = scenario.limit ? scenario.limit(state, ctx) : undefined;
      const measured = await runLoad({ url: server.url, connections: ctx.config.connections, duration: ctx.config.duration, limit, requests }, server);
      measured.unexpected = measured.requests - (measured.statuses[expect] ?? 0);
      measured.quietAfterSeconds = quietAfterSeconds;
      measured.disturbed = (measured.cpu.foreign ?? 0) > QUIET_SHARE * 100;
      // Failures outside the measured window (setup, warm-up) are not in the numbers but are reported.
      if (ctx.setupProblems.length > 0) measured.setupProblems = ctx.setupProblems;
      if (state.probe) measured.outbox = await state.probe.finish();
      Object.assign(measured, scenario.after ? await scenario.after(ctx, state, measured) : {});
      result.runs.push(measured);
      ctx.log(`  ${scenario.id} run ${run}: ${measured.rps} req/s, p99 ${measured.latencyMs.p99} ms, unexpected ${measured.unexpected}, other processes ${measured.cpu.foreign}% of a core${measured.disturbed ? ' (DISTURBED)' : ''}`);
      for (const problem of ctx.setupProblems) ctx.log(`    outside the measurement: ${problem}`);
    }
  } catch (error) {
    result.status = 'failed';
    result.reason = String(error?.message ?? error) + (error?.cause ? ` (${error.cause.message ?? error.cause})` : '');
    ctx.log(`  ${scenario.id} FAILED: ${result.reason}`);
  }
  return result;
}
