/** The Hono app: middleware order, one sub-app per resource, Stripe-shaped 404 and 500. */
import { Hono } from 'hono';
import { internalError, unrecognizedUrl } from './stripe/errors';
import type { AppEnv } from './http/context';
import { authenticate } from './http/middleware/authenticate';
import { idempotencyKey } from './http/middleware/idempotency';
import { requestId } from './http/middleware/request-id';
import { stripeHeaders } from './http/middleware/stripe-headers';
import { stripeParams } from './http/middleware/stripe-params';
import { errorResponse } from './http/respond';
import { admin } from './http/routes/admin';
import { authenticate as authenticateChallenge } from './http/routes/authenticate';
import { customers } from './http/routes/customers';
import { checkoutSessions, checkoutSettings } from './http/routes/checkout-sessions';
import { hostedCheckout } from './http/checkout/routes';
import { events } from './http/routes/events';
import { billing } from './http/routes/billing';
import { webhookEndpoints } from './http/routes/webhook-endpoints';
import { charges } from './http/routes/charges';
import { balance, balanceTransactions } from './http/routes/balance';
import { refunds } from './http/routes/refunds';
import { payouts } from './http/routes/payouts';
import { reconciliation } from './http/routes/reconciliation';
import { chargeSearch, customerSearch, paymentIntentSearch } from './http/routes/search';
import { tokens } from './http/routes/tokens';
import { paymentIntents } from './http/routes/payment-intents';
import { customerPaymentMethods, paymentMethods } from './http/routes/payment-methods';

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestId());
  app.use('/v1/*', authenticate(), stripeHeaders(), stripeParams(), idempotencyKey());
  app.route('/_edgepay/admin', admin);
  app.route('/_edgepay/authenticate', authenticateChallenge);
  // Search before the resources, whose `/:id` would otherwise take `search` as an id.
  app.route('/v1/customers', customerSearch);
  app.route('/v1/payment_intents', paymentIntentSearch);
  app.route('/v1/charges', chargeSearch);
  app.route('/v1/customers', customers);
  app.route('/v1/customers', customerPaymentMethods);
  app.route('/v1/payment_methods', paymentMethods);
  app.route('/v1/tokens', tokens);
  app.route('/v1/payment_intents', paymentIntents);
  app.route('/v1/checkout/sessions', checkoutSessions);
  app.route('/v1/edgepay/checkout_settings', checkoutSettings);
  app.route('/c', hostedCheckout);
  app.route('/v1/charges', charges);
  app.route('/v1/refunds', refunds);
  app.route('/v1/payouts', payouts);
  app.route('/v1/balance', balance);
  app.route('/v1/balance_transactions', balanceTransactions);
  app.route('/v1/events', events);
  app.route('/v1', billing);
  app.route('/v1/reconciliation', reconciliation);
  app.route('/v1/webhook_endpoints', webhookEndpoints);
  app.notFound((c) => errorResponse(c, unrecognizedUrl(c.req.method, new URL(c.req.url).pathname)));
  app.onError((error, c) => {
    console.error(`unhandled error: ${error.stack ?? error.message}`);
    return errorResponse(c, internalError());
  });
  return app;
}
