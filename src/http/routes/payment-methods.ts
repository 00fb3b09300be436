/** /v1/payment_methods and /v1/customers/:id/payment_methods — adapters only. */
import { Hono } from 'hono';
import {
  CustomerPaymentMethodListParams,
  ExpandOnlyParams,
  PaymentMethodAttachParams,
  PaymentMethodCreateParams,
  PaymentMethodListParams,
  PaymentMethodUpdateParams,
  toBillingDetails,
  toValidatedCard,
  type CardSource,
} from '../../stripe/params/payment-methods';
import { toListArgs } from '../../stripe/list';
import { invalidRequest } from '../../stripe/errors';
import { parseParams } from '../../stripe/validate';
import { callAccount } from '../account';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

export const paymentMethods = new Hono<AppEnv>();
const READ = ['payment_methods', 'read'] as const;
const WRITE = ['payment_methods', 'write'] as const;

paymentMethods.post('/', async (c) => {
  const params = parseParams(PaymentMethodCreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { card } = params.value;
  let source: CardSource;
  if ('token' in card) source = { kind: 'token', token: card.token };
  else {
    const valid = toValidatedCard(card, Math.floor(Date.now() / 1000));
    if (!valid.ok) return errorResponse(c, valid.error);
    source = { kind: 'number', card: valid.value };
  }
  const input = { card: source, billingDetails: toBillingDetails(params.value.billing_details), ...(params.value.metadata === undefined ? {} : { metadata: params.value.metadata }) };
  return callAccount(c, WRITE, { name: 'payment_methods.create', input });
});

paymentMethods.get('/', async (c) => {
  const params = parseParams(PaymentMethodListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  if (params.value.customer === undefined) return errorResponse(c, invalidRequest('Missing required param: customer.', 'customer', 'parameter_missing'));
  return callAccount(c, READ, { name: 'payment_methods.list', input: { list: toListArgs(params.value), customer: params.value.customer } });
});

paymentMethods.get('/:id', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, READ, { name: 'payment_methods.retrieve', input: { id: c.req.param('id') } });
});

paymentMethods.post('/:id', async (c) => {
  const params = parseParams(PaymentMethodUpdateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = {
    id: c.req.param('id'),
    ...(params.value.billing_details === undefined ? {} : { billingDetails: toBillingDetails(params.value.billing_details) }),
    ...(params.value.metadata === undefined ? {} : { metadata: params.value.metadata }),
  };
  return callAccount(c, WRITE, { name: 'payment_methods.update', input });
});

paymentMethods.post('/:id/attach', async (c) => {
  const params = parseParams(PaymentMethodAttachParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'payment_methods.attach', input: { id: c.req.param('id'), customer: params.value.customer } });
});

paymentMethods.post('/:id/detach', async (c) => {
  const params = parseParams(ExpandOnlyParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  return callAccount(c, WRITE, { name: 'payment_methods.detach', input: { id: c.req.param('id') } });
});

/** Mounted under /v1/customers: GET /v1/customers/:id/payment_methods. */
export const customerPaymentMethods = new Hono<AppEnv>();
customerPaymentMethods.get('/:id/payment_methods', async (c) => {
  const params = parseParams(CustomerPaymentMethodListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const input = { list: toListArgs(params.value), customer: c.req.param('id') };
  return callAccount(c, READ, { name: 'payment_methods.list', input });
});
