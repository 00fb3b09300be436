import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { verifyApiKey } from '../../src/auth/api-keys';
import { API_KEY_CLOCK_TOLERANCE_SECONDS, VERIFIED_API_KEY_CACHE_MAX } from '../../src/domain/limits';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import {
  adminToken,
  attackerJwk,
  decodePayload,
  keyClaims,
  nowSeconds,
  publicJwkOf,
  retiredSigningJwk,
  signEdDsa,
  signHs256,
  signingJwk,
  unsecured,
  withPayload,
} from '../support/jwt';
import { stripeClient } from '../support/stripe-client';

const INVALID_KEY_MESSAGE = /^Invalid API Key provided: ((sk|rk|pk)_(test|live)_)?\*\*\*\*[A-Za-z0-9_.-]{4}$/;

/** Every rejected key gets the same 401 body: type, masked-key message, nothing else. */
async function expectUniform401(res: Response, presented: string): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{14}$/);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(res);
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['message', 'type']);
  expect(body.error.type).toBe('invalid_request_error');
  expect(body.error.message).toMatch(INVALID_KEY_MESSAGE);
  expect(body.error.message).not.toContain(presented.slice(8, 40));
}

async function expectRejected(apiKey: string): Promise<void> {
  await expectUniform401(await api('GET', '/v1/customers', { key: apiKey }), apiKey);
}

const account = 'acct_authmatrix';
const publicKeyBytes = () => new TextEncoder().encode(JSON.stringify(publicJwkOf(signingJwk())));
const publicKeyRaw = () => Uint8Array.from(atob(signingJwk().x!.replaceAll('-', '+').replaceAll('_', '/')), (ch) => ch.charCodeAt(0));

