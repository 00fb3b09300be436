-- Accounts registry and the read model of every object, fed from the account DOs' outboxes.
CREATE TABLE accounts (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  created INTEGER NOT NULL,
  PRIMARY KEY (account_id, livemode)
);

CREATE TABLE records (
  account_id TEXT NOT NULL,
  livemode INTEGER NOT NULL,
  object TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  created INTEGER NOT NULL,
  customer TEXT,
  status TEXT,
  deleted INTEGER NOT NULL DEFAULT 0,
  data TEXT NOT NULL,
  PRIMARY KEY (account_id, livemode, id)
);

CREATE INDEX records_by_object ON records (account_id, livemode, object, created DESC);
CREATE INDEX records_by_customer ON records (account_id, livemode, object, customer, created DESC);
