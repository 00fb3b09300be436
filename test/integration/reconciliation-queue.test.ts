/**
 * Reconciliation through its queue, cron and API: acks only on success, poison messages retried
 * (and their run marked failed on the last try, and by the dead-letter consumer) without holding
 * up the other accounts of the batch; the cron queues one run per registered account in bounded
 * batches; on-demand runs go through the real queue; the API lists and filters results for the
 * caller's account only, behind the `reconciliation` permission.
 */
import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { RECONCILIATION_QUEUE_MAX_RETRIES } from '../../src/domain/limits';
import { latestFinalWindow } from '../../src/domain/reconciliation/window';
import { runRef } from '../../src/platform/reconciliation-store';
import worker from '../../src/index';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { api, json } from '../support/http';
import { capturingQueue, classesOf, DAY, deliver, drain, messageFor, pay, reconAccount, reconcile, settle, type ReconAccount } from '../support/reconciliation';

async function droppedDay(): Promise<ReconAccount> {
  const account = await reconAccount();
  const { charge } = await pay(account.stripe, 2000);
  await drain(account);
  await account.processor.alterSettlementForTest({ kind: 'drop', reference: `${charge}:authorize` });
  await settle(account);
  return account;
}

async function runOf(key: string, id: string) {
  return json<Record<string, any>>(await api('GET', `/v1/reconciliation/runs/${id}`, { key }));
}

async function runIdOf(account: Pick<ReconAccount, 'accountId' | 'windowStart' | 'windowEnd'>) {
  return (await runRef(account.accountId, false, { startSeconds: account.windowStart, endSeconds: account.windowEnd })).id;
}

describe('reconciliation queue consumer', () => {
  it('acks the good message and retries poison ones in the same batch', async () => {
    const account = await droppedDay();
    const stranger = { accountId: newAccountId(), windowStart: account.windowStart, windowEnd: account.windowEnd };
    const capture = capturingQueue();
    const result = await deliver(
      'edgepay-reconciliation',
      [
        { id: 'junk', body: 'not a reconciliation message' },
        { id: 'unknown-account', body: { ...stranger, livemode: false } },
        { id: 'misaligned', body: messageFor(account, { windowStart: account.windowStart + 1 }) },
        { id: 'good', body: messageFor(account) },
      ],
      capture.env,
    );
    expect(result).toEqual({ acked: ['good'], retried: ['junk', 'misaligned', 'unknown-account'] });
    const run = await runOf(account.key, await runIdOf(account));
    expect(run).toMatchObject({ status: 'completed', discrepancy_counts: { missing_at_processor: 1 } });
  });

  it('marks the run failed on the last try before the dead-letter queue, and still retries', async () => {
    const stranger = { accountId: newAccountId(), windowStart: 10 * DAY, windowEnd: 11 * DAY };
    const body = { ...stranger, livemode: false };
    const early = await deliver('edgepay-reconciliation', [{ id: 'a', body, attempts: RECONCILIATION_QUEUE_MAX_RETRIES }]);
    expect(early.retried).toEqual(['a']);
    const key = await mintTestKey(stranger.accountId);
    expect(await runOf(key, await runIdOf(stranger))).toMatchObject({ status: 'running' });
    const last = await deliver('edgepay-reconciliation', [{ id: 'b', body, attempts: RECONCILIATION_QUEUE_MAX_RETRIES + 1 }]);
    expect(last.retried).toEqual(['b']);
    const failed = await runOf(key, await runIdOf(stranger));
    expect(failed).toMatchObject({ status: 'failed', failure_message: expect.stringContaining('not bound') });
  });

  it('records dead-lettered messages as failed runs and acks them, malformed ones included', async () => {
    const stranger = { accountId: newAccountId(), windowStart: 20 * DAY, windowEnd: 21 * DAY };
    const result = await deliver('edgepay-reconciliation-dlq', [
      { id: 'dead', body: { ...stranger, livemode: false }, attempts: 1 },
      { id: 'junk', body: 42 },
    ]);
    expect(result).toEqual({ acked: ['dead', 'junk'], retried: [] });
    const run = await runOf(await mintTestKey(stranger.accountId), await runIdOf(stranger));
    expect(run).toMatchObject({ status: 'failed', failure_message: expect.stringContaining('dead-lettered') });
  });
});

