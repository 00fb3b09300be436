import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { WEBHOOK_SECRET_RANDOM_LENGTH } from '../../../src/domain/limits';
import { newWebhookSecret, signatureHeader } from '../../../src/platform/webhook-signature';

const stripe = new Stripe('sk_test_unused');
const body = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1', name: 'Zoë ✓' } } });

describe('signatureHeader', () => {
  it('produces exactly what stripe-node’s generateTestHeaderString produces', async () => {
    const secret = 'whsec_test_secret_value_0123456789abcdef';
    const expected = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: 1_700_000_000 });
    expect(await signatureHeader(body, [secret], 1_700_000_000)).toBe(expected);
  });

  it('is verified by constructEvent, and one v1 per secret lets either secret verify', async () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    const now = Math.floor(Date.now() / 1000);
    const header = await signatureHeader(body, [b, a], now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(stripe.webhooks.constructEvent(body, header, a).id).toBe('evt_1');
    expect(stripe.webhooks.constructEvent(body, header, b).id).toBe('evt_1');
    expect(() => stripe.webhooks.constructEvent(body, header, newWebhookSecret())).toThrow(/No signatures found/);
  });

  it('keys the HMAC with the whole secret including whsec_ and signs `t.body` in lowercase hex', async () => {
    const secret = newWebhookSecret();
    const header = await signatureHeader(body, [secret], 42);
    expect(header).toBe(`t=42,v1=${createHmac('sha256', secret).update(`42.${body}`).digest('hex')}`);
  });

  it('fails verification when one body byte changes or the timestamp is stale', async () => {
    const secret = newWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const header = await signatureHeader(body, [secret], now);
    expect(() => stripe.webhooks.constructEvent(body.replace('Zoë', 'Zoe'), header, secret)).toThrow();
    const stale = await signatureHeader(body, [secret], now - 301);
    expect(() => stripe.webhooks.constructEvent(body, stale, secret)).toThrow(/tolerance/);
  });

  it('refuses to sign without a secret', async () => {
    await expect(signatureHeader(body, [], 1)).rejects.toThrow();
  });
});

describe('newWebhookSecret', () => {
  it('is whsec_ plus random base62 characters, different every time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => newWebhookSecret()));
    expect(secrets.size).toBe(50);
    for (const s of secrets) expect(s).toMatch(new RegExp(`^whsec_[0-9A-Za-z]{${WEBHOOK_SECRET_RANDOM_LENGTH}}$`));
  });
});
