/**
 * The local run contract end to end, over real HTTP with the official `stripe` client:
 * `npm start` (migrations, signing key, wrangler dev, demo key), the key CLI (mint, scopes, live,
 * revoke by key id and by signing key id, rotate), persistence across a restart, and a clean stop.
 * The server runs from an isolated EDGEPAY_STATE_DIR, never the developer's .edgepay/.wrangler.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  freePort,
  keyCli,
  keyIdOf,
  signingKeyIdOf,
  startServer,
  stopServer,
  type LocalServer,
} from './local-server';

const RELOAD_TIMEOUT_MS = 30_000;

function stripeAt(server: LocalServer, key: string): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

async function statusOf(server: LocalServer, key: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${server.port}/v1/customers`, { headers: { authorization: `Bearer ${key}` } });
  return res.status;
}

async function mintOne(stateDir: string, args: readonly string[]): Promise<string> {
  const result = await keyCli(stateDir, args);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  return lines[0]!;
}

describe('npm start and the key CLI', () => {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'edgepay-e2e-'));
  const account = `acct_e2e_${Date.now().toString(36)}`;
  let server: LocalServer;
  let key: string;
  let customerId: string;

  beforeAll(async () => {
    server = await startServer(stateDir, await freePort());
  });

  afterAll(async () => {
    if (server) await stopServer(server.pid);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('prints where it listens and a demo key that works', async () => {
    expect(server.output()).toContain(`edgepay listening on http://127.0.0.1:${server.port}`);
    const list = await stripeAt(server, server.demoKey).customers.list();
    expect(list.object).toBe('list');
  });

  it('mints a test key for any account as exactly one line', async () => {
    key = await mintOne(stateDir, ['--account', account]);
    expect(key).toMatch(/^sk_test_[A-Za-z0-9_.-]+$/);
    expect(readFileSync(path.join(stateDir, 'keys.jsonl'), 'utf8')).not.toContain(key);
  });

  it('prints the public key set the server was given with --jwks', async () => {
    const jwks = await mintOne(stateDir, ['--jwks']);
    expect(readFileSync(path.join(stateDir, '.dev.vars'), 'utf8')).toBe(`API_KEY_JWKS='${jwks}'\n`);
    expect(jwks).not.toContain('"d"');
  });

  it('refuses a malformed account id on stderr with exit code 1', async () => {
    const result = await keyCli(stateDir, ['--account', 'cus_nope']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('invalid account id');
  });

  it('creates a customer through the official stripe client over HTTP', async () => {
    const created = await stripeAt(server, key).customers.create({ email: 'e2e@example.com', metadata: { run: 'e2e' } });
    expect(created.id).toMatch(/^cus_/);
    expect(created.livemode).toBe(false);
    customerId = created.id;
  });

  it('gives --live keys their own live-mode data', async () => {
    const live = await mintOne(stateDir, ['--account', account, '--live']);
    expect(live).toMatch(/^sk_live_/);
    const list = await stripeAt(server, live).customers.list();
    expect(list.data.map((c) => c.id)).not.toContain(customerId);
  });

  it('gives --scopes keys only the permissions named', async () => {
    const restricted = await mintOne(stateDir, ['--account', account, '--scopes', 'customers:read']);
    expect(restricted).toMatch(/^rk_test_/);
    const list = await stripeAt(server, restricted).customers.list();
    expect(list.data.map((c) => c.id)).toContain(customerId);
    await expect(stripeAt(server, restricted).customers.create({ email: 'x@example.com' })).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('keeps customers and applies revocations queued while stopped across a restart', async () => {
    const queued = await mintOne(stateDir, ['--account', account]);
    expect(await statusOf(server, queued)).toBe(200);
    expect((await stopServer(server.pid)).leftovers).toBe(false);

    const revoke = await keyCli(stateDir, ['--revoke', keyIdOf(queued)]);
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toMatch(/^queued revocation of key_\S+ .*\n$/);

    server = await startServer(stateDir, await freePort());
    const fetched = await stripeAt(server, key).customers.retrieve(customerId);
    expect(fetched).toMatchObject({ id: customerId, email: 'e2e@example.com', metadata: { run: 'e2e' } });
    expect(await statusOf(server, queued)).toBe(401);
    expect(await statusOf(server, key)).toBe(200);
  });

  it('refuses a key on the next request after --revoke <key id>', async () => {
    const result = await keyCli(stateDir, ['--revoke', keyIdOf(key)]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^revoked key_\S+ .*\n$/);
    await expect(stripeAt(server, key).customers.retrieve(customerId)).rejects.toMatchObject({ statusCode: 401 });
  });

  it('reports an unknown id on stderr with exit code 1', async () => {
    const result = await keyCli(stateDir, ['--revoke', 'key_doesnotexist']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown key id');
  });

  it('rotates signing keys and retires one while the server runs', async () => {
    const before = await mintOne(stateDir, ['--account', account]);
    const rotated = await keyCli(stateDir, ['--rotate']);
    expect(rotated.code).toBe(0);
    const after = await mintOne(stateDir, ['--account', account]);
    expect(signingKeyIdOf(after)).not.toBe(signingKeyIdOf(before));
    expect(await eventually(async () => (await statusOf(server, after)) === 200, RELOAD_TIMEOUT_MS)).toBe(true);
    expect(await statusOf(server, before)).toBe(200);

    const retired = await keyCli(stateDir, ['--revoke', signingKeyIdOf(before)]);
    expect(retired.stdout).toMatch(/^retired signing key kid_/);
    expect(await eventually(async () => (await statusOf(server, before)) === 401, RELOAD_TIMEOUT_MS)).toBe(true);
    expect(await statusOf(server, after)).toBe(200);
  });

  it('stops the whole process tree on SIGTERM', async () => {
    expect((await stopServer(server.pid)).leftovers).toBe(false);
    await expect(fetch(`http://127.0.0.1:${server.port}/v1/customers`)).rejects.toThrow();
  });
});
