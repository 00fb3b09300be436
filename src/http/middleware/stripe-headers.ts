/** `Stripe-Version` (accepted when well-formed, echoed) and `Stripe-Account` (Connect: not supported → 403). */
import type { MiddlewareHandler } from 'hono';
import { invalidRequest, wireError } from '../../stripe/errors';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

const API_VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

export function stripeHeaders(): MiddlewareHandler<AppEnv> {
  return async function stripeHeadersMiddleware(c, next) {
    const version = c.req.header('stripe-version');
    if (version !== undefined) {
      if (!API_VERSION_PATTERN.test(version)) {
        return errorResponse(c, invalidRequest(`Invalid Stripe API version: ${version.slice(0, 40)}`, null, 'api_version_invalid'));
      }
      c.set('apiVersion', version);
    }
    if (c.req.header('stripe-account') !== undefined || c.req.header('stripe-context') !== undefined) {
      return errorResponse(
        c,
        wireError(403, 'invalid_request_error', 'Connect is not supported: the Stripe-Account header cannot be used with this API.', {
          code: 'account_invalid',
        }),
      );
    }
    await next();
  };
}
