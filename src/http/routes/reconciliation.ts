/**
 * /v1/reconciliation — an edgepay extension in the API's conventions (form params, list
 * envelopes, Stripe errors, permission `reconciliation:read|write`). Results are read from D1,
 * scoped to the caller's account and mode. `POST /runs` queues a run for a closed window
 * (default: the latest final day, as the cron picks) and answers with the run as it stands;
 * `POST /discrepancies/:id/resolve` records a person's resolution (and correction, see there).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { LIST_LIMIT_DEFAULT, SHORT_STRING_LENGTH_MAX } from '../../domain/limits';
import { DISCREPANCY_CLASSES, DISCREPANCY_STATUSES, isExternalClass } from '../../domain/reconciliation/discrepancy';
import { RUN_STATUSES, type Resolution } from '../../domain/reconciliation/run';
import { checkWindow, latestFinalWindow } from '../../domain/reconciliation/window';
import { SECONDS_PER_DAY } from '../../domain/clock';
import { resourceMissing } from '../../domain/errors';
import {
  listRows,
  queueRun,
  readDiscrepancy,
  readRun,
  resolveDiscrepancy,
  runRef,
  toDiscrepancy,
  toRun,
  type AccountScope,
  type DiscrepancyRow,
  type RunRow,
} from '../../platform/reconciliation-store';
import { fromDomainError, invalidRequest, permissionDenied } from '../../stripe/errors';
import { toListJson } from '../../stripe/list';
import { toDiscrepancyJson, toRunJson } from '../../stripe/objects/reconciliation';
import { enumParam, idParam, integerParam, listParams } from '../../stripe/params/common';
import { parseParams } from '../../stripe/validate';
import type { ReconciliationMessage } from '../../queue/reconciliation';
import { accountStub, isPermitted, refuseUnlessAdmitted, type Access } from '../account';
import type { AppEnv } from '../context';
import { callResponse, errorResponse, JSON_HEADERS } from '../respond';

export const reconciliation = new Hono<AppEnv>();

const page = { limit: listParams.limit, starting_after: listParams.starting_after, ending_before: listParams.ending_before };
const CreateParams = z.strictObject({ window_start: integerParam.optional(), window_end: integerParam.optional() });
const RunListParams = z.strictObject({ ...page, status: enumParam(RUN_STATUSES).optional() });
const DiscrepancyListParams = z.strictObject({
  ...page,
  run: idParam('run').optional(),
  class: enumParam(DISCREPANCY_CLASSES).optional(),
  status: enumParam(DISCREPANCY_STATUSES).optional(),
});

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: JSON_HEADERS });

/**
 * The caller's account and mode; the 403 for a key without `reconciliation:<access>`, the 401 for
 * a revoked key or the 429 over the account's rate (these routes read D1, so the account is asked
 * explicitly). A resolution that books an adjustment is admitted again by `execute`: it counts
 * twice against the rate.
 */
async function scopeFor(c: Context<AppEnv>, access: Access): Promise<AccountScope | Response> {
  const principal = c.get('principal');
  if (!isPermitted(principal, 'reconciliation', access)) {
    return errorResponse(c, permissionDenied(`The provided key does not have the required permissions for this endpoint (reconciliation:${access}).`));
  }
  const refused = await refuseUnlessAdmitted(c);
  if (refused !== null) return refused;
  return { accountId: principal.accountId, livemode: principal.livemode };
}

