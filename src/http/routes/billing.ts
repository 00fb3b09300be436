/** Billing resources under /v1: invoices, invoice items, invoice payments, products, prices, subscriptions, test clocks. */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { prices, products } from './catalog';
import { invoiceItems } from './invoice-items';
import { invoicePayments, invoices } from './invoices';
import { subscriptions, testClocks } from './subscriptions';

export const billing = new Hono<AppEnv>();
billing.route('/invoices', invoices);
billing.route('/invoiceitems', invoiceItems);
billing.route('/invoice_payments', invoicePayments);
billing.route('/products', products);
billing.route('/prices', prices);
billing.route('/subscriptions', subscriptions);
billing.route('/test_helpers/test_clocks', testClocks);
