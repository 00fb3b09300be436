/** Checkout operations (sessions, hosted-page settings, the publishable-key PaymentIntent calls), merged into the registry (index.ts). */
import {
  clientRetrieveCheckoutSession,
  createCheckoutSession,
  expireCheckoutSession,
  listCheckoutLineItems,
  listCheckoutSessions,
  retrieveCheckoutSession,
  retrieveCheckoutSettings,
  setCheckoutSettings,
} from './checkout-sessions';
import { clientConfirmPaymentIntent, clientRetrievePaymentIntent } from './payment-intent-client';

export const CHECKOUT_OPERATIONS = {
  'checkout_sessions.create': createCheckoutSession,
  'checkout_sessions.retrieve': retrieveCheckoutSession,
  'checkout_sessions.list': listCheckoutSessions,
  'checkout_sessions.line_items': listCheckoutLineItems,
  'checkout_sessions.expire': expireCheckoutSession,
  'checkout_sessions.client_retrieve': clientRetrieveCheckoutSession,
  'checkout_settings.update': setCheckoutSettings,
  'checkout_settings.retrieve': retrieveCheckoutSettings,
  'payment_intents.client_confirm': clientConfirmPaymentIntent,
  'payment_intents.client_retrieve': clientRetrievePaymentIntent,
} as const;
