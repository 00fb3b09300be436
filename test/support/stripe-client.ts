/** The official `stripe` client, unchanged, calling the Worker in-process. */
import { exports } from 'cloudflare:workers';
import Stripe from 'stripe';

export function stripeClient(apiKey: string, options: { maxNetworkRetries?: number } = {}): Stripe {
  return new Stripe(apiKey, {
    host: 'edgepay.test',
    protocol: 'http',
    port: 80,
    httpClient: Stripe.createFetchHttpClient((input: RequestInfo | URL, init?: RequestInit) =>
      exports.default.fetch(new Request(input, init)),
    ),
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    telemetry: false,
  });
}
