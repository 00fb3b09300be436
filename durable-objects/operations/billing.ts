/**
 * Billing operations (invoices, invoice items, products, prices, subscriptions, test clocks),
 * merged into the account's registry (index.ts), and how their stored objects render (expansion).
 */
import type { Price, Product, TestClock } from '../../src/domain/billing/catalog';
import type { Invoice, InvoiceItem, InvoicePayment } from '../../src/domain/billing/invoice';
import type { Subscription } from '../../src/domain/billing/subscription';
import { toPriceJson, toProductJson, toTestClockJson } from '../../src/stripe/objects/catalog';
import { toInvoiceItemJson } from '../../src/stripe/objects/invoice-item';
import { toInvoiceJson, toInvoicePaymentJson } from '../../src/stripe/objects/invoice';
import type { OperationContext } from '../context';
import type { StoredObject } from '../store';
import { createInvoiceItem, deleteInvoiceItem, listInvoiceItems, retrieveInvoiceItem, updateInvoiceItem } from './invoice-items';
import { listInvoiceLines, listInvoicePayments, retrieveInvoicePayment } from './invoice-lines';
import { payInvoice } from './invoice-pay';
import {
  createInvoice,
  deleteInvoice,
  finalizeInvoice,
  listInvoices,
  markInvoiceUncollectible,
  retrieveInvoice,
  sendInvoice,
  updateInvoice,
  voidInvoice,
} from './invoices';
import { createPrice, listPrices, retrievePrice, updatePrice } from './prices';
import { createProduct, deleteProduct, listProducts, retrieveProduct, updateProduct } from './products';
import { renderSubscription } from './subscription-store';
import { cancelSubscription, createSubscription, listSubscriptions, retrieveSubscription, updateSubscription } from './subscriptions';
import { advanceTestClock, createTestClock, deleteTestClock, listTestClocks, retrieveTestClock } from './test-clocks';

export const BILLING_OPERATIONS = {
  'invoices.create': createInvoice,
  'invoices.retrieve': retrieveInvoice,
  'invoices.update': updateInvoice,
  'invoices.delete': deleteInvoice,
  'invoices.list': listInvoices,
  'invoices.finalize': finalizeInvoice,
  'invoices.pay': payInvoice,
  'invoices.void': voidInvoice,
  'invoices.mark_uncollectible': markInvoiceUncollectible,
  'invoices.send': sendInvoice,
  'invoice_lines.list': listInvoiceLines,
  'invoice_payments.retrieve': retrieveInvoicePayment,
  'invoice_payments.list': listInvoicePayments,
  'invoiceitems.create': createInvoiceItem,
  'invoiceitems.retrieve': retrieveInvoiceItem,
  'invoiceitems.update': updateInvoiceItem,
  'invoiceitems.delete': deleteInvoiceItem,
  'invoiceitems.list': listInvoiceItems,
  'products.create': createProduct,
  'products.retrieve': retrieveProduct,
  'products.update': updateProduct,
  'products.delete': deleteProduct,
  'products.list': listProducts,
  'prices.create': createPrice,
  'prices.retrieve': retrievePrice,
  'prices.update': updatePrice,
  'prices.list': listPrices,
  'subscriptions.create': createSubscription,
  'subscriptions.retrieve': retrieveSubscription,
  'subscriptions.update': updateSubscription,
  'subscriptions.cancel': cancelSubscription,
  'subscriptions.list': listSubscriptions,
  'test_clocks.create': createTestClock,
  'test_clocks.retrieve': retrieveTestClock,
  'test_clocks.advance': advanceTestClock,
  'test_clocks.delete': deleteTestClock,
  'test_clocks.list': listTestClocks,
} as const;

/** The wire shape of a stored billing object, or undefined for other types. */
export function renderBillingObject(ctx: OperationContext, stored: StoredObject): unknown {
  switch (stored.type) {
    case 'invoice':
      return toInvoiceJson(stored.data as Invoice);
    case 'invoiceitem':
      return toInvoiceItemJson(stored.data as InvoiceItem);
    case 'invoice_payment':
      return toInvoicePaymentJson(stored.data as InvoicePayment, ctx.livemode);
    case 'product':
      return toProductJson(stored.data as Product);
    case 'price':
      return toPriceJson(stored.data as Price);
    case 'subscription':
      return renderSubscription(ctx, stored.data as Subscription);
    case 'test_clock':
      return toTestClockJson(stored.data as TestClock);
    default:
      return undefined;
  }
}
