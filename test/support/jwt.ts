/**
 * Hand-crafted JWTs for attack tests: arbitrary headers and claims, signed by our test signing
 * key, an attacker's key, an HMAC secret, or not at all. Runs inside workerd (jose is portable).
 */
import { env } from 'cloudflare:workers';
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { randomBase62 } from '../../src/platform/ids';

export type SigningJwk = JWK & { kid: string };

export function signingJwk(): SigningJwk {
  return JSON.parse(env.TEST_SIGNING_JWK) as SigningJwk;
}

export function retiredSigningJwk(): SigningJwk {
  return JSON.parse(env.TEST_RETIRED_SIGNING_JWK) as SigningJwk;
}

/** The public half of an OKP private JWK (what a JWKS holds). */
export function publicJwkOf(jwk: SigningJwk): SigningJwk {
  const { d: _d, ...rest } = jwk;
  return rest;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The claims of a valid secret test-mode key for `accountId` (override or delete with `undefined`). */
export function keyClaims(accountId: string, overrides: Record<string, unknown> = {}): JWTPayload {
  const now = nowSeconds();
  const claims: Record<string, unknown> = {
    iss: env.API_KEY_ISSUER,
    aud: env.API_KEY_AUDIENCE,
    sub: accountId,
    jti: `key_${randomBase62(16)}`,
    iat: now,
    exp: now + 3600,
    livemode: false,
    kind: 'secret',
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims as JWTPayload;
}

export interface SignOptions {
  /** Private JWK to sign with (default: the Worker's active test signing key). */
  jwk?: SigningJwk;
  /** Extra or replacement protected-header fields; `kid: undefined` removes the kid. */
  header?: Record<string, unknown>;
  /** Critical header names the signer should accept (jose refuses unknown `crit` otherwise). */
  crit?: Record<string, boolean>;
}

/** An EdDSA-signed compact JWT with exactly these claims. */
export async function signEdDsa(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  const jwk = options.jwk ?? signingJwk();
  const header: Record<string, unknown> = { alg: 'EdDSA', kid: jwk.kid, typ: 'JWT', ...options.header };
  for (const [name, value] of Object.entries(header)) if (value === undefined) delete header[name];
  const key = await importJWK(jwk, 'EdDSA');
  return new SignJWT(claims)
    .setProtectedHeader(header as JWTHeaderParameters)
    .sign(key, options.crit ? { crit: options.crit } : undefined);
}

/** HS256 over the claims with an arbitrary secret (the alg-confusion attack uses public key bytes). */
export async function signHs256(claims: JWTPayload, secret: Uint8Array, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header } as JWTHeaderParameters).sign(secret);
}

function encodeJson(value: unknown): string {
  return base64url.encode(new TextEncoder().encode(JSON.stringify(value)));
}

/** An unsecured JWT (`alg` none in any spelling) with an empty signature part. */
export function unsecured(claims: JWTPayload, alg: string, kid = signingJwk().kid): string {
  return `${encodeJson({ alg, kid, typ: 'JWT' })}.${encodeJson(claims)}.`;
}

/** Re-encodes the payload part of a compact JWT, keeping its header and signature. */
export function withPayload(jwt: string, payload: JWTPayload): string {
  const [head, , signature] = jwt.split('.');
  return `${head}.${encodeJson(payload)}.${signature}`;
}

export function decodePayload(jwt: string): JWTPayload {
  return JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split('.')[1]!))) as JWTPayload;
}

/** A fresh Ed25519 key pair an attacker controls, exported as a private JWK with `kid`. */
export async function attackerJwk(kid: string): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' };
}

/** A platform admin token (audience `<api audience>-admin`, `kind: admin`), as the key CLI mints. */
export async function adminToken(options: { jwk?: SigningJwk; claims?: Record<string, unknown> } = {}): Promise<string> {
  const now = nowSeconds();
  return signEdDsa(
    {
      iss: env.API_KEY_ISSUER,
      aud: `${env.API_KEY_AUDIENCE}-admin`,
      sub: 'edgepay-test',
      kind: 'admin',
      iat: now,
      exp: now + 300,
      ...options.claims,
    },
    options.jwk ? { jwk: options.jwk } : {},
  );
}
