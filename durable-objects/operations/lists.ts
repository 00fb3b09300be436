/** One list implementation for every resource: cursor resolution, filters, Stripe's envelope. */
import { invalidRequestError } from '../../src/domain/errors';
import { ok, type Result } from '../../src/domain/result';
import type { DomainError } from '../../src/domain/errors';
import { toListJson, type ListArgs, type ListJson } from '../../src/stripe/list';
import type { OperationContext } from '../context';
import { listObjects, readObject, type ObjectIndex, type StatusPattern } from '../store';

export interface ListPageSpec<T> {
  readonly type: string;
  readonly url: string;
  readonly list: ListArgs;
  readonly equals: ObjectIndex;
  readonly render: (data: T) => unknown;
  readonly includeDeleted?: boolean;
  /** Rows whose `status` column matches any of these (exact, or prefix for wildcards). */
  readonly statusAnyOf?: readonly StatusPattern[];
}

function cursorOf(ctx: OperationContext, type: string, id: string | undefined, param: string) {
  if (id === undefined) return { ok: true as const, value: undefined };
  const stored = readObject(ctx.sql, id, type);
  if (!stored) return { ok: false as const, error: invalidRequestError(`No such ${type}: '${id}'`, param, 'resource_missing') };
  return { ok: true as const, value: { created: stored.created, seq: stored.seq } };
}

export function listPage<T>(ctx: OperationContext, spec: ListPageSpec<T>): Result<ListJson<unknown>, DomainError> {
  if (spec.list.startingAfter !== undefined && spec.list.endingBefore !== undefined) {
    return { ok: false, error: invalidRequestError('You may only specify one of these parameters: starting_after, ending_before.', 'ending_before', 'parameters_exclusive') };
  }
  const after = cursorOf(ctx, spec.type, spec.list.startingAfter, 'starting_after');
  if (!after.ok) return after;
  const before = cursorOf(ctx, spec.type, spec.list.endingBefore, 'ending_before');
  if (!before.ok) return before;
  const page = listObjects<T>(ctx.sql, {
    type: spec.type,
    limit: spec.list.limit,
    ...(after.value ? { startingAfter: after.value } : {}),
    ...(before.value ? { endingBefore: before.value } : {}),
    ...(spec.list.created ? { created: spec.list.created } : {}),
    equals: spec.equals,
    includeDeleted: spec.includeDeleted ?? false,
    ...(spec.statusAnyOf ? { statusAnyOf: spec.statusAnyOf } : {}),
  });
  return ok(toListJson(spec.url, page.objects.map((o) => spec.render(o.data)), page.hasMore));
}
