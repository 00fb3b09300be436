/**
 * Checkout Sessions: create (payment mode creates its PaymentIntent at once), retrieve (with
 * `expand[]` payment_intent / customer / line_items), list, line items, expire; the publishable
 * key's view of a session; and the account's hosted-page publishable key.
 */
import { assert } from '../../src/domain/assert';
import {
  CHECKOUT_EMBEDDED_LINE_ITEMS_MAX,
  checkExpiresAt,
  type CheckoutLineItem,
  type CheckoutSession,
} from '../../src/domain/checkout/session';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { checkChargeAmount } from '../../src/domain/money/amount';
import { SUBSCRIPTION_INCOMPLETE_EXPIRY_SECONDS } from '../../src/domain/limits';
import { isCurrencyCode } from '../../src/domain/money/currency';
import { err, ok, type Result } from '../../src/domain/result';
import { randomBase62 } from '../../src/platform/ids';
import { toListJson, type ListArgs } from '../../src/stripe/list';
import { applyMetadataPatch } from '../../src/stripe/params/common';
import type { CheckoutSessionCreateCommand, CheckoutSessionListCommand } from '../../src/stripe/params/checkout-sessions';
import type { Handler, OperationContext } from '../context';
import { applyExpansions } from '../expand';
import { scheduleDueCheck } from '../ledger-store';
import { createLineItems, planLineItems, renderLineItem } from './checkout-line-items';
import { CHECKOUT_SESSION, currentSession, expireSession, loadSession, readPublishableKey, renderSession, saveSession, writePublishableKey } from './checkout-session-store';
import { loadCustomer } from './customers';
import { listPage } from './lists';
import { checkSubscriptionItems, startSubscription } from './checkout-subscription';
import { createPaymentIntent } from './payment-intents';

function hostedUrl(origin: string, accountId: string, id: string): string {
  return `${origin}/c/pay/${accountId}/${id}`;
}

interface Collection {
  readonly customer: string | null;
  readonly intent: string;
  readonly subscription: string | null;
  readonly invoice: string | null;
}

/** Payment mode: the session's own PaymentIntent, created unconfirmed (the hosted page confirms it). */
function startPayment(ctx: OperationContext, command: CheckoutSessionCreateCommand, total: number, currency: string): Result<Collection, DomainError> {
  const intent = createPaymentIntent.begin(ctx, {
    amount: total,
    currency,
    ...(command.customer === undefined ? {} : { customer: command.customer }),
    captureMethod: 'automatic',
    confirmationMethod: 'automatic',
    paymentMethodTypes: ['card'],
    allowedPaymentMethodTypes: ['card'],
    automaticPaymentMethods: null,
    confirm: false,
    options: { offSession: false, errorOnRequiresAction: false, ...(command.customerEmail === undefined ? {} : { receiptEmail: command.customerEmail }) },
    origin: command.origin,
  });
  if (!intent.ok) return intent;
  assert('done' in intent.value, 'an unconfirmed PaymentIntent is created in one step');
  return ok({ customer: command.customer ?? null, intent: (intent.value.done as { id: string }).id, subscription: null, invoice: null });
}

export const createCheckoutSession: Handler<CheckoutSessionCreateCommand & { expand: readonly string[] }> = (ctx, command) => {
  if (command.customer !== undefined) {
    const customer = loadCustomer(ctx, command.customer);
    if (!customer || customer.data.deleted) return err(resourceMissing('customer', command.customer, 'customer'));
  }
  const expiresAt = checkExpiresAt(command.expiresAt, ctx.nowSeconds);
  if (!expiresAt.ok) return expiresAt;
  const plan = planLineItems(ctx, command.mode, command.lineItems);
  if (!plan.ok) return plan;
  const { currency, total } = plan.value;
  assert(isCurrencyCode(currency), 'line item prices carry a supported currency');
  if (command.mode === 'subscription') {
    const rules = checkSubscriptionItems(plan.value.items);
    if (!rules.ok) return rules;
  }
  const amount = checkChargeAmount(total, currency, 'line_items');
  if (!amount.ok) return amount;
  const items = createLineItems(ctx, plan.value, command.mode);
  const collection = command.mode === 'payment' ? startPayment(ctx, command, total, currency) : startSubscription(ctx, items, command);
  if (!collection.ok) return collection;
  const id = `cs_${ctx.livemode ? 'live' : 'test'}_${randomBase62(58)}`;
  const session: CheckoutSession = {
    id,
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    mode: command.mode,
    status: 'open',
    paymentStatus: 'unpaid',
    currency,
    amountSubtotal: total,
    amountTotal: total,
    customer: collection.value.customer,
    customerEmail: command.customerEmail ?? null,
    customerDetails: null,
    clientReferenceId: command.clientReferenceId ?? null,
    successUrl: command.successUrl ?? null,
    cancelUrl: command.cancelUrl ?? null,
    metadata: applyMetadataPatch({}, command.metadata),
    // A subscription-mode session ends no later than its incomplete subscription (23 h).
    expiresAt: command.mode === 'subscription' ? Math.min(expiresAt.value, ctx.nowSeconds + SUBSCRIPTION_INCOMPLETE_EXPIRY_SECONDS) : expiresAt.value,
    lineItems: items,
    paymentIntent: command.mode === 'payment' ? collection.value.intent : null,
    collectIntent: collection.value.intent,
    subscription: collection.value.subscription,
    invoice: collection.value.invoice,
    url: hostedUrl(command.origin, ctx.accountId, id),
  };
  saveSession(ctx, null, session);
  scheduleDueCheck(ctx.sql, 'checkout_session', id, session.expiresAt);
  return ok(expanded(ctx, session, command.expand));
};

