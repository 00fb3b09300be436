/**
 * Runs a zod schema over a decoded parameter tree and turns the first issue into Stripe's
 * error: `parameter_missing`, `parameter_unknown`, `parameter_invalid_integer`, … with `param`
 * in bracket notation. Validation failures happen before execution starts, so they are never
 * stored under an idempotency key.
 */
import type { z } from 'zod';
import { err, ok, type Result } from '../domain/result';
import { invalidRequest, type WireError } from './errors';
import { isTree, type ParamTree } from './form/tree';
import { toParamPath } from './param-path';
import { arrayKeys } from './params/common';

type Issue = z.core.$ZodIssue;

/**
 * Follows a zod path through the decoded tree. A numeric step indexes an array the schema built
 * with `toArray`, so it is mapped back to the key the client sent (`items[5]`, not `items[0]`).
 */
function locate(tree: unknown, path: readonly PropertyKey[]): { value: unknown; wirePath: string[] } {
  let node: unknown = tree;
  const wirePath: string[] = [];
  for (const step of path) {
    const key = typeof step === 'number' && isTree(node) ? (arrayKeys(node)?.[step] ?? String(step)) : String(step);
    wirePath.push(key);
    node = isTree(node) ? node[key] : undefined;
  }
  return { value: node, wirePath };
}

/** A union branch that failed on the value's type at its root was the wrong branch. */
function wrongBranch(issues: readonly Issue[]): boolean {
  return issues.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'));
}

/** Descends into the union branch that matched the value's shape, so `address[city]` is blamed, not `address`. */
function innermost(issue: Issue): Issue {
  if (issue.code !== 'invalid_union') return issue;
  const branch = issue.errors.find((issues) => issues.length > 0 && !wrongBranch(issues));
  const inner = branch?.[0];
  if (!inner) return issue;
  return innermost({ ...inner, path: [...issue.path, ...inner.path] } as Issue);
}

export function issueToWireError(rawIssue: Issue, tree: unknown): WireError {
  const issue = innermost(rawIssue);
  const { value, wirePath } = locate(tree, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const param = toParamPath([...wirePath, issue.keys[0] ?? '']);
    return invalidRequest(`Received unknown parameter: ${param}`, param, 'parameter_unknown');
  }
  const param = toParamPath(wirePath);
  if (value === undefined) {
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
