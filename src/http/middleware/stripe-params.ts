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
import { invalidRequest, wireError } from '../../stripe/errors';
import { expandParam } from '../../stripe/params/common';
import { err, ok, type Result } from '../../domain/result';
import type { AppEnv } from '../context';
import { errorResponse } from '../respond';

const TOO_LARGE: DecodeFailure = { message: 'Request body is too large.', param: null, status: 413 };

/** Reads at most FORM_BYTES_MAX bytes, then stops: an undeclared (streamed) body is never buffered whole. */
async function readBytes(body: ReadableStream<Uint8Array> | null): Promise<Uint8Array | null> {
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > FORM_BYTES_MAX) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(next.value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function readBody(request: Request): Promise<Result<string, DecodeFailure>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > FORM_BYTES_MAX) return err(TOO_LARGE);
  const bytes = await readBytes(request.body);
  if (bytes === null) return err(TOO_LARGE);
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
    const expand = expandParam.optional().safeParse(decoded.value['expand']);
    if (!expand.success) return errorResponse(c, invalidRequest('Invalid expand: pass an array of dotted paths, e.g. expand[]=latest_charge.', 'expand', 'parameter_invalid'));
    c.set('params', decoded.value);
    c.set('expand', expand.data ?? []);
    await next();
  };
}
