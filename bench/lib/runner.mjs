// Runs one declarative scenario: per run a fresh `prepare`, a warm-up on the same request
// generator, the measured load, optional outbox probe and `after` extras; then waits until the
// server is idle again so background work (outbox drain) does not leak into the next measurement.
import { sleep } from './harness.mjs';
import { runLoad } from './load.mjs';

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

export async function runScenario(scenario, ctx, server) {
  const result = { id: scenario.id, title: scenario.title, server: scenario.server, status: 'ok', runs: [] };
  const expect = String(scenario.expectStatus ?? 200);
  try {
    for (let run = 1; run <= ctx.config.runs; run++) {
      const state = scenario.prepare ? await scenario.prepare(ctx, run) : {};
      const requests = scenario.requests(state, ctx);
      await waitForIdle(server);
      if (ctx.config.warmup > 0) await runLoad({ url: server.url, connections: ctx.config.connections, amount: ctx.config.warmup, requests }, null);
      state.probe?.start();
      const limit = scenario.limit ? scenario.limit(state, ctx) : undefined;
      const measured = await runLoad({ url: server.url, connections: ctx.config.connections, duration: ctx.config.duration, limit, requests }, server);
      measured.unexpected = measured.requests - (measured.statuses[expect] ?? 0);
      if (state.probe) measured.outbox = await state.probe.finish();
      Object.assign(measured, scenario.after ? await scenario.after(ctx, state, measured) : {});
      result.runs.push(measured);
      ctx.log(`  ${scenario.id} run ${run}: ${measured.rps} req/s, p99 ${measured.latencyMs.p99} ms, unexpected ${measured.unexpected}`);
    }
  } catch (error) {
    result.status = 'failed';
    result.reason = String(error?.message ?? error) + (error?.cause ? ` (${error.cause.message ?? error.cause})` : '');
    ctx.log(`  ${scenario.id} FAILED: ${result.reason}`);
  }
  return result;
}
