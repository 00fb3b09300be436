#!/usr/bin/env node
// `npm start`: the whole local stack, offline.
//  1. make sure a signing key exists (generated on first run, git-ignored) and write the dev vars;
//  2. apply D1 migrations to the local database;
//  3. run `wrangler dev` on 127.0.0.1:$PORT (default 8787), persisting under .wrangler/state;
//  4. once it answers HTTP, apply revocations queued while the server was down;
//  5. mint a demo key for acct_demo and print how to use it (the "ready" banner);
//  6. when the signing keys change (`npm run key -- --rotate` or `--revoke <kid>`), make wrangler
//     reload: it watches wrangler.toml but not the dev vars file, so touch wrangler.toml's mtime;
//  7. forward SIGINT/SIGTERM/SIGHUP to wrangler and exit with it; also stop when orphaned (npm
//     relays a SIGTERM only to the `sh` running this script, which then dies without passing it on).
// EDGEPAY_STATE_DIR (and EDGEPAY_PERSIST_DIR) move all local state elsewhere — see lib/state.mjs.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { unwatchFile, utimesSync, watchFile } from 'node:fs';
import net from 'node:net';
import { constants } from 'node:os';
import path from 'node:path';
import { mintRegisteredKey } from './lib/mint.mjs';
import { applyPendingRevocations } from './lib/revoke.mjs';
import { answers, baseUrl, HOST, waitUntilAnswering } from './lib/server.mjs';
import {
  ensureSigningKeys,
  processAlive,
  PROJECT_ROOT,
  readServerInfo,
  removeServerInfo,
  statePaths,
  writeDevVars,
  writeServerInfo,
} from './lib/state.mjs';

const DEFAULT_PORT = 8787;
const DEMO_ACCOUNT = 'acct_demo';
const MIGRATIONS_TIMEOUT_MS = 120_000;
const READY_TIMEOUT_MS = 120_000;
const DEV_VARS_POLL_MS = 500;
const PARENT_POLL_MS = 1_000;
const WRANGLER = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');

/** Everything wrangler might otherwise reach the network for (or read from the shell) is off. */
const CHILD_ENV = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV: 'true',
  CLOUDFLARE_INCLUDE_PROCESS_ENV: 'false',
};

function fail(message) {
  process.stderr.write(`edgepay: ${message}\n`);
  process.exit(1);
}

function parsePort(text) {
  if (text === undefined || text === '') return DEFAULT_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT must be an integer 1-65535, got "${text}"`);
  return port;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

function wrangler(args, options) {
  return spawn(process.execPath, [WRANGLER, ...args], { cwd: PROJECT_ROOT, env: CHILD_ENV, ...options });
}

function applyMigrations(paths) {
  return new Promise((resolve) => {
    const child = wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', paths.persistDir], {
      env: { ...CHILD_ENV, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), MIGRATIONS_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, output });
    });
  });
}

function startDevServer(paths, port) {
  const args = [
    'dev',
    '--ip', HOST,
    '--port', String(port),
    '--persist-to', paths.persistDir,
    '--env-file', paths.devVars,
    '--var', 'ENVIRONMENT:development',
    // Local tooling may fire bursts at one account: no rate limit unless asked for (README).
    ...(process.env.RATE_LIMITS === 'stripe' ? [] : ['--var', 'RATE_LIMIT_TEST_PER_SECOND:0', '--var', 'RATE_LIMIT_LIVE_PER_SECOND:0']),
    // Opt-in for receiving test-mode webhooks on this machine (README "Webhooks"); never on by default.
    ...(process.env.WEBHOOKS_ALLOW_LOCALHOST === 'true' ? ['--var', 'WEBHOOKS_ALLOW_LOCALHOST:true'] : []),
    '--show-interactive-dev-session=false',
  ];
  return wrangler(args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** wrangler dev re-reads its vars (API_KEY_JWKS) when its config file changes, not otherwise. */
function reloadOnKeyChanges(paths) {
  const config = path.join(PROJECT_ROOT, 'wrangler.toml');
  watchFile(paths.devVars, { interval: DEV_VARS_POLL_MS }, (now, before) => {
    if (now.mtimeMs === before.mtimeMs) return;
    console.log('edgepay: signing keys changed; reloading the worker');
    const time = new Date();
    utimesSync(config, time, time);
  });
  return () => unwatchFile(paths.devVars);
}

function banner(port, demoKey) {
  const url = baseUrl(port);
  return [
    '',
    `edgepay listening on ${url}`,
    `Demo account ${DEMO_ACCOUNT} test key: ${demoKey}`,
    `Try: curl ${url}/v1/customers -u ${demoKey}: -d email=jenny@example.com`,
    `More keys: npm run --silent key -- --account acct_<anything>   (Ctrl-C stops the server; data persists)`,
    '',
  ].join('\n');
}

async function main() {
  const paths = statePaths();
  const port = parsePort(process.env.PORT);
  const running = readServerInfo(paths);
  if (running !== null && processAlive(running.pid) && (await answers(running.port))) {
    fail(`already running from this state dir (pid ${running.pid}, ${baseUrl(running.port)}); stop it first`);
  }
  if (!(await portIsFree(port))) fail(`port ${port} on ${HOST} is in use; pick another with PORT=<n> npm start`);

  writeDevVars(paths, await ensureSigningKeys(paths));
  const migrations = await applyMigrations(paths);
  if (!migrations.ok) fail(`applying D1 migrations failed:\n${migrations.output}`);
  console.log(`edgepay: D1 migrations applied (${paths.persistDir})`);

  const child = startDevServer(paths, port);
  const stopWatching = reloadOnKeyChanges(paths);
  let exited = false;
  child.on('exit', (code, signal) => {
    exited = true;
    stopWatching();
    removeServerInfo(paths, process.pid);
    process.exit(code ?? 128 + (constants.signals[signal] ?? 1));
  });
  const stop = (signal) => {
    if (!exited) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop('SIGTERM'), PARENT_POLL_MS).unref();

  const ready = await waitUntilAnswering(port, { timeoutMs: READY_TIMEOUT_MS, stillRunning: () => !exited });
  if (!ready) {
    child.kill('SIGTERM');
    fail(`wrangler dev did not answer on ${baseUrl(port)} within ${READY_TIMEOUT_MS / 1000}s`);
  }
  writeServerInfo(paths, { port, pid: process.pid });
  // Before announcing readiness, so no revoked key is accepted once the banner is out.
  const { applied, failed } = await applyPendingRevocations(paths, port);
  if (applied > 0) console.log(`edgepay: applied ${applied} revocation(s) queued while the server was down`);
  for (const f of failed) process.stderr.write(`edgepay: could not revoke ${f.keyId} (${f.lastError}); kept queued\n`);

  const demo = await mintRegisteredKey(paths, { account: DEMO_ACCOUNT });
  console.log(banner(port, demo.key));
}

await main();