/** name → a presented API key that must be refused. */
const ATTACKS: Array<[string, () => Promise<string>]> = [
  ['alg none', async () => `sk_test_${unsecured(keyClaims(account), 'none')}`],
  ['alg None', async () => `sk_test_${unsecured(keyClaims(account), 'None')}`],
  ['alg NONE', async () => `sk_test_${unsecured(keyClaims(account), 'NONE')}`],
  ['HS256 keyed with the public JWK text', async () => `sk_test_${await signHs256(keyClaims(account), publicKeyBytes(), { kid: signingJwk().kid })}`],
  ['HS256 keyed with the raw public key', async () => `sk_test_${await signHs256(keyClaims(account), publicKeyRaw(), { kid: signingJwk().kid })}`],
  ['an attacker key claiming our kid', async () => `sk_test_${await signEdDsa(keyClaims(account), { jwk: await attackerJwk(signingJwk().kid) })}`],
  ['an unknown kid', async () => `sk_test_${await signEdDsa(keyClaims(account), { header: { kid: 'kid_unknown' } })}`],
  ['kid path traversal', async () => `sk_test_${await signEdDsa(keyClaims(account), { header: { kid: '../../dev/null' } })}`],
  ['kid SQL fragment', async () => `sk_test_${await signEdDsa(keyClaims(account), { header: { kid: "' OR 1=1--" } })}`],
  ['no kid', async () => `sk_test_${await signEdDsa(keyClaims(account), { header: { kid: undefined } })}`],
  ['a jku header', async () => `sk_test_${await signEdDsa(keyClaims(account), { header: { jku: 'https://evil.example/jwks.json' } })}`],
  ['an x5u header', async () => `sk_test_${await signEdDsa(keyClaims(account), { header: { x5u: 'https://evil.example/cert.pem' } })}`],
  [
    'an embedded jwk (attacker key)',
    async () => {
      const evil = await attackerJwk('kid_evil');
      return `sk_test_${await signEdDsa(keyClaims(account), { jwk: evil, header: { jwk: publicJwkOf(evil) } })}`;
    },
  ],
  ['an unknown crit header', async () => `sk_test_${await signEdDsa(keyClaims(account), { header: { crit: ['x-edge'], 'x-edge': 1 }, crit: { 'x-edge': true } })}`],
  ['an expired token', async () => `sk_test_${await signEdDsa(keyClaims(account, { iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }))}`],
  ['nbf in the future', async () => `sk_test_${await signEdDsa(keyClaims(account, { nbf: nowSeconds() + 3600 }))}`],
  ['no exp', async () => `sk_test_${await signEdDsa(keyClaims(account, { exp: undefined }))}`],
  ['no iat', async () => `sk_test_${await signEdDsa(keyClaims(account, { iat: undefined }))}`],
  ['no jti', async () => `sk_test_${await signEdDsa(keyClaims(account, { jti: undefined }))}`],
  ['no sub', async () => `sk_test_${await signEdDsa(keyClaims(account, { sub: undefined }))}`],
  ['a sub that is not an account id', async () => `sk_test_${await signEdDsa(keyClaims('cus_1234/../acct_x'))}`],
  ['a wrong iss', async () => `sk_test_${await signEdDsa(keyClaims(account, { iss: 'someone-else' }))}`],
  ['a wrong aud', async () => `sk_test_${await signEdDsa(keyClaims(account, { aud: 'other-api' }))}`],
  ['the admin audience', async () => `sk_test_${await signEdDsa(keyClaims(account, { aud: `${env.API_KEY_AUDIENCE}-admin` }))}`],
  ['iat far in the future', async () => `sk_test_${await signEdDsa(keyClaims(account, { iat: nowSeconds() + 365 * 86400, exp: nowSeconds() + 366 * 86400 }))}`],
  [
    'a tampered payload (sub changed)',
    async () => {
      const jwt = (await mintTestKey(account)).slice('sk_test_'.length);
      return `sk_test_${withPayload(jwt, { ...decodePayload(jwt), sub: 'acct_victim' })}`;
    },
  ],
  ['a stripped signature', async () => (await mintTestKey(account)).replace(/\.[^.]+$/, '.')],
  ['a missing signature part', async () => (await mintTestKey(account)).replace(/\.[^.]+$/, '')],
  ['sk_live_ on a test-mode token', async () => (await mintTestKey(account)).replace(/^sk_test_/, 'sk_live_')],
  ['rk_test_ on a secret token', async () => (await mintTestKey(account)).replace(/^sk_test_/, 'rk_test_')],
  ['pk_test_ on a secret token', async () => (await mintTestKey(account)).replace(/^sk_test_/, 'pk_test_')],
  ['kind admin', async () => `sk_test_${await signEdDsa(keyClaims(account, { kind: 'admin' }))}`],
  ['the retired signing key', async () => mintTestKey(account, { jwk: env.TEST_RETIRED_SIGNING_JWK })],
  ['an unknown prefix', async () => (await mintTestKey(account)).replace(/^sk_test_/, 'ak_test_')],
  ['an oversized key', async () => `sk_test_${'A'.repeat(5000)}`],
];

describe('api key verification (attack matrix)', () => {
  it.each(ATTACKS)('refuses %s with the uniform 401', async (_name, craft) => {
    await expectRejected(await craft());
  });

  it('never echoes an oddly shaped key beyond its last four characters', async () => {
    const odd = `sk_${'A'.repeat(60)}_${'B'.repeat(30)}`;
    const res = await api('GET', '/v1/customers', { key: odd });
    const body = await json(res);
    expect(res.status).toBe(401);
    expect(body.error.message).not.toContain('AAAA');
    expect(body.error.message).toMatch(INVALID_KEY_MESSAGE);
  });
});

