/**
 * stripe-node 23.1.0's own request encoder, loaded from the installed package so tests encode
 * exactly as the SDK does. `queryStringifyRequestData` is what `RequestSender` calls for POST
 * bodies and `StripeResource` for GET/DELETE query strings (node_modules/stripe/cjs/utils.js);
 * the package's `exports` map does not expose it, so it is required by file path.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const utils = require(join(dirname(require.resolve('stripe')), 'utils.js')) as {
  queryStringifyRequestData?: (data: unknown) => string;
};
if (typeof utils.queryStringifyRequestData !== 'function') {
  throw new Error('stripe-node no longer exports queryStringifyRequestData from cjs/utils.js');
}

export const stripeNodeEncode: (data: unknown) => string = utils.queryStringifyRequestData;
