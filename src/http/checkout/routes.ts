/**
 * The hosted payment page, served by the Worker on the API's origin (outside /v1: no API key).
 * `/c/pay/<account>/<cs_test_…>` shows the session (the unguessable session id is the
 * capability, as on Stripe); `…/return` is where the page and the 3DS challenge come back to:
 * it sends the customer to the success URL once the session is complete, else back to the page.
 */
import { Hono, type Context } from 'hono';
import { ACCOUNT_ID_PATTERN } from '../../domain/ids';
import type { HostedCheckoutView } from '../../../durable-objects/operations/checkout-hosted';
import type { AppEnv } from '../context';
import { continuePage, messagePage, paymentPage } from './page';
import { CHECKOUT_SCRIPT, CHECKOUT_STYLES } from './script';

export const hostedCheckout = new Hono<AppEnv>();

const SESSION_ID = /^cs_(test|live)_[A-Za-z0-9]{1,200}$/;

const ASSET_HEADERS = { 'Cache-Control': 'public, max-age=300', 'X-Content-Type-Options': 'nosniff' } as const;

hostedCheckout.get('/assets/checkout.js', () => new Response(CHECKOUT_SCRIPT, { headers: { ...ASSET_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' } }));
hostedCheckout.get('/assets/checkout.css', () => new Response(CHECKOUT_STYLES, { headers: { ...ASSET_HEADERS, 'Content-Type': 'text/css; charset=utf-8' } }));

function notFound(): Response {
  return messagePage(404, 'Checkout session not found', 'This payment link is not valid. Check the link you were given, or return to the merchant and start again.');
}

async function loadView(c: Context<AppEnv>): Promise<HostedCheckoutView | null> {
  const account = c.req.param('account') ?? '';
  const sessionId = c.req.param('session') ?? '';
  const match = SESSION_ID.exec(sessionId);
  if (!ACCOUNT_ID_PATTERN.test(account) || match === null) return null;
  return c.env.MERCHANT_ACCOUNT.getByName(`${account}:${match[1]}`).hostedCheckout(sessionId);
}

function pagePath(view: HostedCheckoutView): string {
  return `/c/pay/${view.accountId}/${view.id}`;
}

function completePage(view: HostedCheckoutView): Response {
  const links = view.successUrl === null ? [] : [{ href: view.successUrl, text: 'Return to the merchant' }];
  return messagePage(200, 'Payment complete', 'Thank you: this order has been paid.', links);
}

function expiredPage(view: HostedCheckoutView): Response {
  const links = view.cancelUrl === null ? [] : [{ href: view.cancelUrl, text: 'Return to the merchant' }];
  return messagePage(410, 'This checkout session has expired', 'The time to pay for this order has run out. Return to the merchant to start a new checkout.', links);
}

hostedCheckout.get('/pay/:account/:session', async (c) => {
  const view = await loadView(c);
  if (view === null) return notFound();
  if (view.status === 'complete') return completePage(view);
  if (view.status === 'expired') return expiredPage(view);
  if (view.intent === null) return messagePage(501, 'Payment not available', 'This kind of checkout session cannot be paid on this page yet.');
  if (view.publishableKey === null) {
    return messagePage(503, 'Payment not available', 'The merchant has not enabled hosted payments yet (no publishable key is registered). Please contact the merchant.');
  }
  const returnUrl = `${new URL(c.req.url).origin}${pagePath(view)}/return`;
  return paymentPage(view, { returnUrl, publishableKey: view.publishableKey, intentId: view.intent.id, clientSecret: view.intent.clientSecret });
});

hostedCheckout.get('/pay/:account/:session/return', async (c) => {
  const view = await loadView(c);
  if (view === null) return notFound();
  if (view.status === 'expired') return expiredPage(view);
  if (view.status === 'open') return c.redirect(pagePath(view), 303);
  if (view.successUrl === null) return completePage(view);
  // Coming back from the 3DS challenge's form POST: a cross-origin redirect in that chain would be
  // refused under the challenge page's CSP form-action, so continue with a page instead.
  if (c.req.query('redirect_status') !== undefined) return continuePage('Payment complete', 'Taking you back to the merchant…', view.successUrl);
  return c.redirect(view.successUrl, 303);
});
