/** Raw HTTP against the Worker in-process (exports.default.fetch), for wire-level assertions. */
import { exports } from 'cloudflare:workers';

export const BASE = 'http://edgepay.test';

export interface ApiOptions {
  key?: string | null;
  body?: string | Record<string, string>;
  headers?: Record<string, string>;
}

export async function api(method: string, path: string, options: ApiOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.key) headers.set('Authorization', `Bearer ${options.key}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : new URLSearchParams(options.body).toString();
    if (!headers.has('content-type')) headers.set('Content-Type', 'application/x-www-form-urlencoded');
  }
  return exports.default.fetch(new Request(`${BASE}${path}`, { method, headers, body }));
}

export async function json<T = Record<string, any>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
