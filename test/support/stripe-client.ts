/** The official `stripe` client, unchanged, calling the Worker in-process. */
import { exports } from 'cloudflare:workers';
import Stripe from 'stripe';
import { workerFetch } from './http';

/** `direct`: call the Worker's handler directly (see workerFetch in ./http). */
export function stripeClient(apiKey: string, options: { maxNetworkRetries?: number; direct?: boolean } = {}): Stripe {
  return new Stripe(apiKey, {
    host: 'edgepay.test',
    protocol: 'http',
    port: 80,
    httpClient: Stripe.createFetchHttpClient((input: RequestInfo | URL, init?: RequestInit) =>
      options.direct ? workerFetch(new Request(input, init)) : exports.default.fetch(new Request(input, init)),
    ),
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    telemetry: false,
  });
}

/**
 * A response header of a stripe-node result. With the fetch HTTP client `lastResponse` is the raw
 * fetch Response (a Headers instance); with the Node client it is a plain object.
 */
export function lastResponseHeader(result: { lastResponse: { headers: unknown } }, name: string): string | null {
  const headers = result.lastResponse.headers as Headers | Record<string, string>;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  return (headers as Record<string, string>)[name.toLowerCase()] ?? null;
}