reconciliation.post('/runs', async (c) => {
  const scope = await scopeFor(c, 'write');
  if (scope instanceof Response) return scope;
  const params = parseParams(CreateParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const now = Math.floor(Date.now() / 1000);
  const start = params.value.window_start;
  const requested = start === undefined ? latestFinalWindow(now) : { startSeconds: start, endSeconds: params.value.window_end ?? start + SECONDS_PER_DAY };
  const window = checkWindow(requested, now);
  if (!window.ok) return errorResponse(c, fromDomainError(window.error));
  const run = await runRef(scope.accountId, scope.livemode, window.value);
  await queueRun(c.env.DB, run, now);
  const message: ReconciliationMessage = { ...scope, windowStart: window.value.startSeconds, windowEnd: window.value.endSeconds };
  await c.env.RECONCILIATION_QUEUE.send(message, { contentType: 'json' });
  const stored = await readRun(c.env.DB, scope, run.id);
  return json(toRunJson(stored!));
});

reconciliation.get('/runs', async (c) => {
  const scope = await scopeFor(c, 'read');
  if (scope instanceof Response) return scope;
  const params = parseParams(RunListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { limit, starting_after: startingAfter, ending_before: endingBefore, status } = params.value;
  const filters = status === undefined ? [] : [['status', status] as const];
  const found = await listRows<RunRow>(c.env.DB, 'reconciliation_runs', scope, filters, { limit: limit ?? LIST_LIMIT_DEFAULT, startingAfter, endingBefore });
  return json(toListJson('/v1/reconciliation/runs', found.rows.map((row) => toRunJson(toRun(row))), found.hasMore));
});

reconciliation.get('/runs/:id', async (c) => {
  const scope = await scopeFor(c, 'read');
  if (scope instanceof Response) return scope;
  const run = await readRun(c.env.DB, scope, c.req.param('id'));
  if (run === null) return errorResponse(c, fromDomainError(resourceMissing('reconciliation.run', c.req.param('id'))));
  return json(toRunJson(run));
});

reconciliation.get('/discrepancies', async (c) => {
  const scope = await scopeFor(c, 'read');
  if (scope instanceof Response) return scope;
  const params = parseParams(DiscrepancyListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { limit, starting_after: startingAfter, ending_before: endingBefore, run, class: cls, status } = params.value;
  const filters: Array<readonly [string, string]> = [];
  if (run !== undefined) filters.push(['run_id', run]);
  if (cls !== undefined) filters.push(['class', cls]);
  if (status !== undefined) filters.push(['status', status]);
  const found = await listRows<DiscrepancyRow>(c.env.DB, 'reconciliation_discrepancies', scope, filters, {
    limit: limit ?? LIST_LIMIT_DEFAULT,
    startingAfter,
    endingBefore,
  });
  return json(toListJson('/v1/reconciliation/discrepancies', found.rows.map((row) => toDiscrepancyJson(toDiscrepancy(row))), found.hasMore));
});

reconciliation.get('/discrepancies/:id', async (c) => {
  const scope = await scopeFor(c, 'read');
  if (scope instanceof Response) return scope;
  const found = await readDiscrepancy(c.env.DB, scope, c.req.param('id'));
  if (found === null) return errorResponse(c, fromDomainError(resourceMissing('reconciliation.discrepancy', c.req.param('id'))));
  return json(toDiscrepancyJson(found));
});

const ResolveParams = z.strictObject({
  note: z.string().max(SHORT_STRING_LENGTH_MAX).optional(),
  adjustment: z.strictObject({ amount: integerParam, currency: z.string().max(3) }).optional(),
});

/**
 * A person closes a discrepancy. For a money discrepancy they may book the correction: a new
 * adjusting entry through the account (Idempotency-Key honoured, one per discrepancy); nothing
 * existing is edited. Asking again with the same adjustment answers the resolved discrepancy.
 */
reconciliation.post('/discrepancies/:id/resolve', async (c) => {
  const scope = await scopeFor(c, 'write');
  if (scope instanceof Response) return scope;
  const params = parseParams(ResolveParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const found = await readDiscrepancy(c.env.DB, scope, c.req.param('id'));
  if (found === null) return errorResponse(c, fromDomainError(resourceMissing('reconciliation.discrepancy', c.req.param('id'))));
  const wanted = params.value.adjustment;
  if (wanted !== undefined && !isExternalClass(found.class)) {
    return errorResponse(c, invalidRequest(`A ${found.class} discrepancy is not a money discrepancy: it takes no adjustment.`, 'adjustment'));
  }
  if (found.status === 'resolved') {
    const booked = found.resolution?.adjustment ?? null;
    const same = wanted === undefined || (booked !== null && booked.amount === wanted.amount && booked.currency === wanted.currency);
    return same ? json(toDiscrepancyJson(found)) : errorResponse(c, invalidRequest(`Discrepancy ${found.id} is already resolved.`, null, 'discrepancy_resolved'));
  }
  let adjustment: Resolution['adjustment'] = null;
  if (wanted !== undefined) {
    const principal = c.get('principal');
    const input = { discrepancyId: found.id, amount: wanted.amount, currency: wanted.currency, description: params.value.note ?? null };
    const meta = {
      accountId: principal.accountId,
      livemode: principal.livemode,
      keyId: principal.keyId,
      requestId: c.get('requestId'),
      apiVersion: c.get('apiVersion'),
      expand: [],
      idempotency: c.get('idempotency'),
    };
    const result = await accountStub(c.env, principal).execute({ name: 'reconciliation.adjust', input }, meta);
    if (result.status !== 200) return callResponse(c, result);
    const bt = JSON.parse(result.body) as { id: string; amount: number; currency: string };
    adjustment = { balanceTransaction: bt.id, amount: bt.amount, currency: bt.currency };
  }
  await resolveDiscrepancy(c.env.DB, found.id, { note: params.value.note ?? null, adjustment, resolvedAt: Math.floor(Date.now() / 1000) });
  return json(toDiscrepancyJson((await readDiscrepancy(c.env.DB, scope, found.id))!));
});
