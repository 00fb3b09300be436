/**
 * API keys are JWTs carried behind Stripe's prefixes: `sk_test_<jwt>` (secret), `rk_test_<jwt>`
 * (restricted, with scopes), `pk_test_<jwt>` (publishable), and `_live_` for live mode. This is
 * the only module that imports jose. Verification needs no storage: a pinned algorithm (EdDSA),
 * required `iss`, `aud`, `exp`, `iat`, `sub` and `jti`, and a `kid` resolved only against the
 * configured public key set (several keys may be active during rotation). Tokens that name
 * remote keys (`jku`, `x5u`, embedded `jwk`) are refused; no key is ever fetched.
 * Revocation (by `jti`) is checked by the account's Durable Object on every request.
 *
 * A key that verified is remembered per isolate (bounded, least recently used evicted) with the
 * configuration it verified under: signature and claims cannot change for the same string, so a
 * hit skips the EdDSA verification but still applies the time checks (`exp`, `iat`) at the
 * current time. A changed key set, issuer or audience misses. Failures are never remembered.
 */
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import { ACCOUNT_ID_PATTERN } from '../domain/ids';
import { API_KEY_CLOCK_TOLERANCE_SECONDS, API_KEY_LENGTH_MAX, VERIFIED_API_KEY_CACHE_MAX } from '../domain/limits';
import { err, ok, type Result } from '../domain/result';
import type { KeyKind, Principal } from './principal';

export const API_KEY_ALGORITHM = 'EdDSA';

export interface ApiKeyConfig {
  readonly issuer: string;
  readonly audience: string;
  /** JSON text of a JWKS holding the active public keys. */
  readonly publicKeySet: string;
}

const PREFIXES: ReadonlyArray<readonly [string, KeyKind, boolean]> = [
  ['sk_test_', 'secret', false],
  ['sk_live_', 'secret', true],
  ['rk_test_', 'restricted', false],
  ['rk_live_', 'restricted', true],
  ['pk_test_', 'publishable', false],
  ['pk_live_', 'publishable', true],
];

export function prefixFor(kind: KeyKind, livemode: boolean): string {
  const entry = PREFIXES.find(([, k, live]) => k === kind && live === livemode);
  return entry![0];
}

/** Why verification failed; logged for operators, never sent to the caller (one uniform 401). */
export type ApiKeyFailure =
  | 'malformed'
  | 'unknown_prefix'
  | 'bad_token'
  | 'claims_mismatch'
  | 'forbidden_header'
  | 'issued_in_future'
  | 'no_key_set';

let cachedKeySet: { text: string; resolve: ReturnType<typeof createLocalJWKSet> } | null = null;

function keySetFor(text: string): ReturnType<typeof createLocalJWKSet> | null {
  if (cachedKeySet?.text === text) return cachedKeySet.resolve;
  try {
    const parsed = JSON.parse(text) as JSONWebKeySet;
    const publicOnly: JSONWebKeySet = { keys: parsed.keys.filter((k) => k.d === undefined && typeof k.kid === 'string') };
    const resolve = createLocalJWKSet(publicOnly);
    cachedKeySet = { text, resolve };
    return resolve;
  } catch {
    return null;
  }
}

