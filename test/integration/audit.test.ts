/**
 * The auditor itself (test/support/audit.ts): it passes real accounts and it catches each kind of
 * corruption it claims to — an auditor that cannot fail proves nothing.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { mintTestKey, newAccountId } from '../support/api-keys';
import { auditAccount } from '../support/audit';
import { cardDataIn } from '../support/card-data';
import { directApi as api, json } from '../support/http';

async function paidAccount() {
  const accountId = newAccountId();
  const key = await mintTestKey(accountId);
  const pay = async (amount: number, currency: string, pm: string) =>
    json(await api('POST', '/v1/payment_intents', { key, body: { amount: String(amount), currency, payment_method: pm, confirm: 'true', 'allowed_payment_method_types[0]': 'card' } }));
  const usd = await pay(10_000, 'usd', 'pm_card_visa');
  const eur = await pay(5_000, 'eur', 'pm_card_bypassPending');
  expect((await api('POST', '/v1/refunds', { key, body: { payment_intent: eur.id, amount: '1000' } })).status).toBe(200);
  expect((await api('POST', '/v1/refunds', { key, body: { charge: usd.latest_charge, amount: '500' } })).status).toBe(200);
  const account = { accountId, key };
  const tamper = (sql: string, ...bindings: SqlStorageValue[]) =>
    runInDurableObject(env.MERCHANT_ACCOUNT.getByName(`${accountId}:test`), (_i, state) => {
      state.storage.sql.exec(sql, ...bindings);
    });
  return { account, tamper, charge: usd.latest_charge as string };
}

describe('auditor', () => {
  it('passes a busy account and reports the balances GET /v1/balance shows', async () => {
    const { account } = await paidAccount();
    const snapshot = await auditAccount(account, { cardNumbers: ['4242424242424242', '4000000000000077'] });
    // usd: 10 000 − (290 + 30) pending, refund 500 from available; eur: bypass 5 000 − (75 + 25) − 1 000.
    expect(snapshot.balances).toEqual({ eur: { available: 3_900, pending: 0 }, usd: { available: -500, pending: 9_680 } });
    expect(snapshot.charges.map((c) => [c.amountCaptured, c.amountRefunded])).toEqual([
      [10_000, 500],
      [5_000, 1_000],
    ]);
    expect(snapshot.journals).toBe(4);
  });

  it('catches a journal that does not balance', async () => {
    const { account, tamper } = await paidAccount();
    await tamper("INSERT INTO ledger_entries (journal_id, kind, account, currency, amount, source, created) VALUES ('jrn_bad', 'adjustment', 'processor_funds', 'usd', 5, 'x', 0)");
    await expect(auditAccount(account)).rejects.toThrow(/journal jrn_bad sums to 5 usd/);
  });

  it('catches cached balances that drifted from the entries, even with a zero trial balance', async () => {
    const { account, tamper } = await paidAccount();
    await tamper(
      "UPDATE ledger_balances SET data = json_set(data, '$.usd.merchant_pending', json_extract(data, '$.usd.merchant_pending') - 1, '$.usd.processor_funds', json_extract(data, '$.usd.processor_funds') + 1)",
    );
    await expect(auditAccount(account)).rejects.toThrow(/cached balances .* ≠ fold of entries[\s\S]*usd: ledger available\/pending -500\/9681 ≠ balance transactions -500\/9680/);
  });

  it('catches a payout that overdrew available, even one the cache agrees with', async () => {
    const { account, tamper } = await paidAccount();
    // usd available is −500 (a refund drawn before the funds were available): no payout may follow.
    await tamper(
      "INSERT INTO ledger_entries (journal_id, kind, account, currency, amount, source, created) VALUES ('jrn_po', 'payout', 'merchant_available', 'usd', 100, 'po_x', 0), ('jrn_po', 'payout', 'payouts_in_transit', 'usd', -100, 'po_x', 0)",
    );
    await expect(auditAccount(account)).rejects.toThrow(/payout journal jrn_po \(po_x\) took usd available to -600/);
  });

  it('catches a charge refunded beyond what it captured', async () => {
    const { account, tamper, charge } = await paidAccount();
    await tamper("UPDATE objects SET data = json_set(data, '$.amountRefunded', 10001) WHERE id = ?", charge);
    await expect(auditAccount(account)).rejects.toThrow(/refunded 10001 \/ captured 10000 \/ amount 10000 out of order/);
  });

  it('catches a card number or a cvc stored anywhere', async () => {
    const { account, tamper, charge } = await paidAccount();
    await tamper("UPDATE objects SET data = json_set(data, '$.description', 'card 5555 5555 5555 4444') WHERE id = ?", charge);
    await expect(auditAccount(account)).rejects.toThrow(/table objects holds card number 555555…4444/);
    await tamper("UPDATE objects SET data = json_set(data, '$.description', null, '$.metadata.cvc', '123') WHERE id = ?", charge);
    await expect(auditAccount(account)).rejects.toThrow(/table objects holds a cvc field/);
  });

  it('tells card numbers from ids, timestamps and keys', () => {
    expect(cardDataIn('{"number":"4242424242424242"}')).toEqual(['card number 424242…4242']);
    expect(cardDataIn('378282246310005 and 3782-822463-10005')).toHaveLength(2);
    expect(cardDataIn('4242424242424241')).toEqual([]); // not Luhn-valid
    expect(cardDataIn('{"created":1795810161,"amount":99999999,"key":"wl_5eed0004_102"}')).toEqual([]);
    expect(cardDataIn('ch_4242424242424242x pi_A4242424242424242 ba_test_000123456789')).toEqual([]);
    expect(cardDataIn('{"checks":{"cvc_check":"pass","cvcCheck":"pass"}}')).toEqual([]);
  });
});
