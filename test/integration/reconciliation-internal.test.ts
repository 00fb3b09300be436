/**
 * Reconciliation, account DO ↔ D1: drift written straight into D1 is found, repaired by
 * re-projecting from the DO (never the other way round) and recorded; reruns produce the same
 * rows; small pages resume across continuation messages with the same result; a ledger whose
 * cached balances disagree with its entries is reported and left as it is.
 */
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, json } from '../support/http';
import {
  classesOf,
  d1Exec,
  d1LedgerRows,
  d1Record,
  drain,
  pay,
  reconAccount,
  reconcile,
  settle,
  type ReconAccount,
} from '../support/reconciliation';

async function busyDay(payments = 2) {
  const account = await reconAccount();
  const charges: string[] = [];
  for (let i = 0; i < payments; i++) charges.push((await pay(account.stripe, 1000 + 100 * i)).charge);
  const refund = await account.stripe.refunds.create({ charge: charges[0]!, amount: 300 });
  await drain(account);
  await settle(account);
  const bt = (await account.stripe.charges.retrieve(charges[0]!)).balance_transaction as string;
  return { account, charges, refund, bt };
}

const drift = (found: ReadonlyArray<Record<string, any>>) =>
  found.map((d) => [d.class, d.projection?.subject, String(d.projection?.id), d.status, d.projection?.fields.join(',')]).sort();

async function eventCount(account: ReconAccount, type: string): Promise<number> {
  return (await json<{ data: unknown[] }>(await api('GET', `/v1/events?type=${type}&limit=100`, { key: account.key }))).data.length;
}

