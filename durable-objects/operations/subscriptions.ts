/**
 * Subscriptions: create (first invoice finalized and paid at once through the invoice payment
 * machinery — a phased operation), retrieve, update (items with or without prorations, payment
 * method, cancel at period end), cancel now, list. Later periods are billed by the alarm
 * (subscription-billing.ts), or by a test clock's advance.
 */
import type { AuthorizeResult } from '../../src/domain/cards/processing/protocol';
import { currentPeriod, TERMINAL_STATUSES, type Subscription, type SubscriptionStatus } from '../../src/domain/billing/subscription';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { SUBSCRIPTION_INCOMPLETE_EXPIRY_SECONDS } from '../../src/domain/limits';
import { err, ok, type Result } from '../../src/domain/result';
import { applyMetadataPatch, mergeMetadata } from '../../src/stripe/params/common';
import type { PaymentBehavior, SubscriptionCreateCommand, SubscriptionListCommand, SubscriptionUpdateCommand } from '../../src/stripe/params/subscriptions';
import { emit, type Handler, type OperationContext, type PhasedOperation } from '../context';
import type { StatusPattern } from '../store';
import { loadCustomer } from './customers';
import { finalizeDraft } from './invoice-lifecycle';
import { finishInvoicePayment, intentFor, startInvoicePayment, type InvoicePayState } from './invoice-pay';
import { invoiceTotals } from '../../src/domain/billing/invoice';
import { clockTime } from './invoice-store';
import { listPage } from './lists';
import { loadPaymentMethod } from './payment-methods';
import { authorize } from './payment-intent-confirm';
import { createPeriodInvoice, expireIncomplete } from './subscription-billing';
import { createProrations, resolveItemChanges, resolveNewItems } from './subscription-items';
import { commitSubscription, endSubscription, scheduleSubscription } from './subscription-settle';
import { loadSubscription, renderSubscription, saveSubscription, SUBSCRIPTION } from './subscription-store';

export interface SubscriptionCreateState {
  readonly subscriptionId: string;
  readonly behavior: PaymentBehavior;
  readonly pay: InvoicePayState;
}

function checkPaymentMethod(ctx: OperationContext, id: string | null | undefined, customer: string): Result<true, DomainError> {
  if (id === undefined || id === null) return ok(true);
  const method = loadPaymentMethod(ctx, id);
  if (!method || method.data.customer !== customer) {
    return err(invalidRequestError(`No such PaymentMethod: '${id}'; it must be attached to customer ${customer}.`, 'default_payment_method', 'resource_missing'));
  }
  return ok(true);
}

function createRecord(ctx: OperationContext, command: SubscriptionCreateCommand): Result<Subscription, DomainError> {
  const customer = loadCustomer(ctx, command.customer);
  if (!customer || customer.data.deleted) return err(resourceMissing('customer', command.customer, 'customer'));
  const testClock = customer.data.testClock ?? null;
  const now = clockTime(ctx, testClock);
  const items = resolveNewItems(ctx, command.items, now);
  if (!items.ok) return items;
  const method = checkPaymentMethod(ctx, command.defaultPaymentMethod, customer.id);
  if (!method.ok) return method;
  if (command.cancelAt !== undefined && command.cancelAt <= now) return err(invalidRequestError('`cancel_at` must be in the future.', 'cancel_at'));
  if (command.paymentBehavior === 'error_if_incomplete' && !command.defaultPaymentMethod && !customer.data.defaultPaymentMethod) {
    return err(invalidRequestError('This customer has no attached payment source or default payment method.', 'default_payment_method'));
  }
  return ok({
    id: ctx.newId('sub'),
    created: now,
    livemode: ctx.livemode,
    customer: customer.id,
    currency: items.value.currency,
    status: 'incomplete',
    items: items.value.items,
    recurrence: items.value.recurrence,
    billingCycleAnchor: now,
    periodIndex: 0,
    startDate: now,
    cancelAtPeriodEnd: command.cancelAtPeriodEnd,
    cancelAt: command.cancelAt ?? null,
    canceledAt: null,
    endedAt: null,
    cancellationReason: null,
    defaultPaymentMethod: command.defaultPaymentMethod ?? null,
    description: command.description ?? null,
    metadata: applyMetadataPatch({}, command.metadata),
    latestInvoice: null,
    testClock,
    incompleteExpiresAt: now + SUBSCRIPTION_INCOMPLETE_EXPIRY_SECONDS,
  });
}

function rendered(ctx: OperationContext, id: string): unknown {
  return renderSubscription(ctx, loadSubscription(ctx, id)!.data);
}

