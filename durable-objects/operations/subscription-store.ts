/** Loading, saving and rendering subscriptions (indexed by customer, test clock and status). */
import type { Price } from '../../src/domain/billing/catalog';
import type { Subscription } from '../../src/domain/billing/subscription';
import { toSubscriptionJson } from '../../src/stripe/objects/subscription';
import { project, type OperationContext } from '../context';
import { insertObject, readObject, updateObject, type StoredObject } from '../store';
import { loadPrice } from './prices';

export const SUBSCRIPTION = 'subscription';

export function loadSubscription(ctx: OperationContext, id: string): StoredObject<Subscription> | null {
  return readObject<Subscription>(ctx.sql, id, SUBSCRIPTION);
}

export function renderSubscription(ctx: OperationContext, subscription: Subscription) {
  return toSubscriptionJson(subscription, (id): Price => {
    const price = loadPrice(ctx, id);
    if (!price) throw new Error(`subscription ${subscription.id} refers to a missing price ${id}`);
    return price.data;
  });
}

export function saveSubscription(ctx: OperationContext, stored: StoredObject<Subscription> | null, subscription: Subscription): StoredObject<Subscription> {
  const index = { customer: subscription.customer, parent: subscription.testClock, status: subscription.status };
  const saved = stored
    ? (updateObject(ctx.sql, stored, subscription, index) as StoredObject<Subscription>)
    : (insertObject(ctx.sql, { id: subscription.id, type: SUBSCRIPTION, created: subscription.created, data: subscription }, index) as StoredObject<Subscription>);
  project(ctx, saved, renderSubscription(ctx, subscription), { customer: subscription.customer, status: subscription.status });
  return saved;
}
