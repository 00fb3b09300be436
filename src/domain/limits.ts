/** Every bound the API enforces, in one place, units and qualifiers last. */

// Wire decoding (src/stripe/form).
export const FORM_BYTES_MAX = 256 * 1024;
export const FORM_PAIRS_MAX = 2_000;
export const FORM_DEPTH_MAX = 8;
export const FORM_ARRAY_INDEX_MAX = 1_000;
export const FORM_KEY_LENGTH_MAX = 512;

// Metadata (Stripe's documented limits).
export const METADATA_KEYS_MAX = 50;
export const METADATA_KEY_LENGTH_MAX = 40;
export const METADATA_VALUE_LENGTH_MAX = 500;

// Lists.
export const LIST_LIMIT_DEFAULT = 10;
export const LIST_LIMIT_MAX = 100;
export const EXPAND_DEPTH_MAX = 4;
export const EXPAND_PATHS_MAX = 20;

// Strings.
export const STRING_LENGTH_MAX = 5_000;
export const SHORT_STRING_LENGTH_MAX = 500;
export const EMAIL_LENGTH_MAX = 512;
export const OBJECT_ID_LENGTH_MAX = 255;

// Idempotency (Stripe: keys up to 255 characters, kept at least 24 hours).
export const IDEMPOTENCY_KEY_LENGTH_MAX = 255;
export const IDEMPOTENCY_KEY_TTL_SECONDS = 24 * 60 * 60;
/** A key claimed by a request that then vanished (crash) can be taken over after this. */
export const IDEMPOTENCY_LOCK_TIMEOUT_SECONDS = 90;
export const IDEMPOTENCY_PRUNE_BATCH_MAX = 500;

// Outbox drain (DO → D1 / queues).
export const OUTBOX_BATCH_MAX = 100;
/**
 * One alarm invocation drains at most this many rows, then re-arms at once: an invocation has a
 * subrequest budget (1,000 on Workers Paid) and a CPU limit, and a backlog (after a D1 outage, a
 * burst) must not spend them in one go. Checked between batches, so with poison isolation (one
 * call per row) an invocation still makes at most ~2 × this many D1/queue calls.
 */
export const OUTBOX_DRAIN_ROWS_PER_ALARM_MAX = 400;
export const OUTBOX_RETRY_DELAY_MIN_MS = 500;
export const OUTBOX_RETRY_DELAY_MAX_MS = 60_000;
/** After this many failed attempts a drain group is retried row by row to find a poison row. */
export const OUTBOX_ISOLATE_AFTER_ATTEMPTS = 3;

// API keys.
export const API_KEY_LENGTH_MAX = 4_096;
export const API_KEY_CLOCK_TOLERANCE_SECONDS = 30;
/** Verified API keys remembered per isolate (src/auth/api-keys.ts); least recently used go first. */
export const VERIFIED_API_KEY_CACHE_MAX = 1_000;

// Cards (src/domain/cards) and the simulated card processor (durable-objects/card-processor.ts).
export const CARD_NUMBER_DIGITS_MIN = 12;
export const CARD_NUMBER_DIGITS_MAX = 19;
/** Raw `card[number]` before separators are stripped; longer input is rejected unread. */
export const CARD_NUMBER_INPUT_LENGTH_MAX = 64;
/** Expiry years further ahead than this are rejected as `invalid_expiry_year`. */
export const CARD_EXPIRY_YEARS_AHEAD_MAX = 50;
export const PROCESSOR_REFERENCE_LENGTH_MAX = 255;
/** A card authorisation that is not captured within this window expires (Stripe: about 7 days). */
export const AUTHORIZATION_VALIDITY_SECONDS = 7 * 24 * 60 * 60;
/** Delay before a `pm_card_pendingRefund` refund succeeds or a `pm_card_refundFail` refund fails. */
export const REFUND_TRANSITION_DELAY_SECONDS = 60;
export const SETTLEMENT_REPORT_LINES_MAX = 1_000;

// Money (src/domain/money, src/domain/ledger, src/domain/balance).
/** Stripe's per-charge ceiling: eight digits of minor units, whatever the currency. */
export const AMOUNT_MINOR_MAX = 99_999_999;
/**
 * Ceiling for any single ledger balance and any posting. DO SQLite hands integers back as JS
 * numbers, exact only up to 2^53 - 1 (about 9.007e15); 1e14 leaves 90x headroom, so the sum of
 * dozens of bounded balances (a whole trial balance) is still exact. Operations that would cross
 * it are refused (amount_too_large) before anything is written.
 */
export const BALANCE_MINOR_MAX = 100_000_000_000_000;
/** Card funds become available this many days after capture, at the next 00:00 UTC. */
export const CHARGE_AVAILABILITY_DELAY_DAYS = 2;

// Payouts (src/domain/payments/payout.ts).
/** A standard payout leaves `pending` for `in_transit` this long after it is created. */
export const PAYOUT_IN_TRANSIT_DELAY_SECONDS = 60;
/** A standard payout arrives this many days after it is created, at the next 00:00 UTC. */
export const PAYOUT_ARRIVAL_DELAY_DAYS = 1;
/** Stripe's limit for a payout's `statement_descriptor`. */
export const PAYOUT_STATEMENT_DESCRIPTOR_LENGTH_MAX = 22;