describe('api key presentation', () => {
  it('accepts a valid key as Bearer, lowercase bearer, and HTTP Basic user name', async () => {
    const key = await mintTestKey(newAccountId());
    expect((await api('GET', '/v1/customers', { key })).status).toBe(200);
    expect((await api('GET', '/v1/customers', { headers: { Authorization: `bearer ${key}` } })).status).toBe(200);
    expect((await api('GET', '/v1/customers', { headers: { Authorization: `Basic ${btoa(`${key}:`)}` } })).status).toBe(200);
  });

  it('answers a missing key with the "did not provide" 401', async () => {
    for (const headers of [{}, { Authorization: '' }] as Array<Record<string, string>>) {
      const res = await api('GET', '/v1/customers', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{14}$/);
      const body = await json(res);
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).toMatch(/^You did not provide an API key/);
    }
  });

  it('refuses malformed Authorization headers and keys in the query string', async () => {
    const key = await mintTestKey(newAccountId());
    for (const value of [`Bearer  ${key}`, `Bearer ${key} extra`, 'garbage', 'Bearer', `Token ${key}`, `Basic ${btoa('sk_test_nope:')}`]) {
      const res = await api('GET', '/v1/customers', { headers: { Authorization: value } });
      expect(res.status).toBe(401);
      const body = await json(res);
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.message).not.toContain(key.slice(8, 40));
    }
    const query = await api('GET', `/v1/customers?key=${encodeURIComponent(key)}`);
    expect(query.status).toBe(401);
  });

  it('accepts a key minted by the Node CLI module (CLI and Worker agree)', async () => {
    const stripe = stripeClient(env.TEST_CLI_MINTED_KEY);
    const customer = await stripe.customers.create({ email: 'cli@example.com' });
    expect(customer.livemode).toBe(false);
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);
    const verified = await verifyApiKey(env.TEST_CLI_MINTED_KEY, {
      issuer: env.API_KEY_ISSUER,
      audience: env.API_KEY_AUDIENCE,
      publicKeySet: env.API_KEY_JWKS ?? '',
    });
    expect(verified.ok && verified.value).toMatchObject({ accountId: 'acct_cli_minted', kind: 'secret', livemode: false });
  });
});

describe('signing key rotation (verifyApiKey with the configured key set)', () => {
  const config = (keys: object[]) => ({ issuer: env.API_KEY_ISSUER, audience: env.API_KEY_AUDIENCE, publicKeySet: JSON.stringify({ keys }) });

  it('accepts both kids during the overlap and refuses the retired kid afterwards', async () => {
    const current = signingJwk();
    const retired = retiredSigningJwk();
    const newKey = await mintTestKey('acct_rotation');
    const oldKey = await mintTestKey('acct_rotation', { jwk: env.TEST_RETIRED_SIGNING_JWK });
    const overlap = config([publicJwkOf(retired), publicJwkOf(current)]);
    expect((await verifyApiKey(newKey, overlap)).ok).toBe(true);
    const old = await verifyApiKey(oldKey, overlap);
    expect(old.ok && old.value.signingKeyId).toBe(retired.kid);
    const after = config([publicJwkOf(current)]);
    expect((await verifyApiKey(newKey, after)).ok).toBe(true);
    expect(await verifyApiKey(oldKey, after)).toEqual({ ok: false, error: 'bad_token' });
  });

  it('ignores private keys placed in the key set', async () => {
    const key = await mintTestKey('acct_rotation');
    const result = await verifyApiKey(key, config([signingJwk()]));
    expect(result.ok).toBe(false);
  });
});

describe('remembered verifications (per-isolate cache of verified keys)', () => {
  const live = () => ({ issuer: env.API_KEY_ISSUER, audience: env.API_KEY_AUDIENCE, publicKeySet: env.API_KEY_JWKS ?? '' });
  const principalOf = async (key: string, at?: number) => {
    const result = await verifyApiKey(key, live(), at);
    if (!result.ok) throw new Error(`refused: ${result.error}`);
    return result.value;
  };

  it('serves a key that verified from memory, with the time checks still applied at each use', async () => {
    const iat = nowSeconds();
    const key = `sk_test_${await signEdDsa(keyClaims('acct_remembered', { iat, exp: iat + 600 }))}`;
    const first = await principalOf(key);
    expect(await principalOf(key)).toBe(first); // the same object: no second verification
    expect(await verifyApiKey(key, live(), iat + 600 + API_KEY_CLOCK_TOLERANCE_SECONDS)).toEqual({ ok: false, error: 'bad_token' });
    expect(await verifyApiKey(key, live(), iat - API_KEY_CLOCK_TOLERANCE_SECONDS - 1)).toEqual({ ok: false, error: 'issued_in_future' });
    expect(await principalOf(key, iat + 599)).toBe(first);
  });

  it('does not serve a remembered key under another configuration, and never remembers a failure', async () => {
    const key = await mintTestKey('acct_remembered');
    const first = await principalOf(key);
    const otherAudience = { ...live(), audience: 'another-api' };
    expect(await verifyApiKey(key, otherAudience)).toEqual({ ok: false, error: 'bad_token' });
    const noKeys = { ...live(), publicKeySet: JSON.stringify({ keys: [] }) };
    expect(await verifyApiKey(key, noKeys)).toEqual({ ok: false, error: 'bad_token' });
    expect((await principalOf(key)).keyId).toBe(first.keyId);
    const jwt = key.slice('sk_test_'.length);
    const tampered = `sk_test_${withPayload(jwt, { ...decodePayload(jwt), sub: 'acct_elsewhere' })}`;
    for (let i = 0; i < 2; i++) expect(await verifyApiKey(tampered, live())).toEqual({ ok: false, error: 'bad_token' });
  });

  it('forgets the least recently used key beyond VERIFIED_API_KEY_CACHE_MAX', async () => {
    const first = await mintTestKey('acct_remembered');
    const firstPrincipal = await principalOf(first);
    const others = await Promise.all(Array.from({ length: VERIFIED_API_KEY_CACHE_MAX }, () => mintTestKey('acct_remembered')));
    for (const other of others) await principalOf(other);
    const again = await principalOf(first);
    expect(again).not.toBe(firstPrincipal); // verified afresh
    expect(again).toEqual(firstPrincipal);
    expect(await principalOf(others.at(-1)!)).toBe(await principalOf(others.at(-1)!));
  });
});