export const createSubscription: PhasedOperation<SubscriptionCreateCommand, SubscriptionCreateState, AuthorizeResult> = {
  kind: 'phased',
  begin(ctx, command) {
    const record = createRecord(ctx, command);
    if (!record.ok) return record;
    const draft = createPeriodInvoice(ctx, record.value, 'subscription_create', currentPeriod(record.value), record.value.created);
    const subscription: Subscription = { ...record.value, latestInvoice: draft.id };
    saveSubscription(ctx, null, subscription);
    emit(ctx, 'customer.subscription.created', renderSubscription(ctx, subscription));
    scheduleSubscription(ctx, subscription, null);
    const invoice = finalizeDraft(ctx, draft, undefined, subscription.created);
    if (invoice.data.status === 'paid') return ok({ done: rendered(ctx, subscription.id) });
    if (command.paymentBehavior === 'default_incomplete') {
      const intent = intentFor(ctx, invoice, invoiceTotals(invoice.data).amountRemaining);
      return intent.ok ? ok({ done: rendered(ctx, subscription.id) }) : intent;
    }
    const started = startInvoicePayment(ctx, invoice, undefined, command.origin, subscription.created);
    if (!started.ok) return command.paymentBehavior === 'error_if_incomplete' ? started : ok({ done: rendered(ctx, subscription.id) });
    if ('done' in started.value) return ok({ done: rendered(ctx, subscription.id) });
    return ok({ state: { subscriptionId: subscription.id, behavior: command.paymentBehavior, pay: started.value.state } });
  },
  call: (state, services) => authorize(state.pay.confirm, services),
  finish(ctx, state, outcome) {
    const result = finishInvoicePayment(ctx, state.pay, outcome);
    const stored = loadSubscription(ctx, state.subscriptionId);
    if (!stored) throw new Error(`subscription ${state.subscriptionId} vanished while its first invoice was paid`);
    if (!result.ok && state.behavior === 'error_if_incomplete') {
      expireIncomplete(ctx, stored, stored.data.created);
      return result;
    }
    return ok(rendered(ctx, state.subscriptionId));
  },
};

export const retrieveSubscription: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadSubscription(ctx, id);
  if (!stored) return err(resourceMissing('subscription', id));
  return ok(renderSubscription(ctx, stored.data));
};

function ended(status: SubscriptionStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export const updateSubscription: Handler<{ id: string; command: SubscriptionUpdateCommand }> = (ctx, { id, command }) => {
  const stored = loadSubscription(ctx, id);
  if (!stored) return err(resourceMissing('subscription', id));
  const current = stored.data;
  if (ended(current.status)) return err(invalidRequestError(`A ${current.status} subscription cannot be updated.`, null, 'resource_missing'));
  const at = clockTime(ctx, current.testClock);
  let next: Subscription = current;
  if (command.items !== undefined) {
    const items = resolveItemChanges(ctx, current, command.items, at);
    if (!items.ok) return items;
    const prorate = command.prorationBehavior === 'create_prorations' && (current.status === 'active' || current.status === 'past_due');
    if (prorate) createProrations(ctx, current, items.value.items, currentPeriod(current), at);
    next = { ...next, items: items.value.items };
  }
  const method = checkPaymentMethod(ctx, command.defaultPaymentMethod, current.customer);
  if (!method.ok) return method;
  const metadata = mergeMetadata(current.metadata, command.metadata);
  if (!metadata.ok) return metadata;
  if (command.cancelAt !== undefined && command.cancelAt !== null && command.cancelAt <= at) return err(invalidRequestError('`cancel_at` must be in the future.', 'cancel_at'));
  next = {
    ...next,
    metadata: metadata.value,
    defaultPaymentMethod: command.defaultPaymentMethod === undefined ? next.defaultPaymentMethod : command.defaultPaymentMethod,
    description: command.description === undefined ? next.description : command.description,
    cancelAtPeriodEnd: command.cancelAtPeriodEnd ?? next.cancelAtPeriodEnd,
    cancelAt: command.cancelAt === undefined ? next.cancelAt : command.cancelAt,
    canceledAt: (command.cancelAtPeriodEnd ?? next.cancelAtPeriodEnd) || (command.cancelAt ?? next.cancelAt) !== null ? (next.canceledAt ?? at) : null,
  };
  return ok(renderSubscription(ctx, commitSubscription(ctx, stored, next).data));
};

export const cancelSubscription: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadSubscription(ctx, id);
  if (!stored) return err(resourceMissing('subscription', id));
  if (ended(stored.data.status)) return err(invalidRequestError(`This subscription is already ${stored.data.status}.`, null, 'resource_missing'));
  const at = clockTime(ctx, stored.data.testClock);
  return ok(renderSubscription(ctx, commitSubscription(ctx, stored, endSubscription(stored.data, at, 'cancellation_requested')).data));
};

const LIVE: readonly SubscriptionStatus[] = ['active', 'past_due', 'unpaid', 'incomplete', 'trialing', 'paused'];

function statusFilter(status: string | undefined): readonly StatusPattern[] | undefined {
  if (status === 'all') return undefined;
  if (status === 'ended') return TERMINAL_STATUSES.map((exact) => ({ exact }));
  if (status === undefined) return LIVE.map((exact) => ({ exact }));
  return [{ exact: status }];
}

export const listSubscriptions: Handler<SubscriptionListCommand> = (ctx, command) => {
  const statusAnyOf = statusFilter(command.status);
  return listPage<Subscription>(ctx, {
    type: SUBSCRIPTION,
    url: '/v1/subscriptions',
    list: command.list,
    equals: { customer: command.customer ?? null, parent: command.testClock ?? null },
    render: (subscription) => renderSubscription(ctx, subscription),
    ...(statusAnyOf === undefined ? {} : { statusAnyOf }),
  });
};
