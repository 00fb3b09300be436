import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkInvoiceAction, checkInvoiceTotal, invoiceNumber, invoiceTotals, lineAmount, type InvoiceLine, type InvoiceStatus } from '../../../../src/domain/billing/invoice';

function line(amount: number, id = `il_${amount}`): InvoiceLine {
  return {
    id,
    amount,
    currency: 'usd',
    description: null,
    metadata: {},
    quantity: 1,
    unitAmount: amount,
    period: { start: 0, end: 0 },
    price: null,
    product: null,
    proration: false,
    source: { type: 'invoice_item', invoiceItem: `ii_${id}`, subscription: null },
  };
}

describe('invoice', () => {
  it('derives every total from the lines', () => {
    expect(invoiceTotals({ lines: [line(1500), line(750)], amountPaid: 0 })).toEqual({ subtotal: 2250, total: 2250, amountDue: 2250, amountPaid: 0, amountRemaining: 2250 });
    expect(invoiceTotals({ lines: [line(1500), line(750)], amountPaid: 2250 })).toMatchObject({ amountRemaining: 0 });
    expect(invoiceTotals({ lines: [], amountPaid: 0 })).toMatchObject({ total: 0, amountDue: 0 });
    expect(invoiceTotals({ lines: [line(500), line(-800)], amountPaid: 0 })).toMatchObject({ subtotal: -300, total: -300, amountDue: 0 });
  });

  it('keeps amount_due = max(total, 0) and remaining = due − paid for any lines', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -99_999_999, max: 99_999_999 }), { maxLength: 20 }), fc.nat(), (amounts, seed) => {
        const lines = amounts.map((a, i) => line(a, `il_${i}`));
        const total = amounts.reduce((s, a) => s + a, 0);
        const due = Math.max(total, 0);
        const paid = due === 0 ? 0 : seed % (due + 1);
        expect(invoiceTotals({ lines, amountPaid: paid })).toEqual({ subtotal: total, total, amountDue: due, amountPaid: paid, amountRemaining: due - paid });
      }),
    );
  });

  it('refuses an amount_paid outside amount_due as a bug', () => {
    expect(() => invoiceTotals({ lines: [line(100)], amountPaid: 101 })).toThrow();
  });

  it('multiplies quantity by unit amount within the eight-digit bound', () => {
    expect(lineAmount(3, 250, 'amount')).toEqual({ ok: true, value: 750 });
    expect(lineAmount(0, 250, 'amount')).toEqual({ ok: true, value: 0 });
    expect(lineAmount(99_999_999, 1, 'amount')).toEqual({ ok: true, value: 99_999_999 });
    expect(lineAmount(10_000, 10_000, 'quantity')).toMatchObject({ ok: false, error: { reason: 'amount_too_large', param: 'quantity' } });
    expect(lineAmount(2, -99_999_999, 'amount')).toMatchObject({ ok: false, error: { reason: 'amount_too_large' } });
  });

  it('refuses a line that would take the invoice total past the bound', () => {
    expect(checkInvoiceTotal([line(99_999_000)], 999, 'amount')).toEqual({ ok: true, value: 99_999_999 });
    expect(checkInvoiceTotal([line(99_999_000)], 1000, 'amount')).toMatchObject({ ok: false, error: { reason: 'amount_too_large' } });
  });

  it('allows each action only from its statuses and names the current one otherwise', () => {
    const table: Record<string, InvoiceStatus[]> = {
      finalize: ['draft'],
      delete: ['draft'],
      edit_lines: ['draft'],
      pay: ['draft', 'open', 'uncollectible'],
      void: ['open', 'uncollectible'],
      mark_uncollectible: ['open'],
      send: ['draft', 'open'],
    };
    const statuses: InvoiceStatus[] = ['draft', 'open', 'paid', 'uncollectible', 'void'];
    for (const [action, allowed] of Object.entries(table)) {
      for (const status of statuses) {
        const result = checkInvoiceAction({ id: 'in_1', status }, action as Parameters<typeof checkInvoiceAction>[1]);
        expect(result.ok).toBe(allowed.includes(status));
        if (!result.ok) expect(result.error).toMatchObject({ code: 'invoice_not_editable' });
      }
    }
    expect(checkInvoiceAction({ id: 'in_1', status: 'paid' }, 'pay')).toMatchObject({ ok: false, error: { message: 'Invoice is already paid' } });
    expect(checkInvoiceAction({ id: 'in_1', status: 'void' }, 'void')).toMatchObject({ ok: false, error: { reason: 'unexpected_state', status: 'void' } });
  });

  it('numbers invoices per customer prefix with four-digit padding', () => {
    expect(invoiceNumber('AB12CD34', 1)).toBe('AB12CD34-0001');
    expect(invoiceNumber('AB12CD34', 12_345)).toBe('AB12CD34-12345');
    expect(() => invoiceNumber('X', 0)).toThrow();
  });
});
