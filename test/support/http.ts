/** Raw HTTP against the Worker in-process (exports.default.fetch), for wire-level assertions. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import worker from '../../src/index';

export const BASE = 'http://edgepay.test';

export interface ApiOptions {
  key?: string | null;
  body?: string | Record<string, string>;
  headers?: Record<string, string>;
  /** Call the handler directly (workerFetch) instead of through exports.default.fetch. */
  direct?: boolean;
}

/**
 * The Worker's own fetch handler, called in this isolate with the test env and a fresh
 * ExecutionContext (awaited, so nothing is left running). Same app and bindings as
 * exports.default.fetch, but without its harness slowdown: inside one test file every request
 * through exports.default.fetch costs more than the one before (≈6 ms → hundreds of ms after a
 * few thousand; workers-sdk#15446), which files sending thousands of requests cannot afford.
 */
export async function workerFetch(request: Request): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export async function api(method: string, path: string, options: ApiOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.key) headers.set('Authorization', `Bearer ${options.key}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : new URLSearchParams(options.body).toString();
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  const request = new Request(`${BASE}${path}`, { method, headers, body });
  return options.direct ? workerFetch(request) : exports.default.fetch(request);
}

/** `api` through workerFetch. */
export function directApi(method: string, path: string, options: ApiOptions = {}): Promise<Response> {
  return api(method, path, { ...options, direct: true });
}

export async function json<T = Record<string, any>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
