/**
 * Platform administration (not part of Stripe's API): revoking an API key by its id (`jti`).
 * Authenticated with an admin token signed by a platform key; the revocation is stored in the
 * account's Durable Object, which every request for that account reaches, so the next request
 * with the key is refused.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { verifyAdminToken } from '../../auth/admin';
import { ACCOUNT_ID_PATTERN } from '../../domain/ids';
import { authenticationFailed, invalidRequest } from '../../stripe/errors';
import { accountStub } from '../account';
import type { AppEnv } from '../context';
import { errorResponse, JSON_HEADERS } from '../respond';

export const admin = new Hono<AppEnv>();

const RevocationBody = z.strictObject({
  account: z.string().regex(ACCOUNT_ID_PATTERN),
  livemode: z.boolean(),
  key_id: z.string().min(1).max(128),
});

admin.post('/revocations', async (c) => {
  const token = c.req.header('authorization')?.replace(/^Bearer /i, '') ?? '';
  const config = { issuer: c.env.API_KEY_ISSUER, audience: c.env.API_KEY_AUDIENCE, publicKeySet: c.env.API_KEY_JWKS ?? '' };
  if (!(await verifyAdminToken(token, config))) return errorResponse(c, authenticationFailed(null));
  const parsed = RevocationBody.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return errorResponse(c, invalidRequest('Expected {account, livemode, key_id}.'));
  const { account, livemode, key_id } = parsed.data;
  const stub = accountStub(c.env, { accountId: account, livemode, kind: 'secret', keyId: '', signingKeyId: '', scopes: [] });
  const result = await stub.revokeApiKey(key_id);
  return new Response(JSON.stringify({ object: 'api_key_revocation', key_id, account, livemode, ...result }), { headers: JSON_HEADERS });
});
