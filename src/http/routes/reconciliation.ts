/**
 * /v1/reconciliation — an edgepay extension in the API's conventions (form params, list
 * envelopes, Stripe errors, permission `reconciliation:read|write`). Results are read from D1,
 * scoped to the caller's account and mode. `POST /runs` queues a run for a closed window
 * (default: the latest final day, as the cron picks) and answers with the run as it stands.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { LIST_LIMIT_DEFAULT } from '../../domain/limits';
import { DISCREPANCY_CLASSES, DISCREPANCY_STATUSES } from '../../domain/reconciliation/discrepancy';
import { RUN_STATUSES } from '../../domain/reconciliation/run';
import { checkWindow, latestFinalWindow } from '../../domain/reconciliation/window';
import { SECONDS_PER_DAY } from '../../domain/clock';
import { resourceMissing } from '../../domain/errors';
import {
  listRows,
  queueRun,
  readRun,
  runRef,
  toDiscrepancy,
  toRun,
  type AccountScope,
  type DiscrepancyRow,
  type RunRow,
} from '../../platform/reconciliation-store';
import { fromDomainError, permissionDenied } from '../../stripe/errors';
import { toListJson } from '../../stripe/list';
import { toDiscrepancyJson, toRunJson } from '../../stripe/objects/reconciliation';
import { enumParam, idParam, integerParam, listParams } from '../../stripe/params/common';
import { parseParams } from '../../stripe/validate';
import type { ReconciliationMessage } from '../../queue/reconciliation';
import { isPermitted, type Access } from '../account';
import type { AppEnv } from '../context';
import { errorResponse, JSON_HEADERS } from '../respond';

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

/** The caller's account and mode, or the 403 for a key without `reconciliation:<access>`. */
function scopeFor(c: Context<AppEnv>, access: Access): AccountScope | Response {
  const principal = c.get('principal');
  if (!isPermitted(principal, 'reconciliation', access)) {
    return errorResponse(c, permissionDenied(`The provided key does not have the required permissions for this endpoint (reconciliation:${access}).`));
  }
  return { accountId: principal.accountId, livemode: principal.livemode };
}

reconciliation.post('/runs', async (c) => {
  const scope = scopeFor(c, 'write');
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
  const scope = scopeFor(c, 'read');
  if (scope instanceof Response) return scope;
  const params = parseParams(RunListParams, c.get('params'));
  if (!params.ok) return errorResponse(c, params.error);
  const { limit, starting_after: startingAfter, ending_before: endingBefore, status } = params.value;
  const filters = status === undefined ? [] : [['status', status] as const];
  const found = await listRows<RunRow>(c.env.DB, 'reconciliation_runs', scope, filters, { limit: limit ?? LIST_LIMIT_DEFAULT, startingAfter, endingBefore });
  return json(toListJson('/v1/reconciliation/runs', found.rows.map((row) => toRunJson(toRun(row))), found.hasMore));
});

reconciliation.get('/runs/:id', async (c) => {
  const scope = scopeFor(c, 'read');
  if (scope instanceof Response) return scope;
  const run = await readRun(c.env.DB, scope, c.req.param('id'));
  if (run === null) return errorResponse(c, fromDomainError(resourceMissing('reconciliation.run', c.req.param('id'))));
  return json(toRunJson(run));
});

reconciliation.get('/discrepancies', async (c) => {
  const scope = scopeFor(c, 'read');
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
