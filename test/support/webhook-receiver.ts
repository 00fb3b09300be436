/**
 * Merchant webhook receivers for tests: each has its own https://<random>.example.com origin and a
 * behaviour (status per try, delays, redirects). They are reached through a test network that
 * replaces the isolate's global `fetch` — the function the real queue consumer (running in the
 * background, in this same isolate) calls — and can also be handed to the consumer directly as
 * its transport. Requests to any other host fail like an unreachable network; nothing leaves the
 * machine. The receiver is scenery; the sender is what the tests check.
 */
import { randomBase62 } from '../../src/platform/ids';
import type { WebhookTransport } from '../../src/queue/webhooks';

export interface ReceivedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string;
  readonly redirect: string;
}

export type Behaviour = (tryNumber: number, request: ReceivedRequest) => Response | Promise<Response>;

export interface Receiver {
  readonly url: string;
  readonly received: ReceivedRequest[];
  behaviour: Behaviour;
}

const receivers = new Map<string, Receiver>();
/** Every request the test network saw, including refused ones (for "nothing was sent" checks). */
export const networkLog: string[] = [];
let installed = false;

export async function testNetworkFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  networkLog.push(request.url);
  const receiver = receivers.get(new URL(request.url).host);
  if (!receiver) throw new TypeError(`test network: no route to ${new URL(request.url).host}`);
  const received: ReceivedRequest = { url: request.url, method: request.method, headers: request.headers, body: await request.text(), redirect: request.redirect };
  receiver.received.push(received);
  const response = receiver.behaviour(receiver.received.length, received);
  if (!request.signal) return response;
  return Promise.race([
    response,
    new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true })),
  ]);
}

function installNetwork(): void {
  if (installed) return;
  installed = true;
  globalThis.fetch = testNetworkFetch as typeof fetch;
}

export function newReceiver(behaviour: Behaviour = () => new Response('ok'), options: { host?: string; scheme?: string } = {}): Receiver {
  installNetwork();
  const host = options.host ?? `merchant-${randomBase62(10).toLowerCase()}.example.com`;
  const receiver: Receiver = { url: `${options.scheme ?? 'https'}://${host}/webhooks`, received: [], behaviour };
  receivers.set(new URL(receiver.url).host, receiver);
  return receiver;
}

/** Fails the first `failures` tries with `status`, then answers 200. */
export function failingThenOk(failures: number, status = 500): Behaviour {
  return (n) => new Response(n <= failures ? 'nope' : 'ok', { status: n <= failures ? status : 200 });
}

export function testTransport(overrides: Partial<WebhookTransport> = {}): WebhookTransport {
  return { fetch: (request) => testNetworkFetch(request), nowMs: () => Date.now(), random: () => 0.5, timeoutMs: 2_000, ...overrides };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls (bounded) until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
