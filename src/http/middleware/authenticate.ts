/**
 * Bearer (`Authorization: Bearer sk_…`) or HTTP Basic with the key as user name (`curl -u sk_…:`).
 * Every failure gets the same 401 body (the key masked), so the response is no oracle for why.
 */
import type { MiddlewareHandler } from 'hono';
import { verifyApiKey } from '../../auth/api-keys';
import { authenticationFailed } from '../../stripe/errors';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export function presentedKey(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^(Bearer|Basic) ([^\s]+)$/i.exec(authorization.trim());
  if (!match) return authorization.length > 0 ? authorization.slice(0, 64) : null;
  const [, scheme, credential] = match;
  if (scheme!.toLowerCase() === 'bearer') return credential!;
  try {
    const decoded = atob(credential!);
    const colon = decoded.indexOf(':');
    return colon === -1 ? decoded : decoded.slice(0, colon);
  } catch {
    return credential!;
  }
}

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticateMiddleware(c, next) {
    const key = presentedKey(c.req.header('authorization'));
    if (key === null || key === '') return errorResponse(c, authenticationFailed(null));
    const verified = await verifyApiKey(key, {
      issuer: c.env.API_KEY_ISSUER,
      audience: c.env.API_KEY_AUDIENCE,
      publicKeySet: c.env.API_KEY_JWKS ?? '',
    });
    if (!verified.ok) {
      console.warn(`api key rejected: ${verified.error}`);
      return errorResponse(c, authenticationFailed(key));
    }
    c.set('principal', verified.value);
    await next();
  };
}
