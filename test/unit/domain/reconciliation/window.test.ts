import { describe, expect, it } from 'vitest';
import { settlementCutoffAfter } from '../../../../src/domain/cards/processing/settlement';
import { RECONCILIATION_LATE_SETTLEMENT_DAYS } from '../../../../src/domain/limits';
import {
  checkWindow,
  isWindowFinal,
  latestFinalWindow,
  neighbourRanges,
  runKey,
  settlementRange,
} from '../../../../src/domain/reconciliation/window';

const DAY = 86_400;
const day = { startSeconds: 200 * DAY, endSeconds: 201 * DAY };

describe('reconciliation window', () => {
  it('settles every movement of the window inside its settlement range', () => {
    const range = settlementRange(day);
    for (const at of [day.startSeconds, day.startSeconds + 1, day.endSeconds - 1]) {
      const cutoff = settlementCutoffAfter(at);
      expect(cutoff >= range.fromSeconds && cutoff < range.toSeconds).toBe(true);
    }
    expect(settlementCutoffAfter(day.endSeconds)).toBe(range.toSeconds);
  });

  it('looks one day before and the late days after the settlement range', () => {
    expect(neighbourRanges(day)).toEqual([
      { fromSeconds: 200 * DAY, toSeconds: 201 * DAY },
      { fromSeconds: 202 * DAY, toSeconds: (202 + RECONCILIATION_LATE_SETTLEMENT_DAYS) * DAY },
    ]);
  });

  it('is final once the last look-ahead cut-off has passed, which the cron window always is', () => {
    const lastCutoff = (201 + RECONCILIATION_LATE_SETTLEMENT_DAYS) * DAY;
    expect(isWindowFinal(day, lastCutoff - 1)).toBe(false);
    expect(isWindowFinal(day, lastCutoff)).toBe(true);
    const now = 300 * DAY + 3 * 3600;
    const cron = latestFinalWindow(now);
    expect(cron.endSeconds - cron.startSeconds).toBe(DAY);
    expect(isWindowFinal(cron, now)).toBe(true);
    expect(isWindowFinal({ startSeconds: cron.startSeconds + DAY, endSeconds: cron.endSeconds + DAY }, now)).toBe(false);
  });

  it('accepts whole closed UTC days and refuses anything else, naming the parameter', () => {
    const now = 300 * DAY;
    expect(checkWindow(day, now)).toEqual({ ok: true, value: day });
    expect(checkWindow({ startSeconds: day.startSeconds + 1, endSeconds: day.endSeconds }, now)).toMatchObject({ ok: false, error: { param: 'window_start' } });
    expect(checkWindow({ startSeconds: day.startSeconds, endSeconds: day.startSeconds }, now)).toMatchObject({ ok: false, error: { param: 'window_end' } });
    expect(checkWindow({ startSeconds: 0, endSeconds: 40 * DAY }, now)).toMatchObject({ ok: false, error: { param: 'window_end' } });
    expect(checkWindow({ startSeconds: now, endSeconds: now + DAY }, now)).toMatchObject({ ok: false, error: { param: 'window_end' } });
  });

  it('keys a run by account, mode and window', () => {
    expect(runKey('acct_1', false, day)).toBe(`acct_1:test:${200 * DAY}:${201 * DAY}`);
    expect(runKey('acct_1', true, day)).not.toBe(runKey('acct_1', false, day));
  });
});
