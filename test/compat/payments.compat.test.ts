import { describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { stripeClient } from '../support/stripe-client';
import { api, json } from '../support/http';

const noRedirects = { enabled: true, allow_redirects: 'never' as const };

async function client() {
  return stripeClient(await mintTestKey(newAccountId()));
}

describe('PaymentIntents over raw HTTP', () => {
  it('accepts the legacy payment_method_types spelling as well as allowed_payment_method_types', async () => {
    const key = await mintTestKey(newAccountId());
    const body = { amount: '1000', currency: 'usd', 'payment_method_types[0]': 'card', payment_method: 'pm_card_visa', confirm: 'true' };
    const res = await api('POST', '/v1/payment_intents', { key, body });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ status: 'succeeded', allowed_payment_method_types: ['card'], payment_method_types: ['card'] });
  });
});

describe('PaymentIntents through the stripe client', () => {
  it('creates and confirms a payment with a magic test card', async () => {
    const stripe = await client();
    const customer = await stripe.customers.create({ email: 'pay@example.com' });
    const pi = await stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      automatic_payment_methods: noRedirects,
    });
    expect(pi.status).toBe('succeeded');
    expect(pi.amount_received).toBe(2000);
    expect(pi.payment_method).toMatch(/^pm_/);
    expect(pi.payment_method).not.toBe('pm_card_visa');
    expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount: 2000, amount_captured: 2000, captured: true, paid: true, status: 'succeeded', refunded: false });
    expect(charge.payment_method_details?.card).toMatchObject({ brand: 'visa', last4: '4242' });
    expect(charge.balance_transaction).toMatch(/^txn_/);
    const charges = await stripe.charges.list({ customer: customer.id });
    expect(charges.data.map((c) => c.id)).toEqual([charge.id]);
  });

  it('answers a decline with 402 card_error carrying the intent', async () => {
    const stripe = await client();
    const error = await stripe.paymentIntents
      .create({
        amount: 1500,
        currency: 'usd',
        payment_method: 'pm_card_visa_chargeDeclinedInsufficientFunds',
        confirm: true,
        automatic_payment_methods: noRedirects,
      })
      .then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    const cardError = error as Stripe.errors.StripeCardError;
    expect(cardError.statusCode).toBe(402);
    expect(cardError.code).toBe('card_declined');
    expect(cardError.decline_code).toBe('insufficient_funds');
    expect(cardError.payment_intent?.status).toBe('requires_payment_method');
    expect(cardError.payment_intent?.last_payment_error?.decline_code).toBe('insufficient_funds');
    expect(cardError.charge).toMatch(/^ch_/);
    const failed = await stripe.charges.retrieve(cardError.charge!);
    expect(failed).toMatchObject({ status: 'failed', paid: false, captured: false, failure_code: 'card_declined', balance_transaction: null });
  });

  it('requires a return_url when redirect-based methods are allowed', async () => {
    const stripe = await client();
    await expect(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_visa', confirm: true }),
    ).rejects.toMatchObject({ type: 'StripeInvalidRequestError', param: 'return_url' });
  });

  it('authorises, partially captures and refuses a second capture', async () => {
    const stripe = await client();
    const pi = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      payment_method: 'pm_card_mastercard',
      capture_method: 'manual',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    expect(pi.status).toBe('requires_capture');
    expect(pi.amount_capturable).toBe(5000);
    const held = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(held).toMatchObject({ captured: false, amount_captured: 0, balance_transaction: null, paid: true });
    await expect(stripe.paymentIntents.capture(pi.id, { amount_to_capture: 6000 })).rejects.toMatchObject({ param: 'amount_to_capture' });
    const captured = await stripe.paymentIntents.capture(pi.id, { amount_to_capture: 3000 });
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3000, amount_capturable: 0 });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ captured: true, amount_captured: 3000, amount_refunded: 0, refunded: false });
    await expect(stripe.paymentIntents.capture(pi.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('cancels a held authorisation without a refund', async () => {
    const stripe = await client();
    const pi = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
      allowed_payment_method_types: ['card'],
    });
    const canceled = await stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'requested_by_customer', amount_capturable: 0 });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount_refunded: 0, refunded: false, captured: false });
    await expect(stripe.paymentIntents.cancel(pi.id)).rejects.toMatchObject({ code: 'payment_intent_unexpected_state' });
  });

  it('moves a 3DS card to requires_action on-session and declines it off-session', async () => {
    const stripe = await client();
    const onSession = await stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://merchant.example/return',
    });
    expect(onSession.status).toBe('requires_action');
    expect(onSession.next_action?.type).toBe('redirect_to_url');
    const offSession = await stripe.paymentIntents
      .create({ amount: 1000, currency: 'usd', payment_method: 'pm_card_authenticationRequired', confirm: true, off_session: true, allowed_payment_method_types: ['card'] })
      .then(() => null, (e: Stripe.errors.StripeCardError) => e);
    expect(offSession?.code).toBe('authentication_required');
  });

  it('creates, updates and confirms in separate steps', async () => {
    const stripe = await client();
    const pi = await stripe.paymentIntents.create({ amount: 1200, currency: 'usd', allowed_payment_method_types: ['card'] });
    expect(pi.status).toBe('requires_payment_method');
    const updated = await stripe.paymentIntents.update(pi.id, { payment_method: 'pm_card_visa', metadata: { order: '7' } });
    expect(updated.status).toBe('requires_confirmation');
    expect(updated.metadata).toEqual({ order: '7' });
    const confirmed = await stripe.paymentIntents.confirm(pi.id);
    expect(confirmed.status).toBe('succeeded');
    const list = await stripe.paymentIntents.list({ limit: 5 });
    expect(list.data[0]?.id).toBe(pi.id);
  });
});