// Billing: invoices, subscriptions, test clocks (src/domain/billing, durable-objects/operations/invoice*.ts, subscription*.ts).
/** Stripe's limit on line items per invoice. */
export const INVOICE_LINES_MAX = 250;
/** Stripe's limit on items per subscription. */
export const SUBSCRIPTION_ITEMS_MAX = 20;
/** The longest billing period Stripe allows is one year, per interval unit. */
export const BILLING_INTERVAL_COUNT_MAX = { day: 365, week: 52, month: 12, year: 1 } as const;
/** Days after each failed renewal payment before the next automatic retry (then the final action). */
export const SUBSCRIPTION_RETRY_DELAYS_DAYS: readonly number[] = [3, 5, 7];
/** An `incomplete` subscription whose first invoice stays unpaid this long becomes `incomplete_expired`. */
export const SUBSCRIPTION_INCOMPLETE_EXPIRY_SECONDS = 23 * 60 * 60;
/** Stripe: a test clock holds at most three customers. */
export const TEST_CLOCK_CUSTOMERS_MAX = 3;
/** Test clocks (and their objects) are deleted this long after creation (Stripe: 30 days). */
export const TEST_CLOCK_LIFETIME_SECONDS = 30 * 24 * 60 * 60;
/** Billing steps (renewals, retries) one alarm run performs before yielding and re-arming. */
export const BILLING_STEPS_PER_RUN_MAX = 50;

// Events and webhooks (src/domain/webhooks, durable-objects/webhook-*.ts, src/queue/webhooks.ts).
/** Stripe guarantees `/v1/events` for 30 days; older events (and their delivery logs) are pruned. */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 60 * 60;
export const EVENT_PRUNE_BATCH_MAX = 500;
/** Stripe's bound on `types[]` in `/v1/events`. */
export const EVENT_TYPES_FILTER_MAX = 20;
/** Stripe allows 16 webhook endpoints per account (per mode). */
export const WEBHOOK_ENDPOINTS_MAX = 16;
export const WEBHOOK_URL_LENGTH_MAX = 2_048;
export const WEBHOOK_ENABLED_EVENTS_MAX = 256;
/** Random base62 characters after `whsec_` (about 190 bits). */
export const WEBHOOK_SECRET_RANDOM_LENGTH = 32;
/** How long a rolled secret keeps signing alongside the new one (Stripe's dashboard: up to 24 h). */
export const WEBHOOK_SECRET_OVERLAP_DEFAULT_SECONDS = 60 * 60;
export const WEBHOOK_SECRET_OVERLAP_MAX_SECONDS = 24 * 60 * 60;
/** Per delivery attempt; a slower receiver counts as a failure and is retried. */
export const WEBHOOK_SEND_TIMEOUT_MS = 10_000;
/** Live mode: the first try plus 10 retries, about three days of backoff (Stripe: up to 3 days). */
export const WEBHOOK_ATTEMPTS_LIVE_MAX = 11;
/** Test mode: the first try plus 3 retries over about two hours (Stripe: 3 times over a few hours). */
export const WEBHOOK_ATTEMPTS_TEST_MAX = 4;
export const WEBHOOK_RETRY_BASE_DELAY_SECONDS = 300;
export const WEBHOOK_RETRY_MULTIPLIER = 4;
/** Cloudflare Queues delays a retry by at most 12 hours. */
export const WEBHOOK_RETRY_DELAY_MAX_SECONDS = 12 * 60 * 60;
export const WEBHOOK_DELIVERY_LOG_LIMIT_MAX = 100;
/** Stored error text of a failed attempt (never the response body). */
export const WEBHOOK_ERROR_TEXT_LENGTH_MAX = 200;

// Reconciliation (src/domain/reconciliation, src/queue/reconciliation*.ts).
/** Rows per page when the consumer reads the account DO and D1 (ledger entries or money objects). */
export const RECONCILIATION_PAGE_ROWS_MAX = 500;
/** Pages one queue message reads before it hands the rest of the run to a continuation message. */
export const RECONCILIATION_PAGES_PER_MESSAGE_MAX = 40;
/** Days after the expected cut-off during which a settlement counts as `late`, not missing. */
export const RECONCILIATION_LATE_SETTLEMENT_DAYS = 1;
export const RECONCILIATION_WINDOW_DAYS_MAX = 31;
/** Movements per DO export call of the external check (small objects: a few hundred bytes each). */
export const RECONCILIATION_MOVEMENTS_PAGE_MAX = 2_000;
/** Movements, or settlement lines, one window may hold: the external check holds both in memory. */
export const RECONCILIATION_WINDOW_ITEMS_MAX = 50_000;
/** An account whose outbox holds more rows than this is catching up with D1: reconcile it later. */
export const RECONCILIATION_OUTBOX_BACKLOG_MAX = 1_000;
/** Accounts per D1 page (and per `sendBatch`, whose limit is 100) when the cron enqueues runs. */
export const RECONCILIATION_CRON_ACCOUNTS_PAGE_MAX = 100;
/** Ids per DO lookup call (unmatched settlement lines, repairs, event batches). */
export const RECONCILIATION_LOOKUP_IDS_MAX = 100;
export const RECONCILIATION_RETRY_DELAY_MIN_SECONDS = 10;
export const RECONCILIATION_RETRY_DELAY_MAX_SECONDS = 300;
/** wrangler.toml `max_retries` of the reconciliation queue: the delivery after it goes to the DLQ. */
export const RECONCILIATION_QUEUE_MAX_RETRIES = 5;

// Search (`GET /v1/<resource>/search`), Stripe's documented bounds.
export const SEARCH_CLAUSES_MAX = 10;
export const SEARCH_QUERY_LENGTH_MAX = 1_000;
export const SEARCH_SUBSTRING_MIN = 3;
