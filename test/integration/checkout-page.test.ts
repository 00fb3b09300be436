import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { createSession, merchantWithHostedPage, payWithCard } from '../support/checkout';
import { api, BASE, json } from '../support/http';

function get(pathOrUrl: string, init: RequestInit = {}) {
  return exports.default.fetch(new Request(pathOrUrl.replace(/^https?:\/\/[^/]+/, BASE).replace(/^\//, `${BASE}/`), { redirect: 'manual', ...init }));
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

describe('hosted checkout page', () => {
  it('renders the order and an accessible card form under a strict CSP, with no inline code and no named card inputs', async () => {
    const merchant = await merchantWithHostedPage();
    const session = await createSession(merchant.secret, { customer_email: 'buyer@example.com' });
    const res = await get(session.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('T-shirt × 2');
    expect(html).toContain('30.00 USD');
    expect(html).toContain('value="buyer@example.com"');
    for (const id of ['email', 'card-number', 'card-expiry', 'card-cvc', 'card-name']) {
      expect(html).toContain(`<label for="${id}">`);
      expect(html).toContain(`aria-describedby="${id === 'card-expiry' || id === 'card-cvc' ? `${id}-hint ` : ''}${id}-error"`);
    }
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain(`data-key="${merchant.publishable}"`);
    expect(html).toContain(`data-return-url="http://edgepay.test/c/pay/${merchant.accountId}/${session.id}/return"`);
    expect(html).not.toMatch(/<input[^>]* name=/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/c\/assets\/checkout\.js")/);
    expect(html).not.toMatch(/ style=|<style/);
    expect(html).not.toMatch(/https?:\/\/(?!edgepay\.test|shop\.example)/);
  });

  it('serves its one script and stylesheet first-party, with no third-party URL in them', async () => {
    const script = await get('/c/assets/checkout.js');
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const css = await get('/c/assets/checkout.css');
    expect(css.headers.get('content-type')).toContain('text/css');
    for (const text of [await script.text(), await css.text()]) expect(text).not.toMatch(/https?:\/\//);
  });

  it('shows clear pages for unknown, expired, complete and not-yet-enabled sessions', async () => {
    const merchant = await merchantWithHostedPage();
    for (const path of [`/c/pay/${merchant.accountId}/cs_test_doesnotexist`, '/c/pay/acct_nobody/cs_test_abc', '/c/pay/not-an-account/cs_test_abc', `/c/pay/${merchant.accountId}/pi_123`]) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Checkout session not found');
    }
    const expired = await createSession(merchant.secret);
    await api('POST', `/v1/checkout/sessions/${expired.id}/expire`, { key: merchant.secret });
    const gone = await get(expired.url);
    expect(gone.status).toBe(410);
    const goneHtml = await gone.text();
    expect(goneHtml).toContain('This checkout session has expired');
    expect(goneHtml).toContain('href="https://shop.example/cart"');
    const paid = await createSession(merchant.secret);
    await payWithCard(merchant, paid, '4242424242424242');
    const done = await get(paid.url);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Payment complete');
    const bare = await mintTestKey(newAccountId());
    const unconfigured = await get((await createSession(bare)).url);
    expect(unconfigured.status).toBe(503);
    expect(await unconfigured.text()).toContain('no publishable key is registered');
  });

  it('return sends an open session back to the page and a complete one on to the success URL', async () => {
    const merchant = await merchantWithHostedPage();
    const session = await createSession(merchant.secret);
    const returnUrl = `${session.url}/return`;
    const open = await get(returnUrl);
    expect(open.status).toBe(303);
    expect(open.headers.get('location')).toBe(`/c/pay/${merchant.accountId}/${session.id}`);
    await payWithCard(merchant, session, '4242424242424242', returnUrl);
    const done = await get(returnUrl);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`https://shop.example/success?session=${session.id}`);
    const afterChallenge = await get(`${returnUrl}?redirect_status=succeeded`);
    expect(afterChallenge.status).toBe(200);
    expect(await afterChallenge.text()).toContain(`<meta http-equiv="refresh" content="0;url=https://shop.example/success?session=${session.id}">`);
  });

  it('passes a 3DS card through the challenge and back to completion; a failed challenge leaves it open with the reason shown', async () => {
    const merchant = await merchantWithHostedPage();
    for (const outcome of ['complete', 'fail'] as const) {
      const session = await createSession(merchant.secret);
      const returnUrl = `${session.url}/return`;
      const confirm = await json(await payWithCard(merchant, session, '4000002760003184', returnUrl));
      expect(confirm.status).toBe('requires_action');
      const challenge = await get(confirm.next_action.redirect_to_url.url, { method: 'POST', body: new URLSearchParams({ outcome }) });
      expect(challenge.status).toBe(303);
      const back = new URL(challenge.headers.get('location')!);
      expect(back.origin + back.pathname).toBe(returnUrl);
      const landing = await get(back.toString());
      const status = (await json(await api('GET', `/v1/checkout/sessions/${session.id}`, { key: merchant.secret }))).status;
      if (outcome === 'complete') {
        expect(landing.status).toBe(200);
        expect(await landing.text()).toContain(`url=https://shop.example/success?session=${session.id}`);
        expect(status).toBe('complete');
      } else {
        expect(landing.status).toBe(303);
        expect(status).toBe('open');
        expect(await (await get(session.url)).text()).toContain('Authentication with your bank failed. Try again, or use another card.');
      }
    }
  });
});
