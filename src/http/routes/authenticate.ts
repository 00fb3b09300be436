/**
 * The test-mode 3D Secure challenge page behind `next_action.redirect_to_url.url` (Stripe hosts a
 * similar page for its test cards). The URL carries a capability token the account DO derived from
 * its secret, so only whoever received the PaymentIntent's next_action can complete or fail it.
 * GET shows the page; POST `outcome=complete|fail` finishes the step, then redirects to the
 * intent's return_url (with Stripe's query parameters) or shows the result.
 */
import { Hono, type Context } from 'hono';
import { ACCOUNT_ID_PATTERN } from '../../domain/ids';
import { newRequestId } from '../../platform/ids';
import { API_VERSION } from '../../../durable-objects/context';
import type { AppEnv } from '../context';

export const authenticate = new Hono<AppEnv>();

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(status: number, title: string, body: string): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' } });
}

function parseMerchant(merchant: string): { accountId: string; livemode: false } | null {
  const [accountId, mode] = merchant.split(':');
  if (mode !== 'test' || accountId === undefined || !ACCOUNT_ID_PATTERN.test(accountId)) return null;
  return { accountId, livemode: false };
}

authenticate.get('/:merchant/:intent/:token', (c) => {
  if (parseMerchant(c.req.param('merchant')) === null) return page(404, 'Not found', '<p>This authentication link is not valid.</p>');
  return page(
    200,
    'Test mode 3D Secure',
    `<p>This is a test payment (${escapeHtml(c.req.param('intent'))}). Choose how the cardholder's bank answers the challenge.</p>
<form method="post"><button name="outcome" value="complete">Complete authentication</button>
<button name="outcome" value="fail">Fail authentication</button></form>`,
  );
});

authenticate.post('/:merchant/:intent/:token', async (c: Context<AppEnv>) => {
  const merchant = c.req.param('merchant')!;
  const account = parseMerchant(merchant);
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const outcome = form['outcome'];
  if (account === null || (outcome !== 'complete' && outcome !== 'fail')) return page(404, 'Not found', '<p>This authentication link is not valid.</p>');
  const id = c.req.param('intent')!;
  const result = await c.env.MERCHANT_ACCOUNT.getByName(merchant).execute(
    { name: 'payment_intents.authenticate', input: { id, token: c.req.param('token')!, outcome, origin: new URL(c.req.url).origin } },
    { ...account, keyId: 'hosted_challenge', requestId: newRequestId(), apiVersion: API_VERSION, expand: [], idempotency: null },
  );
  const body = JSON.parse(result.body) as { status?: string; client_secret?: string; next_action?: unknown; error?: { message: string; payment_intent?: { client_secret?: string } } };
  if (result.status === 404) return page(404, 'Not found', '<p>This authentication link is not valid.</p>');
  const intent = body.error ? body.error.payment_intent : body;
  const returnUrl = await returnUrlOf(c, merchant, id);
  const succeeded = result.status === 200 && (body.status === 'succeeded' || body.status === 'requires_capture');
  if (returnUrl !== null) {
    const target = new URL(returnUrl);
    target.searchParams.set('payment_intent', id);
    if (intent?.client_secret) target.searchParams.set('payment_intent_client_secret', intent.client_secret);
    target.searchParams.set('redirect_status', succeeded ? 'succeeded' : 'failed');
    return c.redirect(target.toString(), 303);
  }
  return page(200, succeeded ? 'Payment authenticated' : 'Authentication failed', `<p>${escapeHtml(body.error?.message ?? `PaymentIntent status: ${body.status ?? 'unknown'}`)}</p>`);
});

async function returnUrlOf(c: Context<AppEnv>, merchant: string, id: string): Promise<string | null> {
  return c.env.MERCHANT_ACCOUNT.getByName(merchant).returnUrlForChallenge(id);
}
