// Outbox → D1 lag. The bench's D1 (never production's) carries a trigger that stamps the wall-clock
// time at which a lag-probe account's row first lands in `records` (bench/lib/server-child.mjs,
// LANDED_TRIGGER). Every acknowledged create is remembered with the wall-clock time its response
// arrived; lag = landed − acknowledged, exact to about a millisecond and with no polling during
// the load. After the load stops, drain = time until D1 holds every acknowledged write (polled,
// bounded), measured from the trigger's stamps. Probe accounts' ids must start with acct_lag.
import { idOf, sleep } from './harness.mjs';
import { round } from './load.mjs';

const POLL_INTERVAL_MS = 50;
const QUERY_IDS_MAX = 90; // D1 binds at most 100 parameters per statement
const ACKS_MAX = 200_000;
const DRAIN_TIMEOUT_MS = 30_000;
const TAIL = 90;

const wallNow = () => performance.timeOrigin + performance.now();

export function outboxLagProbe({ harness, accountId, object }) {
  const acks = [];
  let acknowledged = 0;
  let measuring = false;

  function onResponse(status, body) {
    if (status !== 200) return;
    acknowledged += 1;
    if (!measuring || acks.length >= ACKS_MAX) return;
    const id = idOf(body);
    if (id !== null) acks.push({ id, ackedAt: wallNow() });
  }

  async function landedTimes(ids) {
    const landed = new Map();
    for (let i = 0; i < ids.length; i += QUERY_IDS_MAX) {
      const chunk = ids.slice(i, i + QUERY_IDS_MAX);
      const rows = await harness.server.d1(`SELECT id, landed_ms FROM bench_landed WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk);
      for (const row of rows) landed.set(row.id, row.landed_ms);
    }
    return landed;
  }

  async function drained() {
    try {
      if ((await harness.d1Count(accountId, object)) < acknowledged) return false;
      const tail = acks.slice(-TAIL).map((a) => a.id);
      return (await landedTimes(tail)).size === tail.length;
    } catch {
      return false; // a query that timed out while D1 is busy: ask again
    }
  }

  /** Acks are counted from the first response (warm-up included); lag is measured from here on. */
  function start() {
    measuring = true;
  }

  /** Call when the load has stopped: waits (bounded) for the backlog to drain and summarises. */
  async function finish() {
    measuring = false;
    const stoppedAt = wallNow();
    const inD1 = await harness.d1Count(accountId, object).catch(() => null);
    const backlogAtStop = inD1 === null ? null : Math.max(0, acknowledged - inD1);
    let complete = false;
    while (!complete && wallNow() - stoppedAt < DRAIN_TIMEOUT_MS) {
      complete = await drained();
      if (!complete) await sleep(POLL_INTERVAL_MS);
    }
    const landed = await landedTimes(acks.map((a) => a.id));
    const lags = acks.filter((a) => landed.has(a.id)).map((a) => landed.get(a.id) - a.ackedAt).sort((x, y) => x - y);
    const lastLanded = Math.max(...landed.values());
    return {
      acknowledged,
      measured: acks.length,
      landed: lags.length,
      lagMs: { p50: percentile(lags, 0.5), p90: percentile(lags, 0.9), p99: percentile(lags, 0.99), max: percentile(lags, 1) },
      backlogAtStop,
      drainSeconds: complete ? round(Math.max(0, lastLanded - stoppedAt) / 1000, 2) : null,
      drainTimeoutSeconds: DRAIN_TIMEOUT_MS / 1000,
    };
  }

  return { onResponse, start, finish };
}

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))], 0);
}
