/**
 * PaymentMethods: create (entered card, created or test token), materialise magic ids
 * (`pm_card_visa` becomes a NEW `pm_…` on every use), retrieve, update, attach, detach, list a
 * customer's methods.
 * Card numbers arrive as validated digits, are fingerprinted under the account key and dropped.
 */
import { testCardByPaymentMethodId, testCardByToken, isMagicPaymentMethodId } from '../../src/domain/cards/catalog';
import { profileOf, profileOfTestCard, type CardProfile } from '../../src/domain/cards/profile';
import { invalidRequestError, resourceMissing, type DomainError } from '../../src/domain/errors';
import { EMPTY_BILLING_DETAILS, usability, type BillingDetails, type PaymentMethod } from '../../src/domain/payments/payment-method';
import { err, ok, type Result } from '../../src/domain/result';
import { toCustomerJson } from '../../src/stripe/objects/customer';
import { toPaymentMethodJson } from '../../src/stripe/objects/payment-method';
import { applyMetadataPatch, mergeMetadata, type MetadataPatch } from '../../src/stripe/params/common';
import type { CardSource, PaymentMethodCreateCommand, PaymentMethodListCommand } from '../../src/stripe/params/payment-methods';
import { emit, project, type Handler, type OperationContext } from '../context';
import { insertObject, readObject, updateObject, type StoredObject } from '../store';
import { cardFingerprint } from './card-fingerprint';
import { loadCustomer, saveCustomer } from './customers';
import { redeemToken } from './tokens';
import { listPage } from './lists';

const TYPE = 'payment_method';

type Card = { readonly profile: CardProfile; readonly fingerprint: string };

function cardFrom(ctx: OperationContext, source: CardSource | { kind: 'magic'; id: string }, param: string): Result<Card, DomainError> {
  if (source.kind === 'number') {
    return ok({ profile: profileOf(source.card), fingerprint: cardFingerprint(ctx, source.card.number) });
  }
  if (source.kind === 'token') {
    const created = redeemToken(ctx, source.token, param);
    if (created !== null) return created;
  }
  const card = source.kind === 'token' ? testCardByToken(source.token) : testCardByPaymentMethodId(source.id);
  if (card === null) {
    const id = source.kind === 'token' ? source.token : source.id;
    return err(resourceMissing(source.kind === 'token' ? 'token' : 'payment_method', id, param));
  }
  return ok({ profile: profileOfTestCard(card, ctx.nowSeconds), fingerprint: cardFingerprint(ctx, card.number) });
}

function insertPaymentMethod(ctx: OperationContext, card: Card, billingDetails: BillingDetails, metadata: MetadataPatch | undefined): StoredObject<PaymentMethod> {
  const method: PaymentMethod = {
    id: ctx.newId('pm'),
    created: ctx.nowSeconds,
    livemode: ctx.livemode,
    card: card.profile,
    fingerprint: card.fingerprint,
    billingDetails,
    customer: null,
    metadata: applyMetadataPatch({}, metadata),
    detached: false,
    consumed: false,
  };
  const stored = insertObject(ctx.sql, { id: method.id, type: TYPE, created: method.created, data: method }, {});
  project(ctx, stored, toPaymentMethodJson(method));
  return stored as StoredObject<PaymentMethod>;
}

export const createPaymentMethod: Handler<PaymentMethodCreateCommand> = (ctx, command) => {
  const card = cardFrom(ctx, command.card, command.card.kind === 'token' ? 'card[token]' : 'card');
  if (!card.ok) return card;
  return ok(toPaymentMethodJson(insertPaymentMethod(ctx, card.value, command.billingDetails, command.metadata).data));
};

/** A new PaymentMethod from a test token (`tok_visa`), for legacy charges with `source`. */
export function createPaymentMethodFromToken(ctx: OperationContext, token: string, param: string): Result<StoredObject<PaymentMethod>, DomainError> {
  const card = cardFrom(ctx, { kind: 'token', token }, param);
  if (!card.ok) return card;
  return ok(insertPaymentMethod(ctx, card.value, EMPTY_BILLING_DETAILS, undefined));
}

export function loadPaymentMethod(ctx: OperationContext, id: string): StoredObject<PaymentMethod> | null {
  return readObject<PaymentMethod>(ctx.sql, id, TYPE);
}

/**
 * The PaymentMethod a payment will use: a magic id becomes a new object; a stored one must be
 * usable (not detached, not consumed) and, when the payment names a customer, belong to it or to none.
 */
export function resolvePaymentMethod(ctx: OperationContext, id: string, param: string, customer: string | null): Result<StoredObject<PaymentMethod>, DomainError> {
  if (isMagicPaymentMethodId(id)) {
    const card = cardFrom(ctx, { kind: 'magic', id }, param);
    if (!card.ok) return card;
    return ok(insertPaymentMethod(ctx, card.value, EMPTY_BILLING_DETAILS, undefined));
  }
  const stored = loadPaymentMethod(ctx, id);
  if (!stored) return err(resourceMissing('payment_method', id, param));
  const use = usability(stored.data);
  if (use !== 'ok') {
    return err(
      invalidRequestError(
        use === 'detached'
          ? `The PaymentMethod ${id} was previously detached from a Customer and cannot be used again.`
          : `The provided PaymentMethod ${id} was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.`,
        param,
        'payment_method_unexpected_state',
      ),
    );
  }
  if (stored.data.customer !== null && customer !== null && stored.data.customer !== customer) {
    return err(invalidRequestError(`The provided PaymentMethod ${id} belongs to a different Customer.`, param, 'payment_method_customer_mismatch'));
  }
  return ok(stored);
}