describe('restricted and publishable keys', () => {
  const permissionError = (promise: Promise<unknown>) => promise.then(() => null, (e: any) => e);

  it('lets customers:read list and retrieve, and refuses writes with 403 and no side effect', async () => {
    const acct = newAccountId();
    const secret = stripeClient(await mintTestKey(acct));
    const existing = await secret.customers.create({ name: 'Existing' });
    const reader = stripeClient(await mintTestKey(acct, { kind: 'restricted', scopes: ['customers:read'] }));
    expect((await reader.customers.list()).data.map((c) => c.id)).toEqual([existing.id]);
    expect(await reader.customers.retrieve(existing.id)).toMatchObject({ id: existing.id, name: 'Existing' });
    for (const attempt of [
      () => reader.customers.create({ name: 'Nope' }),
      () => reader.customers.update(existing.id, { name: 'Changed' }),
      () => reader.customers.del(existing.id),
    ]) {
      const error = await permissionError(attempt());
      expect(error?.type).toBe('StripePermissionError');
      expect(error.statusCode).toBe(403);
      expect(error.rawType).toBe('invalid_request_error');
      expect(error.message).toContain('rk_test_****');
    }
    const after = await secret.customers.list({ limit: 100 });
    expect(after.data.map((c) => c.id)).toEqual([existing.id]);
    expect(after.data[0]).toMatchObject({ name: 'Existing' });
  });

  it('lets customers:write create', async () => {
    const writer = stripeClient(await mintTestKey(newAccountId(), { kind: 'restricted', scopes: ['customers:write'] }));
    const created = await writer.customers.create({ name: 'Writer' });
    expect((await writer.customers.retrieve(created.id)).id).toBe(created.id);
  });

  it('refuses publishable keys and scope-less restricted keys on customers', async () => {
    const acct = newAccountId();
    for (const key of [await mintTestKey(acct, { kind: 'publishable' }), await mintTestKey(acct, { kind: 'restricted', scopes: ['charges:write'] })]) {
      expect((await api('GET', '/v1/customers', { key })).status).toBe(403);
      const res = await api('POST', '/v1/customers', { key, body: { name: 'x' } });
      expect(res.status).toBe(403);
      expect((await json(res)).error.type).toBe('invalid_request_error');
    }
    expect((await json(await api('GET', '/v1/customers', { key: await mintTestKey(acct) }))).data).toEqual([]);
  });
});

