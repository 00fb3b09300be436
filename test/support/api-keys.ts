/** Mints API keys inside workerd with the real signing code (src/auth/api-keys.ts). */
import { env } from 'cloudflare:workers';
import type { JWK } from 'jose';
import { mintApiKey } from '../../src/auth/api-keys';
import type { KeyKind } from '../../src/auth/principal';
import { randomBase62 } from '../../src/platform/ids';

export interface TestKeyOptions {
  kind?: KeyKind;
  livemode?: boolean;
  scopes?: string[];
  keyId?: string;
  ttlSeconds?: number;
  nowSeconds?: number;
  issuer?: string;
  audience?: string;
  jwk?: string;
}

export function newAccountId(): string {
  return `acct_${randomBase62(16)}`;
}

export async function mintTestKey(accountId: string, options: TestKeyOptions = {}): Promise<string> {
  const jwk = JSON.parse(options.jwk ?? env.TEST_SIGNING_JWK) as JWK & { kid: string };
  return mintApiKey(jwk, jwk.kid, {
    accountId,
    kind: options.kind ?? 'secret',
    livemode: options.livemode ?? false,
    scopes: options.scopes ?? [],
    keyId: options.keyId ?? `key_${randomBase62(16)}`,
    ttlSeconds: options.ttlSeconds ?? 3600,
    nowSeconds: options.nowSeconds ?? Math.floor(Date.now() / 1000),
    issuer: options.issuer ?? env.API_KEY_ISSUER,
    audience: options.audience ?? env.API_KEY_AUDIENCE,
  });
}
