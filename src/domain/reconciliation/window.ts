/**
 * Reconciliation windows: whole UTC days of OUR money movements, and the processor settlement
 * ranges that belong to them.
 *
 * The processor settles every movement at the first 00:00 UTC strictly after it (its daily
 * cut-off), so the movements of window [start, end) settle at cut-offs in [start + 1 day, end + 1
 * day): that is the window's settlement range. A movement settled at any other cut-off is `late`
 * (or early, after clock skew around midnight); to tell that from `missing` the comparer also looks
 * one day before the range and RECONCILIATION_LATE_SETTLEMENT_DAYS after it. A window is only
 * final once that look-ahead cut-off has passed, so the cron reconciles the day that ended
 * RECONCILIATION_LATE_SETTLEMENT_DAYS days ago. Pure: `now` comes in as an argument.
 */
import { SECONDS_PER_DAY, type UnixSeconds } from '../clock';
import { invalidRequestError, type DomainError } from '../errors';
import { RECONCILIATION_LATE_SETTLEMENT_DAYS, RECONCILIATION_WINDOW_DAYS_MAX } from '../limits';
import { err, ok, type Result } from '../result';

export interface ReconciliationWindow {
  /** Inclusive, 00:00 UTC. */
  readonly startSeconds: UnixSeconds;
  /** Exclusive, 00:00 UTC. */
  readonly endSeconds: UnixSeconds;
}

/** A half-open range of settlement cut-offs, as the processor's report takes it. */
export interface SettlementRange {
  readonly fromSeconds: UnixSeconds;
  readonly toSeconds: UnixSeconds;
}

const isMidnight = (seconds: number) => Number.isSafeInteger(seconds) && seconds >= 0 && seconds % SECONDS_PER_DAY === 0;

/** Whole UTC days, at least one, at most RECONCILIATION_WINDOW_DAYS_MAX, and closed by `now` when given. */
export function checkWindow(window: ReconciliationWindow, nowSeconds?: UnixSeconds): Result<ReconciliationWindow, DomainError> {
  const { startSeconds, endSeconds } = window;
  if (!isMidnight(startSeconds)) return err(invalidRequestError('window_start must be a 00:00 UTC timestamp.', 'window_start'));
  if (!isMidnight(endSeconds)) return err(invalidRequestError('window_end must be a 00:00 UTC timestamp.', 'window_end'));
  if (endSeconds <= startSeconds) return err(invalidRequestError('window_end must be after window_start.', 'window_end'));
  if (endSeconds - startSeconds > RECONCILIATION_WINDOW_DAYS_MAX * SECONDS_PER_DAY) {
    return err(invalidRequestError(`A reconciliation window spans at most ${RECONCILIATION_WINDOW_DAYS_MAX} days.`, 'window_end'));
  }
  if (nowSeconds !== undefined && endSeconds > nowSeconds) return err(invalidRequestError('window_end must not be in the future.', 'window_end'));
  return ok(window);
}

/** The day that the cron reconciles at `now`: the last one whose late look-ahead has passed. */
export function latestFinalWindow(nowSeconds: UnixSeconds): ReconciliationWindow {
  const today = Math.floor(nowSeconds / SECONDS_PER_DAY) * SECONDS_PER_DAY;
  const endSeconds = today - RECONCILIATION_LATE_SETTLEMENT_DAYS * SECONDS_PER_DAY;
  return { startSeconds: endSeconds - SECONDS_PER_DAY, endSeconds };
}

/** Cut-offs at which the window's movements settle when nothing is late. */
export function settlementRange(window: ReconciliationWindow): SettlementRange {
  return { fromSeconds: window.startSeconds + SECONDS_PER_DAY, toSeconds: window.endSeconds + SECONDS_PER_DAY };
}

/** The day before the settlement range (early) and the late look-ahead after it. */
export function neighbourRanges(window: ReconciliationWindow): readonly SettlementRange[] {
  const range = settlementRange(window);
  return [
    { fromSeconds: range.fromSeconds - SECONDS_PER_DAY, toSeconds: range.fromSeconds },
    { fromSeconds: range.toSeconds, toSeconds: range.toSeconds + RECONCILIATION_LATE_SETTLEMENT_DAYS * SECONDS_PER_DAY },
  ];
}

/** True once every cut-off the comparer looks at has passed. */
export function isWindowFinal(window: ReconciliationWindow, nowSeconds: UnixSeconds): boolean {
  const lastCutoff = neighbourRanges(window)[1]!.toSeconds - SECONDS_PER_DAY;
  return nowSeconds >= lastCutoff;
}

export function containsSeconds(window: ReconciliationWindow, seconds: UnixSeconds): boolean {
  return seconds >= window.startSeconds && seconds < window.endSeconds;
}

/** Identifies a run: the same account, mode and window always give the same key (and run id). */
export function runKey(accountId: string, livemode: boolean, window: ReconciliationWindow): string {
  return `${accountId}:${livemode ? 'live' : 'test'}:${window.startSeconds}:${window.endSeconds}`;
}