/** Marks a customer-less PaymentMethod as used once (it cannot be reused, as on Stripe). */
export function consumePaymentMethod(ctx: OperationContext, stored: StoredObject<PaymentMethod>): void {
  if (stored.data.customer !== null || stored.data.consumed) return;
  updateObject(ctx.sql, stored, { ...stored.data, consumed: true }, {});
}

export const retrievePaymentMethod: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadPaymentMethod(ctx, id);
  if (!stored) return err(resourceMissing('payment_method', id));
  return ok(toPaymentMethodJson(stored.data));
};

export const updatePaymentMethod: Handler<{ id: string; billingDetails?: BillingDetails; metadata?: MetadataPatch }> = (ctx, input) => {
  const stored = loadPaymentMethod(ctx, input.id);
  if (!stored) return err(resourceMissing('payment_method', input.id));
  const metadata = mergeMetadata(stored.data.metadata, input.metadata);
  if (!metadata.ok) return metadata;
  const method: PaymentMethod = { ...stored.data, billingDetails: input.billingDetails ?? stored.data.billingDetails, metadata: metadata.value };
  const saved = updateObject(ctx.sql, stored, method, { customer: method.customer });
  const json = toPaymentMethodJson(method);
  project(ctx, saved, json, { customer: method.customer });
  emit(ctx, 'payment_method.updated', json);
  return ok(json);
};

export const attachPaymentMethod: Handler<{ id: string; customer: string }> = (ctx, { id, customer }) => {
  // A magic test id (`pm_card_visa`) materialises a new PaymentMethod, which is then attached.
  const resolved = isMagicPaymentMethodId(id) ? resolvePaymentMethod(ctx, id, 'id', null) : null;
  if (resolved !== null && !resolved.ok) return err(resourceMissing('payment_method', id));
  const stored = resolved?.ok ? resolved.value : loadPaymentMethod(ctx, id);
  if (!stored) return err(resourceMissing('payment_method', id));
  const owner = loadCustomer(ctx, customer);
  if (!owner || owner.data.deleted) return err(resourceMissing('customer', customer, 'customer'));
  if (stored.data.customer === customer) return ok(toPaymentMethodJson(stored.data));
  if (stored.data.customer !== null) {
    return err(invalidRequestError(`The payment method you provided has already been attached to a customer.`, null, 'payment_method_unexpected_state'));
  }
  if (usability(stored.data) !== 'ok') {
    return err(invalidRequestError(`This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.`, null, 'payment_method_unexpected_state'));
  }
  const method: PaymentMethod = { ...stored.data, customer };
  const saved = updateObject(ctx.sql, stored, method, { customer });
  const json = toPaymentMethodJson(method);
  project(ctx, saved, json, { customer });
  emit(ctx, 'payment_method.attached', json);
  return ok(json);
};

export const detachPaymentMethod: Handler<{ id: string }> = (ctx, { id }) => {
  const stored = loadPaymentMethod(ctx, id);
  if (!stored) return err(resourceMissing('payment_method', id));
  if (stored.data.customer === null) {
    return err(invalidRequestError(`The payment method you provided is not attached to a customer so detachment is impossible.`, null, 'payment_method_unexpected_state'));
  }
  const method: PaymentMethod = { ...stored.data, customer: null, detached: true };
  const saved = updateObject(ctx.sql, stored, method, {});
  clearCustomerDefault(ctx, stored.data.customer, id);
  const json = toPaymentMethodJson(method);
  project(ctx, saved, json);
  emit(ctx, 'payment_method.detached', json, { customer: stored.data.customer });
  return ok(json);
};

/** A detached method can no longer be the customer's default for invoices. */
function clearCustomerDefault(ctx: OperationContext, customerId: string, methodId: string): void {
  const owner = loadCustomer(ctx, customerId);
  if (!owner || owner.data.defaultPaymentMethod !== methodId) return;
  const before = toCustomerJson(owner.data);
  const json = saveCustomer(ctx, owner, { ...owner.data, defaultPaymentMethod: null });
  emit(ctx, 'customer.updated', json, { invoice_settings: before.invoice_settings });
}

export const listPaymentMethods: Handler<PaymentMethodListCommand> = (ctx, command) => {
  const owner = loadCustomer(ctx, command.customer);
  if (!owner) return err(resourceMissing('customer', command.customer, 'customer'));
  return listPage<PaymentMethod>(ctx, {
    type: TYPE,
    url: '/v1/payment_methods',
    list: command.list,
    equals: { customer: command.customer },
    render: toPaymentMethodJson,
  });
};

export function paymentMethodJson(ctx: OperationContext, id: string | null): unknown {
  if (id === null) return null;
  const stored = loadPaymentMethod(ctx, id);
  return stored ? toPaymentMethodJson(stored.data) : null;
}
