// Local state of `npm start` and `npm run key`, all under one directory (default `.edgepay/`,
// override with EDGEPAY_STATE_DIR so tests never touch a developer's state):
//   signing-keys.json          [{kid, privateJwk, publicJwk, created, retired?}] — private, git-ignored
//   keys.jsonl                 register of minted API keys: {keyId, account, livemode, kind, scopes?, kid, created}
//                              (never the key itself)
//   server.json                {port, pid} while `npm start` runs
//   pending-revocations.jsonl  revocations asked for while the server was down; `npm start` applies them
// The Worker's public key set goes to a dotenv file wrangler dev reads: `.dev.vars` in the project
// root for the default state dir, `<state dir>/.dev.vars` otherwise (passed with --env-file).
// Durable Object / D1 data lives in the wrangler persist dir (default `.wrangler/state`, or
// `<state dir>/wrangler-state` when EDGEPAY_STATE_DIR is set; EDGEPAY_PERSIST_DIR overrides both).
import { appendFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSigningKey, publicKeySet, randomId } from './keys.mjs';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

export function statePaths(env = process.env) {
  const custom = env.EDGEPAY_STATE_DIR ? path.resolve(env.EDGEPAY_STATE_DIR) : null;
  const dir = custom ?? path.join(PROJECT_ROOT, '.edgepay');
  const persistDir = env.EDGEPAY_PERSIST_DIR
    ? path.resolve(env.EDGEPAY_PERSIST_DIR)
    : custom
      ? path.join(custom, 'wrangler-state')
      : path.join(PROJECT_ROOT, '.wrangler', 'state');
  return {
    dir,
    persistDir,
    signingKeys: path.join(dir, 'signing-keys.json'),
    register: path.join(dir, 'keys.jsonl'),
    server: path.join(dir, 'server.json'),
    pendingRevocations: path.join(dir, 'pending-revocations.jsonl'),
    devVars: custom ? path.join(custom, '.dev.vars') : path.join(PROJECT_ROOT, '.dev.vars'),
  };
}

function ensureDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Replaces a file atomically (write a sibling, then rename over it). */
function writeAtomic(file, text, mode = 0o600) {
  ensureDir(path.dirname(file));
  const temp = `${file}.${process.pid}.${randomId('tmp', 6)}`;
  writeFileSync(temp, text, { mode });
  renameSync(temp, file);
}

function readJson(file, fallback) {
  if (!existsSync(file)) return fallback;
  return JSON.parse(readFileSync(file, 'utf8'));
}

function readJsonLines(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

// ── Signing keys ────────────────────────────────────────────────────────────────────────────

export function readSigningKeys(paths) {
  return readJson(paths.signingKeys, []);
}

export function activeSigningKeys(keys) {
  return keys.filter((k) => !k.retired);
}

/** The key new API keys are signed with: the most recently added active one. */
export function currentSigningKey(keys) {
  const active = activeSigningKeys(keys);
  return active[active.length - 1] ?? null;
}

async function newSigningKeyRecord() {
  return { ...(await generateSigningKey()), created: Math.floor(Date.now() / 1000) };
}

/**
 * Returns the signing keys, creating the first one if none exists. Creation uses link(2) so two
 * processes racing here (start and key CLI) end up with the same single key.
 */
export async function ensureSigningKeys(paths) {
  let keys = readSigningKeys(paths);
  if (currentSigningKey(keys) !== null) return keys;
  if (keys.length > 0) throw new Error(`every signing key in ${paths.signingKeys} is retired: run \`npm run key -- --rotate\``);
  ensureDir(paths.dir);
  const temp = `${paths.signingKeys}.${process.pid}.new`;
  writeFileSync(temp, JSON.stringify([await newSigningKeyRecord()], null, 2) + '\n', { mode: 0o600 });
  try {
    linkSync(temp, paths.signingKeys);
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  keys = readSigningKeys(paths);
  writeDevVars(paths, keys);
  return keys;
}

export async function rotateSigningKeys(paths) {
  const keys = [...readSigningKeys(paths), await newSigningKeyRecord()];
  writeAtomic(paths.signingKeys, JSON.stringify(keys, null, 2) + '\n');
  writeDevVars(paths, keys);
  return keys;
}

/** Marks a signing key retired; returns false when no such kid exists. */
export function retireSigningKey(paths, kid) {
  const keys = readSigningKeys(paths);
  const key = keys.find((k) => k.kid === kid);
  if (!key) return false;
  key.retired = Math.floor(Date.now() / 1000);
  writeAtomic(paths.signingKeys, JSON.stringify(keys, null, 2) + '\n');
  writeDevVars(paths, keys);
  return true;
}

/** `API_KEY_JWKS='<JSON of the active public keys>'` — one line, single-quoted for dotenv. */
export function devVarsText(keys) {
  return `API_KEY_JWKS='${publicKeySet(activeSigningKeys(keys))}'\n`;
}

export function writeDevVars(paths, keys) {
  writeAtomic(paths.devVars, devVarsText(keys));
}

// ── Register of minted keys (ids only) ─────────────────────────────────────────────────────

export function registerKey(paths, entry) {
  ensureDir(paths.dir);
  appendFileSync(paths.register, JSON.stringify(entry) + '\n', { mode: 0o600 });
}

export function findRegisteredKey(paths, keyId) {
  return readJsonLines(paths.register).find((e) => e.keyId === keyId) ?? null;
}

// ── Running server ──────────────────────────────────────────────────────────────────────────

export function writeServerInfo(paths, info) {
  writeAtomic(paths.server, JSON.stringify(info) + '\n');
}

export function readServerInfo(paths) {
  try {
    return readJson(paths.server, null);
  } catch {
    return null;
  }
}

export function removeServerInfo(paths, pid) {
  if (readServerInfo(paths)?.pid === pid) rmSync(paths.server, { force: true });
}

export function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// ── Revocations queued while the server is down ─────────────────────────────────────────────

export function queueRevocation(paths, entry) {
  ensureDir(paths.dir);
  appendFileSync(paths.pendingRevocations, JSON.stringify(entry) + '\n', { mode: 0o600 });
}

export function readPendingRevocations(paths) {
  return readJsonLines(paths.pendingRevocations);
}

/** Rewrites the queue with what is left (removes it when empty). */
export function replacePendingRevocations(paths, remaining) {
  if (remaining.length === 0) rmSync(paths.pendingRevocations, { force: true });
  else writeAtomic(paths.pendingRevocations, remaining.map((e) => JSON.stringify(e)).join('\n') + '\n');
}
