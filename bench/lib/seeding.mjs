// Large stores for the list, growth and reconciliation scenarios. Seeds are declared by scenarios
// (`seeds`) and created BEFORE the measured server starts: a bench-only bundle
// (bench/workers/edgepay-seed.ts) runs on the same persistence directory and makes the account DOs
// run their real create operation in chunks; the outbox then drains into D1 and the seeder stops.
// A seed with `backdateDays` is made on a past UTC day (its window closed, funds since available);
// its account carries `windowStart`. If in-DO seeding fails, a seed of at most HTTP_SEED_MAX
// objects (and no backdating) falls back to HTTP creates against the measured server.
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { mintApiKey } from '../../scripts/lib/keys.mjs';
import { createHarness } from './harness.mjs';

const SEED_CHUNK = 5_000;
const SEED_CALL_TIMEOUT_MS = 120_000;
const SEED_D1_TIMEOUT_MS = 300_000;
const SEED_SETTLE_TIMEOUT_MS = 600_000;
const SEED_SETTLE_POLL_MS = 500;
const DAY_SECONDS = 86_400;
/** Backdated chunks are spread over this part of their day (01:00–21:00 UTC), clear of midnight. */
const BACKDATE_FIRST_SECONDS = 3_600;
const BACKDATE_SPAN_SECONDS = 20 * 3_600;
/** Above this, a store is never seeded over HTTP (it would take most of an hour). */
const HTTP_SEED_MAX = 20_000;

/** Form bodies with {n}; the same text goes over HTTP or to the in-DO seeder. */
export const SEED_KINDS = {
  customers: { path: '/v1/customers', object: 'customer', template: 'email=seed{n}%40example.com&name=Seed+{n}' },
  payments: {
    path: '/v1/payment_intents',
    object: 'payment_intent',
    template: 'amount=2000&currency=usd&payment_method=pm_card_visa&payment_method_types%5B%5D=card&confirm=true&description=seed+{n}',
  },
};
const bodyOf = (kind) => (n) => SEED_KINDS[kind].template.replaceAll('{n}', String(n));

export const seedName = (spec, run) => (spec.perRun ? `${spec.name}.r${run}` : spec.name);

/** Every seed the selected scenarios declare, one per name (per run where `perRun`). */
export function plannedSeeds(scenarios, config) {
  const byName = new Map();
  for (const scenario of scenarios) {
    for (const spec of scenario.seeds?.(config) ?? []) {
      const runs = spec.perRun ? Array.from({ length: config.runs }, (_, i) => i + 1) : [null];
      for (const run of runs) byName.set(seedName(spec, run), { ...spec, name: seedName(spec, run) });
    }
  }
  return [...byName.values()].filter((s) => s.count > 0);
}

/**
 * A seed call is not idempotent, so it must never be retried; a fresh connection per call avoids
 * the keep-alive race in which the server closes a pooled connection just as it is reused.
 */
