/**
 * Event types a webhook endpoint may subscribe to, and the two matching rules: an endpoint's
 * `enabled_events` (`*` or exact types, CONTRACT.md §6.1) and the `/v1/events` type filter
 * (exact, or a trailing `*` wildcard such as `charge.*`, §5.10). Pure.
 */

/** Every type this API emits or will emit (invoices included), as Stripe spells them. */
export const EVENT_TYPES = [
  'balance.available',
  'charge.captured',
  'charge.expired',
  'charge.failed',
  'charge.pending',
  'charge.refunded',
  'charge.succeeded',
  'charge.updated',
  'checkout.session.completed',
  'checkout.session.expired',
  'customer.created',
  'customer.deleted',
  'customer.subscription.created',
  'customer.subscription.deleted',
  'customer.subscription.updated',
  'customer.updated',
  'invoice.created',
  'invoice.deleted',
  'invoice.finalized',
  'invoice.marked_uncollectible',
  'invoice.paid',
  'invoice.payment_action_required',
  'invoice.payment_failed',
  'invoice.payment_succeeded',
  'invoice.sent',
  'invoice.updated',
  'invoice.voided',
  'invoice_payment.paid',
  'invoiceitem.created',
  'invoiceitem.deleted',
  'payment_intent.amount_capturable_updated',
  'payment_intent.canceled',
  'payment_intent.created',
  'payment_intent.payment_failed',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'payment_intent.succeeded',
  'payment_intent.updated',
  'payment_method.attached',
  'payment_method.detached',
  'payment_method.updated',
  'payout.canceled',
  'payout.created',
  'payout.failed',
  'payout.paid',
  'payout.reconciliation_completed',
  'payout.updated',
  'price.created',
  'price.updated',
  'product.created',
  'product.deleted',
  'product.updated',
  // edgepay extension (reconciliation, src/queue/reconciliation.ts).
  'reconciliation.completed',
  'reconciliation.discrepancy_found',
  'refund.created',
  'refund.failed',
  'refund.updated',
  'test_helpers.test_clock.advancing',
  'test_helpers.test_clock.created',
  'test_helpers.test_clock.deleted',
  'test_helpers.test_clock.ready',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const KNOWN: ReadonlySet<string> = new Set(EVENT_TYPES);

/** `*` or a known type: what `enabled_events[]` accepts. */
export function isSubscribableEventType(value: string): boolean {
  return value === '*' || KNOWN.has(value);
}

/** Whether an endpoint with these `enabled_events` receives an event of `type`. */
export function endpointWantsEvent(enabledEvents: readonly string[], type: string): boolean {
  return enabledEvents.some((enabled) => enabled === '*' || enabled === type);
}

/**
 * A `/v1/events` type pattern: an exact type, or a prefix ending in `*` (`charge.*`,
 * `charge.dispute.*`, `*`). Returns the SQL-free description the store turns into a filter.
 */
export type TypePattern = { readonly exact: string } | { readonly prefix: string };

const PATTERN = /^(?:\*|[a-z_]+(?:\.[a-z_]+)*(?:\.\*)?)$/;

export function parseTypePattern(text: string): TypePattern | null {
  if (!PATTERN.test(text)) return null;
  return text.endsWith('*') ? { prefix: text.slice(0, -1) } : { exact: text };
}

export function matchesTypePattern(pattern: TypePattern, type: string): boolean {
  return 'exact' in pattern ? pattern.exact === type : type.startsWith(pattern.prefix);
}
