/** Every response carries `Request-Id: req_…`, and `Stripe-Version` echoing the version used. */
import type { MiddlewareHandler } from 'hono';
import { newRequestId } from '../../platform/ids';
import { API_VERSION } from '../../../durable-objects/context';
import type { AppEnv } from '../context';

export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const id = newRequestId();
    c.set('requestId', id);
    c.set('apiVersion', API_VERSION);
    await next();
    c.res.headers.set('Request-Id', id);
    c.res.headers.set('Stripe-Version', c.get('apiVersion'));
  };
}
