/**
 * The hosted payment page in a real browser: Debian's Chromium (headless, playwright-core) against
 * `npm start` on 127.0.0.1. Sessions are created with the official `stripe` client and keys minted
 * by the key CLI; the browser pays with Stripe's test cards by keyboard, and the test checks the
 * session, the PaymentIntent and the balance afterwards. Screenshots go to test/artifacts/checkout/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startMerchantSite, type Browser, type MerchantSite } from './browser';
import { freePort, keyCli, startServer, stopServer, type LocalServer } from './local-server';

const ACCOUNT = `acct_checkout_${Date.now().toString(36)}`;

describe('hosted checkout in Chromium', () => {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'edgepay-checkout-e2e-'));
  let server: LocalServer | undefined;
  let site: MerchantSite | undefined;
  let browser: Browser | undefined;
  let stripe: Stripe;

  async function mint(args: string[]): Promise<string> {
    const result = await keyCli(stateDir, args);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.trim();
  }

  beforeAll(async () => {
    server = await startServer(stateDir, await freePort());
    site = await startMerchantSite(await freePort());
    const secret = await mint(['--account', ACCOUNT]);
    const publishable = await mint(['--account', ACCOUNT, '--publishable']);
    expect(publishable).toMatch(/^pk_test_[A-Za-z0-9_.-]+$/);
    stripe = new Stripe(secret, { host: '127.0.0.1', port: server.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
    const registered = await fetch(`http://127.0.0.1:${server.port}/v1/edgepay/checkout_settings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ publishable_key: publishable }),
    });
    expect(registered.status).toBe(200);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await site?.close().catch(() => undefined);
    if (server) await stopServer(server.pid);
    rmSync(stateDir, { recursive: true, force: true });
  });

  async function newSession(name: string, unitAmount: number) {
    return stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', product_data: { name }, unit_amount: unitAmount }, quantity: 2 }],
      customer_email: 'ada@example.com',
      success_url: `${site!.origin}/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${site!.origin}/cart`,
    });
  }

  /** Fills the card form by keyboard only, in tab order, and submits with Enter. */
  async function payByKeyboard(page: Page, card: { number: string; expiry?: string; cvc?: string }): Promise<void> {
    const email = page.getByLabel('Email');
    await email.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('ada@example.com');
    for (const value of [card.number, card.expiry ?? '12 / 34', card.cvc ?? '123', 'Ada Lovelace']) {
      await page.keyboard.press('Tab');
      await page.keyboard.press('Control+A');
      await page.keyboard.type(value);
    }
    await page.keyboard.press('Enter');
  }

  async function pendingUsd(): Promise<number> {
    return (await stripe.balance.retrieve()).pending.find((b) => b.currency === 'usd')?.amount ?? 0;
  }

  it('pays with 4242 4242 4242 4242 and lands on the success URL; session complete, PaymentIntent succeeded, balance moved', async () => {
    const session = await newSession('Poster', 1250);
    const before = await pendingUsd();
    const page = await browser!.newPage();
    await page.goto(session.url!);
    expect(await page.textContent('#total')).toBe('25.00 USD');
    await screenshot(page, '01-payment-page');
    await payByKeyboard(page, { number: '4242 4242 4242 4241', expiry: '01 / 20', cvc: '12' });
    expect(await page.textContent('#card-number-error')).toContain('not valid');
    expect(await page.textContent('#card-expiry-error')).toContain('expired');
    expect(await page.textContent('#card-cvc-error')).toContain('3-digit');
    expect(await page.getAttribute('#card-number', 'aria-invalid')).toBe('true');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('card-number');
    await screenshot(page, '02-inline-validation');
    await payByKeyboard(page, { number: '4242 4242 4242 4242' });
    await page.waitForURL(`${site!.origin}/success?session_id=${session.id}`);
    expect(await page.textContent('h1')).toBe('Order confirmed');
    await screenshot(page, '03-success-url');
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', customer_details: { email: 'ada@example.com', name: 'Ada Lovelace' } });
    expect(done.payment_intent).toMatchObject({ status: 'succeeded', amount_received: 2500 });
    expect(await pendingUsd()).toBeGreaterThan(before);
    await page.goto(session.url!);
    expect(await page.textContent('h1')).toBe('Payment complete');
    await screenshot(page, '04-complete-session-page');
    await page.close();
  });

  it('shows a decline as a readable message and lets the customer retry with another card', async () => {
    const session = await newSession('Lamp', 2000);
    const page = await browser!.newPage();
    await page.goto(session.url!);
    await payByKeyboard(page, { number: '4000 0000 0000 0002' });
    await page.locator('#pay-status', { hasText: 'declined' }).waitFor();
    expect(await page.textContent('#pay-status')).toBe('Your card was declined.');
    expect(await page.isEnabled('#pay-button')).toBe(true);
    await screenshot(page, '05-declined');
    await payByKeyboard(page, { number: '4000 0000 0000 9995' });
    await page.locator('#pay-status', { hasText: 'insufficient funds' }).waitFor();
    await payByKeyboard(page, { number: '4242 4242 4242 4242' });
    await page.waitForURL(`${site!.origin}/success?session_id=${session.id}`);
    await screenshot(page, '06-retry-success');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
    const charges = await stripe.charges.list({ payment_intent: session.payment_intent as string });
    expect(charges.data.map((c) => c.status).sort()).toEqual(['failed', 'failed', 'succeeded']);
    await page.close();
  });

  it('takes a 3DS card through the authentication step to the success URL, and back to the form when it fails', async () => {
    const session = await newSession('Chair', 4500);
    const page = await browser!.newPage();
    await page.goto(session.url!);
    await payByKeyboard(page, { number: '4000 0027 6000 3184' });
    await page.waitForURL(/\/_edgepay\/authenticate\//);
    await screenshot(page, '07-3ds-challenge');
    await page.getByRole('button', { name: 'Fail authentication' }).click();
    await page.waitForURL(session.url!);
    expect(await page.textContent('#pay-status')).toBe('Authentication with your bank failed. Try again, or use another card.');
    await screenshot(page, '08-3ds-failed-back-on-form');
    await payByKeyboard(page, { number: '4000 0027 6000 3184' });
    await page.waitForURL(/\/_edgepay\/authenticate\//);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(`${site!.origin}/success?session_id=${session.id}`);
    await screenshot(page, '09-3ds-success-url');
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(done.status).toBe('complete');
    expect(done.payment_intent).toMatchObject({ status: 'succeeded' });
    await page.close();
  });

  it('subscribes: the page pays the first invoice and the subscription turns active', async () => {
    const product = await stripe.products.create({ name: 'Magazine' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 700, recurring: { interval: 'month' } });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      customer_email: 'ada@example.com',
      success_url: `${site!.origin}/success?session_id={CHECKOUT_SESSION_ID}`,
    });
    const page = await browser!.newPage();
    await page.goto(session.url!);
    await payByKeyboard(page, { number: '4242 4242 4242 4242' });
    await page.waitForURL(`${site!.origin}/success?session_id=${session.id}`);
    await screenshot(page, '12-subscription-success-url');
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
    expect((await stripe.subscriptions.retrieve(session.subscription as string)).status).toBe('active');
    expect((await stripe.invoices.retrieve(session.invoice as string)).status).toBe('paid');
    await page.close();
  });

  it('is readable on a phone-sized viewport, cancels back to the merchant, and shows expired sessions clearly', async () => {
    const session = await newSession('Scarf', 900);
    const page = await browser!.newPage({ width: 375, height: 667 });
    await page.goto(session.url!);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await screenshot(page, '10-phone-viewport');
    await page.getByRole('link', { name: 'Cancel and return to the merchant' }).click();
    await page.waitForURL(`${site!.origin}/cart`);
    await stripe.checkout.sessions.expire(session.id);
    const response = await page.goto(session.url ?? '');
    expect(response?.status()).toBe(410);
    expect(await page.textContent('h1')).toBe('This checkout session has expired');
    await screenshot(page, '11-expired');
    await page.close();
  });

  it('made no request outside 127.0.0.1 and hit no CSP violation or script error', () => {
    expect(browser!.blocked).toEqual([]);
    expect(browser!.problems).toEqual([]);
  });
});