function lineItemList(ctx: OperationContext, session: CheckoutSession, items: readonly CheckoutLineItem[], hasMore: boolean) {
  return toListJson(`/v1/checkout/sessions/${session.id}/line_items`, items.map((item) => renderLineItem(ctx, item)), hasMore);
}

/** Renders with `expand[]`: `line_items` is includable; the rest are ids replaced by objects. */
function expanded(ctx: OperationContext, session: CheckoutSession, expand: readonly string[]): unknown {
  const json: Record<string, unknown> = renderSession(session);
  if (expand.includes('line_items')) {
    const shown = session.lineItems.slice(0, CHECKOUT_EMBEDDED_LINE_ITEMS_MAX);
    json['line_items'] = lineItemList(ctx, session, shown, session.lineItems.length > shown.length);
  }
  return applyExpansions(ctx, json, expand.filter((path) => path !== 'line_items'));
}

export interface RetrieveCommand {
  readonly id: string;
  readonly expand: readonly string[];
}

export const retrieveCheckoutSession: Handler<RetrieveCommand> = (ctx, { id, expand }) => {
  const stored = loadSession(ctx, id);
  if (!stored) return err(resourceMissing('checkout.session', id));
  return ok(expanded(ctx, currentSession(ctx, stored), expand));
};

/** What a publishable key may read: the session it pays, without the merchant's metadata. */
export const clientRetrieveCheckoutSession: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadSession(ctx, id);
  if (!stored) return err(resourceMissing('checkout.session', id));
  return ok({ ...renderSession(currentSession(ctx, stored)), metadata: {}, client_reference_id: null });
};

export const listCheckoutSessions: Handler<CheckoutSessionListCommand> = (ctx, command) => {
  const parent = command.paymentIntent ?? command.subscription ?? null;
  const page = listPage<CheckoutSession>(ctx, {
    type: CHECKOUT_SESSION,
    url: '/v1/checkout/sessions',
    list: command.list,
    equals: { customer: command.customer ?? null, parent, status: command.status ?? null },
    render: (session) => expanded(ctx, session, command.expand.map((path) => path.replace(/^data\./, ''))),
  });
  return page;
};

export const listCheckoutLineItems: Handler<{ id: string; list: ListArgs }> = (ctx, { id, list }) => {
  const stored = loadSession(ctx, id);
  if (!stored) return err(resourceMissing('checkout.session', id));
  const items = stored.data.lineItems;
  const cursor = list.startingAfter ?? list.endingBefore;
  if (list.startingAfter !== undefined && list.endingBefore !== undefined) {
    return err(invalidRequestError('You may only specify one of these parameters: starting_after, ending_before.', 'ending_before', 'parameters_exclusive'));
  }
  const at = cursor === undefined ? -1 : items.findIndex((item) => item.id === cursor);
  if (cursor !== undefined && at < 0) {
    return err(invalidRequestError(`No such line item: '${cursor}'`, list.startingAfter !== undefined ? 'starting_after' : 'ending_before', 'resource_missing'));
  }
  if (list.endingBefore !== undefined) {
    const from = Math.max(0, at - list.limit);
    return ok(lineItemList(ctx, stored.data, items.slice(from, at), from > 0));
  }
  const from = at + 1;
  return ok(lineItemList(ctx, stored.data, items.slice(from, from + list.limit), from + list.limit < items.length));
};

export const expireCheckoutSession: Handler<RetrieveCommand> = (ctx, { id, expand }) => {
  const stored = loadSession(ctx, id);
  if (!stored) return err(resourceMissing('checkout.session', id));
  const expired = expireSession(ctx, stored);
  if (!expired.ok) return expired;
  return ok(expanded(ctx, expired.value, expand));
};

/** The publishable key the hosted page uses (verified for this account and mode at the edge). */
export const setCheckoutSettings: Handler<{ publishableKey: string }> = (ctx, { publishableKey }) => {
  writePublishableKey(ctx, publishableKey);
  return ok(settingsJson(ctx));
};

export const retrieveCheckoutSettings: Handler<Record<string, never>> = (ctx) => ok(settingsJson(ctx));

function settingsJson(ctx: OperationContext) {
  return { object: 'edgepay.checkout_settings', livemode: ctx.livemode, publishable_key: readPublishableKey(ctx) };
}