describe('api key revocation', () => {
  const revoke = (token: string, body: Record<string, unknown>) =>
    api('POST', '/_edgepay/admin/revocations', {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses a revoked key on the next request and leaves the account’s other keys working', async () => {
    const acct = newAccountId();
    const key = await mintTestKey(acct, { keyId: 'key_revoked_one' });
    const other = await mintTestKey(acct, { keyId: 'key_still_good' });
    expect((await api('GET', '/v1/customers', { key })).status).toBe(200);
    const res = await revoke(await adminToken(), { account: acct, livemode: false, key_id: 'key_revoked_one' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ object: 'api_key_revocation', key_id: 'key_revoked_one', revoked: true });
    const refused = await api('GET', '/v1/customers', { key });
    expect(refused.status).toBe(401);
    expect((await json(refused)).error.type).toBe('invalid_request_error');
    expect((await api('POST', '/v1/customers', { key, body: { name: 'x' } })).status).toBe(401);
    expect((await api('GET', '/v1/customers', { key: other })).status).toBe(200);
    const again = await revoke(await adminToken(), { account: acct, livemode: false, key_id: 'key_revoked_one' });
    expect(await json(again)).toMatchObject({ revoked: false });
  });

  // Routes served from D1 (not through the account's execute) must ask the account too.
  it('refuses a revoked key on every route, including those served from D1 (reconciliation)', async () => {
    const acct = newAccountId();
    const key = await mintTestKey(acct, { keyId: 'key_revoked_d1' });
    const routes: Array<[string, string, Record<string, string>?]> = [
      ['GET', '/v1/reconciliation/runs'],
      ['GET', '/v1/reconciliation/runs/recrun_0123456789abcdef'],
      ['GET', '/v1/reconciliation/discrepancies'],
      ['GET', '/v1/reconciliation/discrepancies/recdsc_0123456789abcdef'],
      ['POST', '/v1/reconciliation/runs', {}],
      ['POST', '/v1/reconciliation/discrepancies/recdsc_0123456789abcdef/resolve', { note: 'x' }],
    ];
    const before = await Promise.all(routes.map(([method, path, body]) => api(method, path, { key, ...(body ? { body } : {}) }).then((r) => r.status)));
    expect(before.every((status) => status !== 401)).toBe(true);
    await revoke(await adminToken(), { account: acct, livemode: false, key_id: 'key_revoked_d1' });
    for (const [method, path, body] of routes) {
      const refused = await api(method, path, { key, ...(body ? { body } : {}) });
      expect([method, path, refused.status]).toEqual([method, path, 401]);
      expect((await json(refused)).error).toMatchObject({ type: 'invalid_request_error', code: 'api_key_revoked' });
    }
  });

  it('refuses an idempotent replay made with a revoked key', async () => {
    const acct = newAccountId();
    const key = await mintTestKey(acct, { keyId: 'key_replayer' });
    const headers = { 'Idempotency-Key': 'replay-after-revoke' };
    expect((await api('POST', '/v1/customers', { key, headers, body: { name: 'Once' } })).status).toBe(200);
    await revoke(await adminToken(), { account: acct, livemode: false, key_id: 'key_replayer' });
    expect((await api('POST', '/v1/customers', { key, headers, body: { name: 'Once' } })).status).toBe(401);
  });

  it('refuses invalid admin tokens and API keys used as admin tokens, revoking nothing', async () => {
    const acct = newAccountId();
    const key = await mintTestKey(acct, { keyId: 'key_target' });
    const now = nowSeconds();
    const forged = [
      await adminToken({ jwk: retiredSigningJwk() }),
      await adminToken({ jwk: await attackerJwk(signingJwk().kid) }),
      await adminToken({ claims: { kind: 'secret' } }),
      await adminToken({ claims: { aud: env.API_KEY_AUDIENCE } }),
      await adminToken({ claims: { iat: now - 7200, exp: now - 3600 } }),
      await adminToken({ claims: { iat: now - 3600, exp: now + 3600 } }),
      unsecured({ iss: env.API_KEY_ISSUER, aud: `${env.API_KEY_AUDIENCE}-admin`, kind: 'admin', iat: now, exp: now + 300 }, 'none'),
      key,
      key.slice('sk_test_'.length),
      'garbage',
    ];
    for (const token of forged) {
      const res = await revoke(token, { account: acct, livemode: false, key_id: 'key_target' });
      expect(res.status).toBe(401);
      expect(res.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{14}$/);
    }
    expect((await api('GET', '/v1/customers', { key })).status).toBe(200);
  });
});
