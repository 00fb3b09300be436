/**
 * Reads the request parameters once: the query string, plus for POST a form or JSON body,
 * merged (body wins) into one decoded tree at `c.get('params')`.
 */
import type { MiddlewareHandler } from 'hono';
import { FORM_BYTES_MAX } from '../../domain/limits';
import { assemblePairs } from '../../stripe/form/assemble';
import { treeFromJson } from '../../stripe/form/json';
import { parsePairs, type Pair } from '../../stripe/form/pairs';
import { type DecodeFailure, type ParamTree } from '../../stripe/form/tree';
import { wireError } from '../../stripe/errors';
import { err, ok, type Result } from '../../domain/result';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

async function readBody(request: Request): Promise<Result<string, DecodeFailure>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > FORM_BYTES_MAX) return err({ message: 'Request body is too large.', param: null, status: 413 });
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > FORM_BYTES_MAX) return err({ message: 'Request body is too large.', param: null, status: 413 });
  try {
    return ok(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    return err({ message: 'Request body is not valid UTF-8.', param: null, status: 400 });
  }
}

async function decode(request: Request, url: URL): Promise<Result<ParamTree, DecodeFailure>> {
  const query = parsePairs(url.search.slice(1));
  if (!query.ok) return query;
  if (request.method !== 'POST') return assemblePairs(query.value);
  const body = await readBody(request);
  if (!body.ok) return body;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    const json = treeFromJson(body.value || '{}');
    if (!json.ok) return json;
    const merged = assemblePairs(query.value);
    if (!merged.ok) return merged;
    return ok(Object.assign(merged.value, json.value));
  }
  if (type !== '' && type !== 'application/x-www-form-urlencoded' && body.value !== '') {
    return err({ message: `Unsupported Content-Type: ${type.slice(0, 60)}. Use application/x-www-form-urlencoded.`, param: null, status: 415 });
  }
  const form = parsePairs(body.value);
  if (!form.ok) return form;
  const pairs: Pair[] = [...query.value, ...form.value];
  return assemblePairs(pairs);
}

export function stripeParams(): MiddlewareHandler<AppEnv> {
  return async function stripeParamsMiddleware(c, next) {
    const decoded = await decode(c.req.raw, new URL(c.req.url));
    if (!decoded.ok) {
      const { message, param, status } = decoded.error;
      return errorResponse(c, wireError(status, 'invalid_request_error', message, param ? { param } : {}));
    }
    c.set('params', decoded.value);
    await next();
  };
}
