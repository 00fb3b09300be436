// Outbox → D1 lag: every `sampleEvery`-th acknowledged create is sampled (id + time the response
// arrived); a poller asks D1 (through Miniflare's getD1Database in the server child) which sampled
// ids have landed. Lag = end of the poll that first saw the row − acknowledgement, so it is an
// upper bound with the poll interval as resolution. After the load stops, drain = time until D1
// holds every acknowledged create. All loops are bounded.
import { idOf, sleep } from './harness.mjs';
import { round } from './load.mjs';

const POLL_INTERVAL_MS = 50;
const POLL_BATCH_MAX = 200;
const SAMPLES_MAX = 5_000;
const DRAIN_TIMEOUT_MS = 30_000;

export function outboxLagProbe({ harness, accountId, object, sampleEvery = 10 }) {
  const samples = [];
  const byId = new Map();
  let acknowledged = 0;
  let sampling = false;
  let polling = false;
  let pollLoop = null;

  function onResponse(status, body) {
    if (status !== 200) return;
    acknowledged += 1;
    if (!sampling || acknowledged % sampleEvery !== 0 || samples.length >= SAMPLES_MAX) return;
    const id = idOf(body);
    if (id === null) return;
    const sample = { id, ackedAt: performance.now(), seenAt: null };
    samples.push(sample);
    byId.set(id, sample);
  }

  async function pollOnce() {
    const pending = samples.filter((s) => s.seenAt === null).slice(0, POLL_BATCH_MAX);
    if (pending.length === 0) return;
    const marks = pending.map(() => '?').join(',');
    const rows = await harness.server.d1(
      `SELECT id FROM records WHERE account_id = ? AND livemode = 0 AND id IN (${marks})`,
      [accountId, ...pending.map((s) => s.id)],
    );
    const seenAt = performance.now();
    for (const row of rows) {
      const sample = byId.get(row.id);
      if (sample && sample.seenAt === null) sample.seenAt = seenAt;
    }
  }

  /** Acks are counted from the first response (warm-up included); sampling starts here. */
  function start() {
    sampling = true;
    polling = true;
    pollLoop = (async () => {
      while (polling) {
        await pollOnce().catch(() => {});
        await sleep(POLL_INTERVAL_MS);
      }
    })();
  }

  /** Call when the load has stopped: waits (bounded) for the backlog to drain and summarises. */
  async function finish() {
    const stoppedAt = performance.now();
    const backlogAtStop = acknowledged - (await harness.d1Count(accountId, object));
    let drainedAt = null;
    while (performance.now() - stoppedAt < DRAIN_TIMEOUT_MS) {
      if ((await harness.d1Count(accountId, object)) >= acknowledged) {
        drainedAt = performance.now();
        break;
      }
      await sleep(POLL_INTERVAL_MS);
    }
    sampling = false;
    polling = false;
    await pollLoop;
    await pollOnce().catch(() => {});
    const lags = samples.filter((s) => s.seenAt !== null).map((s) => s.seenAt - s.ackedAt).sort((a, b) => a - b);
    return {
      acknowledged,
      sampled: samples.length,
      seen: lags.length,
      pollIntervalMs: POLL_INTERVAL_MS,
      lagMs: {
        p50: percentile(lags, 0.5),
        p99: percentile(lags, 0.99),
        max: lags.length ? round(lags[lags.length - 1], 0) : null,
      },
      backlogAtStop,
      drainSeconds: drainedAt === null ? null : round((drainedAt - stoppedAt) / 1000, 2),
      drainTimeoutSeconds: DRAIN_TIMEOUT_MS / 1000,
    };
  }

  return { onResponse, start, finish };
}

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))], 0);
}
