// Signing keys and API-key minting for the CLI, `npm start` and the test configuration.
// API keys are EdDSA JWTs; the Worker only ever sees the public half (API_KEY_JWKS).
// The claims here mirror src/auth/api-keys.ts `mintApiKey`; test/integration/auth.test.ts
// checks that a key minted by this module is accepted by the Worker.
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';

export const ISSUER = 'edgepay';
export const AUDIENCE = 'edgepay-api';
export const ALGORITHM = 'EdDSA';

const PREFIX = {
  'secret:false': 'sk_test_',
  'secret:true': 'sk_live_',
  'restricted:false': 'rk_test_',
  'restricted:true': 'rk_live_',
  'publishable:false': 'pk_test_',
  'publishable:true': 'pk_live_',
};

export function randomId(prefix, bytes = 12) {
  return `${prefix}_${randomBytes(bytes).toString('base64url').replace(/[-_]/g, '').slice(0, 24)}`;
}

/** A new signing key: { kid, privateJwk, publicJwk }. */
export async function generateSigningKey() {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
  const kid = randomId('kid', 9);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM, use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' };
  return { kid, privateJwk, publicJwk };
}

export function publicKeySet(signingKeys) {
  return JSON.stringify({ keys: signingKeys.map((k) => k.publicJwk) });
}

export async function mintApiKey(signingKey, options) {
  const kind = options.kind ?? 'secret';
  const livemode = options.livemode ?? false;
  const nowSeconds = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims = { livemode, kind };
  if (kind === 'restricted') claims.scopes = [...(options.scopes ?? [])];
  const keyId = options.keyId ?? randomId('key');
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: signingKey.kid, typ: 'JWT' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject(options.accountId)
    .setJti(keyId)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + (options.ttlSeconds ?? 10 * 365 * 86400))
    .sign(await importJWK(signingKey.privateJwk, ALGORITHM));
  return { key: PREFIX[`${kind}:${livemode}`] + jwt, keyId };
}

/** A short-lived platform admin token (audience `<api audience>-admin`) for the admin endpoints. */
export async function mintAdminToken(signingKey, { issuer = ISSUER, audience = AUDIENCE } = {}) {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return new SignJWT({ kind: 'admin' })
    .setProtectedHeader({ alg: ALGORITHM, kid: signingKey.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(`${audience}-admin`)
    .setSubject('edgepay-cli')
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + 300)
    .sign(await importJWK(signingKey.privateJwk, ALGORITHM));
}