describe('reconciliation cron', () => {
  it('queues one run per registered account for the latest final day, in batches of at most 100', async () => {
    const fake = Array.from({ length: 230 }, (_, i) => `acct_cron${String(i).padStart(4, '0')}${newAccountId().slice(5, 12)}`);
    await env.DB.batch(fake.map((id) => env.DB.prepare('INSERT INTO accounts (account_id, livemode, created) VALUES (?, 0, 1)').bind(id)));
    const capture = capturingQueue();
    const batches: number[] = [];
    const queue = capture.env.RECONCILIATION_QUEUE;
    const counting = { ...queue, sendBatch: async (m: Iterable<MessageSendRequest>) => (batches.push([...m].length), queue.sendBatch([...m])) };
    const scheduledTime = Date.now();
    await worker.scheduled(createScheduledController({ scheduledTime, cron: '17 3 * * *' }), { ...capture.env, RECONCILIATION_QUEUE: counting as Queue });
    const window = latestFinalWindow(Math.floor(scheduledTime / 1000));
    const sent = capture.sent as Array<Record<string, unknown>>;
    const ours = sent.filter((m) => fake.includes(m.accountId as string));
    expect(ours).toHaveLength(230);
    expect(new Set(sent.map((m) => `${m.accountId}:${m.livemode}`)).size).toBe(sent.length);
    expect(ours.every((m) => m.windowStart === window.startSeconds && m.windowEnd === window.endSeconds && m.livemode === false)).toBe(true);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);
    const queued = await runOf(await mintTestKey(fake[0]!), (await runRef(fake[0]!, false, window)).id);
    expect(queued).toMatchObject({ status: 'queued', passes: 0 });
  });
});

