// Child process that hosts one server under test, pinned by the parent (`taskset -c 1`).
// argv[2] = JSON { kind: 'edgepay' | 'ceiling' | 'peer', root, scriptPath, persistRoot, bindings, inspect }.
// Talks to the parent over IPC: → { type: 'ready', url, pid }; ← { id, op: 'd1', sql, params }
// → { id, ok, value | error }; ← { op: 'stop' } → disposes and exits.
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const config = JSON.parse(process.argv[2]);
const D1_QUERY_TIMEOUT_MS = 30_000;

async function startMiniflare() {
  const { Miniflare } = await import('miniflare');
  const options = config.kind === 'edgepay' ? await edgepayOptions() : ceilingOptions();
  const inspectorPort = config.inspect ? await freePort() : undefined;
  const mf = new Miniflare({
    ...options,
    ...(inspectorPort ? { inspectorPort } : {}),
    host: '127.0.0.1',
    port: 0,
    cf: false,
    defaultPersistRoot: config.persistRoot,
    // Only warnings and errors reach the log file (bench/results/<stamp>.<kind>.log); info-level
    // console output is dropped so logging does not cost CPU on the measured core.
    handleStructuredLogs: ({ level, message }) => {
      if (level === 'warn' || level === 'error') process.stderr.write(`[${level}] ${message}\n`);
    },
  });
  const url = await mf.ready;
  if (config.kind === 'edgepay') await applyMigrations(mf);
  const inspector = inspectorPort ? `http://127.0.0.1:${inspectorPort}` : null;
  return { url: url.href.replace(/\/$/, ''), inspector, mf, stop: () => mf.dispose() };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = http.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function edgepayOptions() {
  const { unstable_getMiniflareWorkerOptions } = await import('wrangler');
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(config.root, 'wrangler.toml'));
  const { modulesRules: _ignored, ...rest } = workerOptions;
  return {
    ...rest,
    name: 'edgepay',
    scriptPath: config.scriptPath,
    modulesRoot: path.dirname(config.scriptPath),
    modules: true,
    bindings: { ...rest.bindings, ...config.bindings },
  };
}

// Bench-only (this database only, never a production migration): the wall-clock time at which a
// lag-probe account's row first lands in `records`, for bench/lib/outbox-lag.mjs.
const LANDED_TRIGGER = [
  'CREATE TABLE IF NOT EXISTS bench_landed (id TEXT PRIMARY KEY, landed_ms REAL NOT NULL)',
  `CREATE TRIGGER IF NOT EXISTS bench_landed_stamp AFTER INSERT ON records WHEN NEW.account_id LIKE 'acct\\_lag%' ESCAPE '\\'
   BEGIN INSERT OR IGNORE INTO bench_landed (id, landed_ms) VALUES (NEW.id, (julianday('now') - 2440587.5) * 86400000.0); END`,
];

// The D1 migrations, applied the way `wrangler d1 migrations apply --local` would: split, then batched.
async function applyMigrations(mf) {
  const { unstable_splitSqlQuery } = await import('wrangler');
  const dir = path.join(config.root, 'migrations');
  const db = await mf.getD1Database('DB');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const applied = new Set();
  await db.exec('CREATE TABLE IF NOT EXISTS bench_migrations (name TEXT PRIMARY KEY)');
  for (const row of (await db.prepare('SELECT name FROM bench_migrations').all()).results) applied.add(row.name);
  for (const file of files.filter((f) => !applied.has(f))) {
    const statements = unstable_splitSqlQuery(await readFile(path.join(dir, file), 'utf8'));
    await db.batch([...statements.map((s) => db.prepare(s)), db.prepare('INSERT INTO bench_migrations (name) VALUES (?)').bind(file)]);
  }
  await db.batch(LANDED_TRIGGER.map((s) => db.prepare(s)));
}

function ceilingOptions() {
  return {
    name: 'ceiling',
    scriptPath: config.scriptPath,
    modulesRoot: path.dirname(config.scriptPath),
    modules: true,
    compatibilityDate: '2026-04-20',
    compatibilityFlags: ['nodejs_compat'],
    durableObjects: { CEILING: { className: 'Ceiling', useSQLite: true } },
  };
}

// stripe-stateful-mock, unmodified, through its documented `createExpressApp()` so that it binds
// to 127.0.0.1 only (its autostart listens on every interface).
async function startPeer() {
  const require = createRequire(path.join(config.root, 'package.json'));
  process.env.LOG_LEVEL = 'silent';
  const mock = require('stripe-stateful-mock');
  const server = http.createServer(mock.createExpressApp());
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, mf: null, stop: () => new Promise((r) => server.close(r)) };
}

async function queryD1(mf, sql, params) {
  const db = await mf.getD1Database('DB');
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('D1 query timed out')), D1_QUERY_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([db.prepare(sql).bind(...params).all(), timeout]);
    return result.results;
  } finally {
    clearTimeout(timer);
  }
}

async function main() {
  const server = config.kind === 'peer' ? await startPeer() : await startMiniflare();
  process.on('message', async (message) => {
    if (message.op === 'stop') {
      await server.stop().catch(() => {});
      process.exit(0);
    }
    if (message.op === 'd1') {
      try {
        if (!server.mf) throw new Error('no D1 on this server');
        process.send({ id: message.id, ok: true, value: await queryD1(server.mf, message.sql, message.params ?? []) });
      } catch (error) {
        process.send({ id: message.id, ok: false, error: String(error?.message ?? error) });
      }
    }
  });
  process.on('disconnect', () => {
    void server.stop().finally(() => process.exit(0));
  });
  process.send({ type: 'ready', url: server.url, inspector: server.inspector ?? null, pid: process.pid });
}

// A stray rejection in this helper must not take the server under test down mid-run.
process.on('unhandledRejection', (error) => console.error(`bench server (${config.kind}) unhandled rejection: ${error?.stack ?? error}`));

main().catch((error) => {
  console.error(`bench server (${config.kind}) failed to start: ${error?.stack ?? error}`);
  process.exit(1);
});