describe('reconciliation of the D1 copy', () => {
  it('repairs missing, altered and extra D1 rows from the DO, records each repair, and reruns to the same rows', async () => {
    const { account, charges, refund, bt } = await busyDay();
    const ledger = await d1LedgerRows(account);
    const before = { bt: await d1Record(account, bt), refund: await d1Record(account, refund.id), charge: await d1Record(account, charges[1]!), ledger };
    const [lost, altered] = [ledger[2]!.seq as number, ledger[4]!.seq as number];
    const id = account.accountId;
    expect(await d1Exec('DELETE FROM records WHERE account_id = ? AND id = ?', id, bt)).toBe(1);
    expect(await d1Exec("UPDATE records SET status = 'failed', data = json_set(data, '$.amount', 1) WHERE account_id = ? AND id = ?", id, refund.id)).toBe(1);
    expect(await d1Exec('UPDATE records SET version = 99 WHERE account_id = ? AND id = ?', id, charges[1])).toBe(1);
    expect(await d1Exec('DELETE FROM ledger_entries WHERE account_id = ? AND seq = ?', id, lost)).toBe(1);
    expect(await d1Exec('UPDATE ledger_entries SET amount = amount + 1 WHERE account_id = ? AND seq = ?', id, altered)).toBe(1);
    await d1Exec(
      "INSERT INTO records (account_id, livemode, object, id, version, created, status, deleted, data) VALUES (?, 0, 'charge', 'ch_phantom', 1, 1, 'succeeded', 0, '{}')",
      id,
    );
    await d1Exec("INSERT INTO ledger_entries VALUES (?, 0, 99999, 'jrn_x', 'capture', 'processor_funds', 'usd', 5, 'ch_phantom', 1)", id);

    const first = await reconcile(account);
    expect(drift(first.discrepancies)).toEqual(
      [
        ['d1_extra', 'charge', 'ch_phantom', 'repaired', 'extra'],
        ['d1_extra', 'ledger_entry', '99999', 'repaired', 'extra'],
        ['d1_mismatch', 'charge', charges[1], 'repaired', 'version'],
        ['d1_mismatch', 'ledger_entry', String(altered), 'repaired', 'amount'],
        ['d1_mismatch', 'refund', refund.id, 'repaired', 'amount,status'],
        ['d1_missing', 'balance_transaction', bt, 'repaired', 'missing'],
        ['d1_missing', 'ledger_entry', String(lost), 'repaired', 'missing'],
      ].sort(),
    );
    expect(first.run.discrepancy_counts).toMatchObject({ d1_missing: 2, d1_mismatch: 3, d1_extra: 2, amount: 0 });

    const beforeRepairsLanded = await reconcile(account);
    expect(beforeRepairsLanded.discrepancies).toEqual(first.discrepancies);
    await drain(account);
    expect(await d1Record(account, bt)).toEqual(before.bt);
    expect(await d1Record(account, refund.id)).toEqual(before.refund);
    expect(await d1Record(account, charges[1]!)).toEqual(before.charge);
    expect(await d1Record(account, 'ch_phantom')).toBeNull();
    expect(await d1LedgerRows(account)).toEqual(before.ledger);

    const afterRepair = await reconcile(account);
    expect(afterRepair.discrepancies).toEqual(first.discrepancies);
    expect(afterRepair.run).toMatchObject({ passes: 3, discrepancy_counts: first.run.discrepancy_counts });
    await drain(account);
    expect(await eventCount(account, 'reconciliation.discrepancy_found')).toBe(7);
    expect(await eventCount(account, 'reconciliation.completed')).toBe(1);
  });

  it('resumes across continuation messages with small pages and finds the same drift', async () => {
    const { account, charges } = await busyDay(5);
    const ledger = await d1LedgerRows(account);
    const lost = ledger[7]!.seq as number;
    await d1Exec('DELETE FROM ledger_entries WHERE account_id = ? AND seq = ?', account.accountId, lost);
    await d1Exec("UPDATE records SET data = json_set(data, '$.currency', 'eur') WHERE account_id = ? AND id = ?", account.accountId, charges[3]);
    const { run, discrepancies, messages } = await reconcile(account, { pageRows: 2, pagesPerMessage: 2 });
    expect(messages).toBeGreaterThan(5);
    expect(run.checked.messages).toBe(messages);
    expect(drift(discrepancies)).toEqual([
      ['d1_mismatch', 'charge', charges[3], 'repaired', 'currency'],
      ['d1_missing', 'ledger_entry', String(lost), 'repaired', 'missing'],
    ]);
    await drain(account);
    expect(run.checked.ledger_entries).toBe((await d1LedgerRows(account)).length);
    expect(run.checked.money_objects).toBe(5 + 6 + 1); // charges, their and the refund's balance transactions, the refund
  });

  it('reports cached balances that differ from the fold of the entries, and leaves the DO as it is', async () => {
    const { account } = await busyDay();
    const corrupt = "UPDATE ledger_balances SET data = json_set(data, '$.usd.merchant_pending', json_extract(data, '$.usd.merchant_pending') - 7)";
    await runInDurableObject(account.stub, async (_instance, state) => void state.storage.sql.exec(corrupt));
    const { discrepancies } = await reconcile(account);
    expect(classesOf(discrepancies)).toEqual(['ledger_out_of_balance']);
    expect(discrepancies[0]).toMatchObject({ status: 'open', balance: { currency: 'usd', account: 'merchant_pending' } });
    expect(discrepancies[0]!.balance.cached - discrepancies[0]!.balance.folded).toBe(-7);
    const cached = await runInDurableObject(account.stub, async (_instance, state) =>
      state.storage.sql.exec<{ v: number }>("SELECT json_extract(data, '$.usd.merchant_pending') AS v FROM ledger_balances").one().v,
    );
    expect(cached).toBe(discrepancies[0]!.balance.cached);
  });

  it('reruns a window with a settlement discrepancy to the same rows and no new events', async () => {
    const account = await reconAccount();
    const { charge } = await pay(account.stripe, 2000);
    await drain(account);
    await account.processor.alterSettlementForTest({ kind: 'drop', reference: `${charge}:authorize` });
    await settle(account);
    const first = await reconcile(account);
    const second = await reconcile(account);
    expect(classesOf(second.discrepancies)).toEqual(['missing_at_processor']);
    expect(second.discrepancies).toEqual(first.discrepancies);
    expect(second.run).toMatchObject({ id: first.run.id, passes: 2, discrepancy_counts: first.run.discrepancy_counts, totals: first.run.totals });
    await drain(account);
    expect(await eventCount(account, 'reconciliation.discrepancy_found')).toBe(1);
    expect(await eventCount(account, 'reconciliation.completed')).toBe(1);
  });
});
