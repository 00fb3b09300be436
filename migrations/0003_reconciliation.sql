-- Reconciliation: the D1 copy of every ledger entry (fed from the account DOs' outboxes, like
-- `records`), and the results of reconciliation runs with their discrepancies.
CREATE TABLE ledger_entries (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  journal_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  ledger_account TEXT NOT NULL,
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL,
  source TEXT NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY (account_id, livemode, seq)
);

-- The internal check pages through each money object type in id order.
CREATE INDEX records_by_object_id ON records (account_id, livemode, object, id);

-- One row per (account, mode, window); the id is a hash of that key, so a rerun updates it.
CREATE TABLE reconciliation_runs (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  status TEXT NOT NULL,
  passes INTEGER NOT NULL DEFAULT 0,
  counts TEXT NOT NULL DEFAULT '{}',
  totals TEXT NOT NULL DEFAULT '{}',
  checked TEXT NOT NULL DEFAULT '{}',
  failure TEXT,
  created INTEGER NOT NULL,
  started_at INTEGER,
  completed_at INTEGER
);

CREATE INDEX reconciliation_runs_by_account ON reconciliation_runs (account_id, livemode, created DESC, id DESC);

-- The id is a hash of the run id and the discrepancy's key, so a rerun finds the same rows.
CREATE TABLE reconciliation_discrepancies (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  class TEXT NOT NULL,
  status TEXT NOT NULL,
  reference TEXT,
  discrepancy_key TEXT NOT NULL,
  details TEXT NOT NULL,
  -- Set when a person resolves it: note, resolved_at and the adjusting balance transaction, if any.
  resolution TEXT,
  created INTEGER NOT NULL
);

CREATE INDEX reconciliation_discrepancies_by_account ON reconciliation_discrepancies (account_id, livemode, created DESC, id DESC);
CREATE INDEX reconciliation_discrepancies_by_run ON reconciliation_discrepancies (run_id, class);
