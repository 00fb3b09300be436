/**
 * Bearer (`Authorization: Bearer sk_…`) or HTTP Basic with the key as user name (`curl -u sk_…:`).
 * Every failure gets the same 401 body (the key masked), so the response is no oracle for why.
 */
import type { MiddlewareHandler } from 'hono';
import { verifyApiKey } from '../../auth/api-keys';
import { authenticationFailed } from '../../stripe/errors';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export type PresentedCredential =
  | { readonly kind: 'missing' }
  /** Not `Bearer <key>` / `Basic <base64>`: refused; `shown` is what the masked error may name. */
  | { readonly kind: 'malformed'; readonly shown: string }
  | { readonly kind: 'key'; readonly key: string };

export function readCredential(authorization: string | undefined): PresentedCredential {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'missing' };
  const match = /^(Bearer|Basic) ([^\s]+)$/i.exec(authorization);
  // The last token is most likely the key: masking it shows the key's own last four characters.
  if (!match) return { kind: 'malformed', shown: authorization.trim().split(/\s+/).pop() ?? '' };
  const [, scheme, credential] = match;
  if (scheme!.toLowerCase() === 'bearer') return { kind: 'key', key: credential! };
  try {
    const decoded = atob(credential!);
    const colon = decoded.indexOf(':');
    return { kind: 'key', key: colon === -1 ? decoded : decoded.slice(0, colon) };
  } catch {
    return { kind: 'malformed', shown: credential! };
  }
}

/** The key as shown (masked) in error messages, whatever the header's shape. */
export function presentedKey(authorization: string | undefined): string | null {
  const credential = readCredential(authorization);
  if (credential.kind === 'missing') return null;
  return credential.kind === 'key' ? credential.key : credential.shown;
}

export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticateMiddleware(c, next) {
    const credential = readCredential(c.req.header('authorization'));
    if (credential.kind === 'missing') return errorResponse(c, authenticationFailed(null));
    if (credential.kind === 'malformed' || credential.key === '') {
      return errorResponse(c, authenticationFailed(credential.kind === 'malformed' ? credential.shown : ''));
    }
    const key = credential.key;
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
