/**
 * Platform administration tokens (used by the key CLI to revoke keys on a running server):
 * JWTs signed by a platform signing key for the audience `<API audience>-admin`, with
 * `kind: "admin"`. They are never API keys: the API middleware refuses them (wrong audience).
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { API_KEY_ALGORITHM, type ApiKeyConfig } from './api-keys';

export function adminAudience(apiAudience: string): string {
  return `${apiAudience}-admin`;
}

export async function verifyAdminToken(token: string, config: ApiKeyConfig): Promise<boolean> {
  try {
    const keys = JSON.parse(config.publicKeySet) as JSONWebKeySet;
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: keys.keys.filter((k) => k.d === undefined) }), {
      algorithms: [API_KEY_ALGORITHM],
      issuer: config.issuer,
      audience: adminAudience(config.audience),
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: '10m',
    });
    return payload['kind'] === 'admin';
  } catch {
    return false;
  }
}