describe('/v1/reconciliation', () => {
  it('runs on demand through the queue and lists runs and discrepancies with filters', async () => {
    const account = await droppedDay();
    const created = await api('POST', '/v1/reconciliation/runs', { key: account.key, body: { window_start: String(account.windowStart) } });
    expect(created.status).toBe(200);
    const queued = await json<Record<string, any>>(created);
    expect(queued).toMatchObject({ id: await runIdOf(account), object: 'reconciliation.run', window: { start: account.windowStart, end: account.windowEnd } });
    let run = queued;
    for (let i = 0; i < 60 && run.status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      run = await runOf(account.key, queued.id);
    }
    expect(run).toMatchObject({ status: 'completed', discrepancy_counts: { missing_at_processor: 1 } });
    const list = await json<Record<string, any>>(await api('GET', '/v1/reconciliation/runs', { key: account.key }));
    expect(list).toMatchObject({ object: 'list', url: '/v1/reconciliation/runs', has_more: false, data: [{ id: run.id }] });
    const query = (q: string) => api('GET', `/v1/reconciliation/discrepancies?${q}`, { key: account.key }).then((r) => json<Record<string, any>>(r));
    expect(classesOf((await query(`run=${run.id}`)).data)).toEqual(['missing_at_processor']);
    expect((await query('class=missing_at_processor&status=open')).data).toHaveLength(1);
    expect((await query('class=amount')).data).toEqual([]);
    expect((await query('status=repaired')).data).toEqual([]);
    expect((await api('GET', '/v1/reconciliation/discrepancies?class=nope', { key: account.key })).status).toBe(400);
  });

  it('refuses windows that are not whole, closed UTC days, naming the parameter', async () => {
    const account = await reconAccount();
    const post = (body: Record<string, string>) => api('POST', '/v1/reconciliation/runs', { key: account.key, body });
    const misaligned = await post({ window_start: String(account.windowStart + 5) });
    expect(misaligned.status).toBe(400);
    expect((await json(misaligned)).error).toMatchObject({ type: 'invalid_request_error', param: 'window_start' });
    const future = await post({ window_start: String(account.windowStart + 10 * DAY) });
    expect((await json(future)).error).toMatchObject({ param: 'window_end' });
  });

  it('shows each account only its own runs, behind the reconciliation permission', async () => {
    const account = await droppedDay();
    await deliver('edgepay-reconciliation', [{ id: 'own', body: messageFor(account) }]);
    const id = await runIdOf(account);
    const other = await mintTestKey(newAccountId());
    expect((await api('GET', `/v1/reconciliation/runs/${id}`, { key: other })).status).toBe(404);
    expect((await json<Record<string, any>>(await api('GET', '/v1/reconciliation/discrepancies', { key: other }))).data).toEqual([]);
    const readOnly = await mintTestKey(account.accountId, { kind: 'restricted', scopes: ['reconciliation:read'] });
    expect((await api('GET', `/v1/reconciliation/runs/${id}`, { key: readOnly })).status).toBe(200);
    expect((await api('POST', '/v1/reconciliation/runs', { key: readOnly, body: {} })).status).toBe(403);
    const unrelated = await mintTestKey(account.accountId, { kind: 'restricted', scopes: ['customers:read'] });
    expect((await api('GET', '/v1/reconciliation/discrepancies', { key: unrelated })).status).toBe(403);
  });

  it('lets a person resolve a money discrepancy with a new adjusting entry, once, and reruns keep it resolved', async () => {
    const account = await droppedDay();
    const first = await reconcile(account);
    const [missing] = first.discrepancies;
    const resolve = (body: Record<string, string>, key = 'resolve-1') =>
      api('POST', `/v1/reconciliation/discrepancies/${missing!.id}/resolve`, { key: account.key, body, headers: { 'Idempotency-Key': key } });
    const adjustment = { 'adjustment[amount]': '-2000', 'adjustment[currency]': 'usd', note: 'processor never settled it' };
    const resolved = await json<Record<string, any>>(await resolve(adjustment));
    expect(resolved).toMatchObject({ id: missing!.id, status: 'resolved', resolution: { note: 'processor never settled it', adjustment: { amount: -2000, currency: 'usd' } } });
    const bt = await account.stripe.balanceTransactions.retrieve(resolved.resolution.adjustment.balance_transaction);
    expect(bt).toMatchObject({ type: 'adjustment', amount: -2000, fee: 0, net: -2000, source: missing!.id, status: 'available' });
    expect((await resolve(adjustment, 'resolve-2')).status).toBe(200);
    expect((await account.stripe.balanceTransactions.list({ type: 'adjustment' })).data).toHaveLength(1);
    const other = await resolve({ 'adjustment[amount]': '-1999', 'adjustment[currency]': 'usd' }, 'resolve-3');
    expect((await json(other)).error).toMatchObject({ code: 'discrepancy_resolved' });
    await drain(account);
    const rerun = await reconcile(account);
    expect(rerun.discrepancies).toEqual([{ ...first.discrepancies[0], status: 'resolved', resolution: resolved.resolution }]);
  });

  it('refuses an adjustment on a discrepancy that is not about money', async () => {
    const { account, bt } = await (async () => {
      const a = await reconAccount();
      const { charge } = await pay(a.stripe, 1000);
      await drain(a);
      await settle(a);
      return { account: a, bt: (await a.stripe.charges.retrieve(charge)).balance_transaction as string };
    })();
    await env.DB.prepare('DELETE FROM records WHERE account_id = ? AND id = ?').bind(account.accountId, bt).run();
    const [drifted] = (await reconcile(account)).discrepancies;
    expect(drifted).toMatchObject({ class: 'd1_missing', status: 'repaired' });
    const body = { 'adjustment[amount]': '5', 'adjustment[currency]': 'usd' };
    const refused = await api('POST', `/v1/reconciliation/discrepancies/${drifted!.id}/resolve`, { key: account.key, body });
    expect((await json(refused)).error).toMatchObject({ param: 'adjustment' });
    const noted = await api('POST', `/v1/reconciliation/discrepancies/${drifted!.id}/resolve`, { key: account.key, body: { note: 'seen' } });
    expect(await json(noted)).toMatchObject({ status: 'resolved', resolution: { note: 'seen', adjustment: null } });
  });
});
