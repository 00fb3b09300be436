import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, BASE, json } from '../support/http';
import { exports } from 'cloudflare:workers';

async function requiresAction(key: string) {
  const res = await api('POST', '/v1/payment_intents', {
    key,
    body: { amount: '1000', currency: 'usd', payment_method: 'pm_card_threeDSecure2Required', confirm: 'true', return_url: 'https://shop.example/done' },
  });
  const intent = await json(res);
  expect(intent.status).toBe('requires_action');
  return intent;
}

function challenge(url: string, outcome?: string) {
  const init: RequestInit = outcome === undefined ? {} : { method: 'POST', body: new URLSearchParams({ outcome }), redirect: 'manual' };
  return exports.default.fetch(new Request(url.replace(/^https?:\/\/[^/]+/, BASE), init));
}

describe('test-mode 3D Secure challenge page', () => {
  it('completes authentication, charges once and redirects to the return_url', async () => {
    const accountId = newAccountId();
    const key = await mintTestKey(accountId);
    const intent = await requiresAction(key);
    const url: string = intent.next_action.redirect_to_url.url;
    const pageRes = await challenge(url);
    expect(pageRes.status).toBe(200);
    expect(pageRes.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await pageRes.text()).toContain('Complete authentication');
    const done = await challenge(url, 'complete');
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://shop.example/done');
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');
    expect(location.searchParams.get('payment_intent')).toBe(intent.id);
    const after = await json(await api('GET', `/v1/payment_intents/${intent.id}`, { key }));
    expect(after).toMatchObject({ status: 'succeeded', amount_received: 1000, next_action: null });
    const processor = env.CARD_PROCESSOR.getByName(`${accountId}:test`);
    expect(await processor.operationCountForTest()).toBe(1);
    const again = await challenge(url, 'complete');
    expect(again.status).toBe(303);
    expect(new URL(again.headers.get('location')!).searchParams.get('redirect_status')).toBe('failed');
    expect((await json(await api('GET', '/v1/charges', { key }))).data).toHaveLength(1);
  });

  it('fails authentication back to requires_payment_method', async () => {
    const key = await mintTestKey(newAccountId());
    const intent = await requiresAction(key);
    const failed = await challenge(intent.next_action.redirect_to_url.url, 'fail');
    expect(new URL(failed.headers.get('location')!).searchParams.get('redirect_status')).toBe('failed');
    const after = await json(await api('GET', `/v1/payment_intents/${intent.id}`, { key }));
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error.code).toBe('payment_intent_authentication_failure');
  });

  it('refuses a forged token', async () => {
    const key = await mintTestKey(newAccountId());
    const intent = await requiresAction(key);
    const forged = (intent.next_action.redirect_to_url.url as string).replace(/\/[^/]+$/, '/0123456789abcdef0123456789abcdef');
    expect((await challenge(forged, 'complete')).status).toBe(404);
    const after = await json(await api('GET', `/v1/payment_intents/${intent.id}`, { key }));
    expect(after.status).toBe('requires_action');
  });
});