function postOnce(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`seed call timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}

/** The UTC day `days` days before today, as [start, end) unix seconds. */
export function pastDay(days, nowMs = Date.now()) {
  const start = (Math.floor(nowMs / 1000 / DAY_SECONDS) - days) * DAY_SECONDS;
  return { start, end: start + DAY_SECONDS };
}

async function seedOne(h, spec, log) {
  const account = await h.account(spec.label ?? 'seed');
  const day = spec.backdateDays ? pastDay(spec.backdateDays) : null;
  const chunks = Math.ceil(spec.count / SEED_CHUNK);
  const started = performance.now();
  for (let from = 0, chunk = 0; from < spec.count; from += SEED_CHUNK, chunk++) {
    const count = Math.min(SEED_CHUNK, spec.count - from);
    const template = encodeURIComponent(SEED_KINDS[spec.kind].template);
    const at = day ? `&at=${day.start + BACKDATE_FIRST_SECONDS + Math.floor((chunk * BACKDATE_SPAN_SECONDS) / chunks)}` : '';
    const query = `kind=${spec.kind}&account=${account.accountId}&from=${from}&count=${count}&template=${template}${at}`;
    const response = await postOnce(`${h.url}/_bench/seed?${query}`, SEED_CALL_TIMEOUT_MS);
    if (response.status !== 200) throw new Error(`seeding ${spec.name} answered ${response.status}: ${response.body}`);
  }
  if (day) await settle(h, account, spec);
  const seconds = (performance.now() - started) / 1000;
  const object = SEED_KINDS[spec.kind].object;
  const d1Seconds = await h.waitForD1(account.accountId, object, spec.count, SEED_D1_TIMEOUT_MS);
  const dated = day ? ` on ${new Date(day.start * 1000).toISOString().slice(0, 10)}, funds since available` : '';
  const entry = { what: `${spec.count} ${spec.kind} (${spec.name})${dated} via the bench-only in-DO seeder`, seconds: round2(seconds), rps: Math.round(spec.count / seconds), d1DrainAfterSeconds: d1Seconds === null ? null : round2(d1Seconds) };
  log(`  seeded ${entry.what}: ${entry.seconds} s, D1 caught up ${entry.d1DrainAfterSeconds ?? 'never'} s later`);
  return { account: day ? { ...account, windowStart: day.start, windowEnd: day.end } : account, entry };
}

/** Clocks back to now; waits until every payment's funds are available and the outbox is in D1. */
async function settle(h, account, spec) {
  const response = await postOnce(`${h.url}/_bench/settle?account=${account.accountId}`, SEED_CALL_TIMEOUT_MS);
  if (response.status !== 200) throw new Error(`settling ${spec.name} answered ${response.status}: ${response.body}`);
  const started = performance.now();
  let backlog = null;
  while (performance.now() - started < SEED_SETTLE_TIMEOUT_MS) {
    backlog = await fetch(`${h.url}/_bench/backlog?account=${account.accountId}`).then((r) => r.json()).catch(() => null);
    if (backlog && backlog.outbox === 0 && backlog.pendingAvailability === 0) return;
    await new Promise((resolve) => setTimeout(resolve, SEED_SETTLE_POLL_MS));
  }
  throw new Error(`settling ${spec.name} did not finish in ${SEED_SETTLE_TIMEOUT_MS / 1000} s (last backlog ${JSON.stringify(backlog)})`);
}

/** Runs the seeder server (already started by the caller) over every planned seed it supports. */
export async function seedAll(server, seeds, { signingKey, connections, log }) {
  const h = createHarness({ url: server.url, server, signingKey, connections });
  const kinds = (await (await fetch(`${server.url}/_bench/seed-kinds`)).json()).kinds;
  const accounts = new Map();
  const entries = [];
  for (const spec of seeds.filter((s) => kinds.includes(s.kind))) {
    try {
      const { account, entry } = await seedOne(h, spec, log);
      accounts.set(spec.name, account);
      entries.push(entry);
    } catch (error) {
      const cause = error.cause ? ` (${error.cause.message ?? error.cause})` : '';
      log(`  in-DO seeding of ${spec.name} failed (${error.message}${cause}); it will be seeded over HTTP instead`);
    }
  }
  return { accounts, entries, kinds };
}

/** The scenario-side accessor: the pre-seeded account, or an HTTP-seeded one (once per name). */
export function seededAccessor(ctx, preseeded) {
  return (spec, run = null) => {
    const name = seedName(spec, run);
    if (preseeded.has(name)) return Promise.resolve(preseeded.get(name));
    return ctx.once(name, () => seedOverHttp(ctx, spec, name));
  };
}

async function seedOverHttp(ctx, spec, name) {
  const seeder = SEED_KINDS[spec.kind];
  if (spec.backdateDays) throw new Error(`${name}: in-DO seeding failed, and a backdated store cannot be made over HTTP`);
  if (spec.count > HTTP_SEED_MAX) throw new Error(`${name}: in-DO seeding failed and ${spec.count} objects are too many to create over HTTP`);
  const account = await ctx.h.account(spec.label ?? 'seed');
  if (spec.count === 0) return account;
  const created = await ctx.h.bulkCreate(account, seeder.path, spec.count, bodyOf(spec.kind));
  const d1Seconds = await ctx.h.waitForD1(account.accountId, seeder.object, spec.count - created.errors, SEED_D1_TIMEOUT_MS);
  ctx.seeding.push({ what: `${spec.count} ${spec.kind} (${name}) over HTTP`, seconds: created.seconds, rps: created.rps, d1DrainAfterSeconds: d1Seconds === null ? null : round2(d1Seconds) });
  return account;
}

const round2 = (x) => Math.round(x * 100) / 100;

// ── Seed cache ───────────────────────────────────────────────────────────────────────────────
// Seeding 100,000 payments runs the real confirm 100,000 times (minutes), so the seeded persistence
// directory is kept in .wrangler/bench-cache/<key>/ (one entry, git-ignored) and copied into later
// runs. By default the key covers what decides the stored layout — the DO schema, the D1
// migrations, wrangler.toml, the seeder and the seed list — so ordinary code changes reuse the
// store, like production data written by an older version; every scenario verifies its store
// before use. BENCH_SEED_CACHE=strict keys on the whole seeder bundle instead (any change re-seeds).
const LAYOUT_FILES = ['durable-objects/schema.ts', 'wrangler.toml', 'bench/workers/edgepay-seed.ts', 'bench/lib/seeding.mjs'];

export async function seedCacheKey(root, seeds, strictBundlePath = null) {
  const hash = createHash('sha256');
  if (strictBundlePath) hash.update(await readFile(strictBundlePath));
  else {
    const migrations = (await readdir(path.join(root, 'migrations'))).filter((f) => f.endsWith('.sql')).sort().map((f) => `migrations/${f}`);
    for (const file of [...LAYOUT_FILES, ...migrations]) hash.update(`${file}\0`).update(await readFile(path.join(root, file)));
  }
  hash.update(JSON.stringify(seeds.map(({ name, kind, count, backdateDays }) => [name, kind, count, SEED_KINDS[kind].template, backdateDays ?? 0])));
  return `${strictBundlePath ? 'strict' : 'layout'}-${hash.digest('hex').slice(0, 20)}`;
}

/** Copies a cached seeded store into `persistDir`; null when there is none for this key. */
export async function restoreSeedCache(cacheRoot, key, persistDir, signingKey) {
  const dir = path.join(cacheRoot, key);
  let meta;
  try {
    meta = JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8'));
  } catch {
    return null;
  }
  await cp(path.join(dir, 'store'), persistDir, { recursive: true });
  const accounts = new Map();
  for (const { name, ...stored } of meta.accounts) {
    accounts.set(name, { ...stored, key: (await mintApiKey(signingKey, { accountId: stored.accountId, ttlSeconds: 86_400 })).key });
  }
  const entries = meta.entries.map((e) => ({ ...e, what: `${e.what} — restored from the seed cache (seeded at ${meta.commit}, took ${e.seconds} s then)` }));
  return { accounts, entries };
}

/** Keeps this entry and the most recent other one (e.g. one quick and one full store). */
export async function saveSeedCache(cacheRoot, key, persistDir, accounts, entries, commit) {
  await mkdir(cacheRoot, { recursive: true });
  const others = [];
  for (const name of await readdir(cacheRoot)) others.push({ name, mtime: (await stat(path.join(cacheRoot, name))).mtimeMs });
  others.sort((a, b) => b.mtime - a.mtime);
  for (const { name } of others.slice(1)) await rm(path.join(cacheRoot, name), { recursive: true, force: true });
  const dir = path.join(cacheRoot, key);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(persistDir, path.join(dir, 'store'), { recursive: true });
  const meta = { key, commit, accounts: [...accounts].map(([name, { key: _key, ...stored }]) => ({ name, ...stored })), entries };
  await writeFile(path.join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
}
