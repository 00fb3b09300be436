/**
 * Runs a zod schema over a decoded parameter tree and turns the first issue into Stripe's
 * error: `parameter_missing`, `parameter_unknown`, `parameter_invalid_integer`, … with `param`
 * in bracket notation. Validation failures happen before execution starts, so they are never
 * stored under an idempotency key.
 */
import type { z } from 'zod';
import { err, ok, type Result } from '../domain/result';
import { invalidRequest, type WireError } from './errors';
import type { ParamTree } from './form/tree';
import { toParamPath } from './param-path';

function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = tree;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[String(key)];
  }
  return node;
}

export function issueToWireError(issue: z.core.$ZodIssue, tree: unknown): WireError {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const param = toParamPath([...path, issue.keys[0] ?? '']);
    return invalidRequest(`Received unknown parameter: ${param}`, param, 'parameter_unknown');
  }
  const param = toParamPath(path);
  if (valueAt(tree, path) === undefined) {
    return invalidRequest(`Missing required param: ${param}.`, param, 'parameter_missing');
  }
  if (issue.code === 'custom') {
    const code = (issue.params as { stripeCode?: string } | undefined)?.stripeCode ?? 'parameter_invalid';
    return invalidRequest(`${issue.message} (${param})`, param, code);
  }
  if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
    return invalidRequest(`Invalid value for ${param}.`, param, 'parameter_invalid');
  }
  return invalidRequest(`Invalid ${param}: ${issue.message}`, param, 'parameter_invalid');
}

export function parseParams<S extends z.ZodType>(schema: S, tree: ParamTree): Result<z.output<S>, WireError> {
  const parsed = schema.safeParse(tree);
  if (parsed.success) return ok(parsed.data);
  const first = parsed.error.issues[0];
  if (!first) return err(invalidRequest('Invalid request parameters.'));
  return err(issueToWireError(first, tree));
}