function decodeHeader(token: string): Record<string, unknown> | null {
  const [head] = token.split('.');
  if (!head) return null;
  try {
    const json = atob(head.replaceAll('-', '+').replaceAll('_', '/'));
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

interface VerifiedKey {
  readonly principal: Principal;
  readonly config: ApiKeyConfig;
  readonly iat: number;
  readonly exp: number;
}

/** Insertion order is recency order: a hit moves its entry to the end, eviction takes the first. */
const verifiedKeys = new Map<string, VerifiedKey>();

const sameConfig = (a: ApiKeyConfig, b: ApiKeyConfig) => a.issuer === b.issuer && a.audience === b.audience && a.publicKeySet === b.publicKeySet;

/** The time checks jose and verifyApiKey apply, for a remembered key: same bounds, same tolerance. */
function stillValid(key: VerifiedKey, now: number): Result<Principal, ApiKeyFailure> {
  if (key.exp <= now - API_KEY_CLOCK_TOLERANCE_SECONDS) return err('bad_token');
  if (key.iat > now + API_KEY_CLOCK_TOLERANCE_SECONDS) return err('issued_in_future');
  return ok(key.principal);
}

function remember(apiKey: string, key: VerifiedKey): void {
  verifiedKeys.delete(apiKey);
  verifiedKeys.set(apiKey, key);
  if (verifiedKeys.size > VERIFIED_API_KEY_CACHE_MAX) verifiedKeys.delete(verifiedKeys.keys().next().value!);
}

export async function verifyApiKey(
  apiKey: string,
  config: ApiKeyConfig,
  nowSeconds?: number,
): Promise<Result<Principal, ApiKeyFailure>> {
  const remembered = verifiedKeys.get(apiKey);
  if (remembered !== undefined && sameConfig(remembered.config, config)) {
    remember(apiKey, remembered);
    return stillValid(remembered, nowSeconds ?? Math.floor(Date.now() / 1000));
  }
  const verified = await verifyFully(apiKey, config, nowSeconds);
  if (verified.ok) remember(apiKey, verified.value);
  return verified.ok ? ok(verified.value.principal) : verified;
}

async function verifyFully(apiKey: string, config: ApiKeyConfig, nowSeconds?: number): Promise<Result<VerifiedKey, ApiKeyFailure>> {
  if (apiKey.length > API_KEY_LENGTH_MAX) return err('malformed');
  const prefix = PREFIXES.find(([p]) => apiKey.startsWith(p));
  if (!prefix) return err('unknown_prefix');
  const [prefixText, kind, livemode] = prefix;
  const token = apiKey.slice(prefixText.length);
  const header = decodeHeader(token);
  if (header === null) return err('malformed');
  if ('jku' in header || 'x5u' in header || 'jwk' in header || 'x5c' in header) return err('forbidden_header');
  const keySet = keySetFor(config.publicKeySet);
  if (keySet === null) return err('no_key_set');
  let payload;
  let protectedHeader;
  try {
    ({ payload, protectedHeader } = await jwtVerify(token, keySet, {
      algorithms: [API_KEY_ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      clockTolerance: API_KEY_CLOCK_TOLERANCE_SECONDS,
      ...(nowSeconds === undefined ? {} : { currentDate: new Date(nowSeconds * 1000) }),
    }));
  } catch {
    return err('bad_token');
  }
  // jose checks `iat` only together with `maxTokenAge`, which long-lived keys cannot use.
  const now = nowSeconds ?? Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== 'number' || payload.iat > now + API_KEY_CLOCK_TOLERANCE_SECONDS) return err('issued_in_future');
  const sub = payload.sub ?? '';
  const scopes = Array.isArray(payload['scopes']) ? payload['scopes'].filter((s): s is string => typeof s === 'string') : [];
  if (
    !ACCOUNT_ID_PATTERN.test(sub) ||
    payload['livemode'] !== livemode ||
    payload['kind'] !== kind ||
    typeof payload.jti !== 'string' ||
    typeof protectedHeader.kid !== 'string'
  ) {
    return err('claims_mismatch');
  }
  const principal: Principal = { accountId: sub, livemode, kind, keyId: payload.jti, signingKeyId: protectedHeader.kid, scopes };
  // jose's requiredClaims guarantee a numeric exp.
  return ok({ principal, config, iat: payload.iat, exp: payload.exp! });
}

export interface MintOptions {
  readonly accountId: string;
  readonly kind?: KeyKind;
  readonly livemode?: boolean;
  readonly scopes?: readonly string[];
  readonly keyId: string;
  readonly ttlSeconds: number;
  readonly nowSeconds: number;
  readonly issuer: string;
  readonly audience: string;
}

/**
 * Signs a new API key (tests use it inside workerd; `scripts/lib/keys.mjs` mints the same claims
 * for the CLI, and a test checks a CLI-minted key against the Worker). The Worker never holds a
 * private key.
 */
export async function mintApiKey(privateJwk: JWK, signingKeyId: string, options: MintOptions): Promise<string> {
  const kind = options.kind ?? 'secret';
  const livemode = options.livemode ?? false;
  const claims: Record<string, unknown> = { livemode, kind };
  if (kind === 'restricted') claims['scopes'] = [...(options.scopes ?? [])];
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: API_KEY_ALGORITHM, kid: signingKeyId, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(options.accountId)
    .setJti(options.keyId)
    .setIssuedAt(options.nowSeconds)
    .setExpirationTime(options.nowSeconds + options.ttlSeconds)
    .sign(await importJWK(privateJwk, API_KEY_ALGORITHM));
  return prefixFor(kind, livemode) + jwt;
}
