-- Search: the common lookup, a customer by email (exact, case-insensitive), answered from an index
-- instead of a scan of the account's customers. The expression must stay identical to the one
-- src/platform/search-store.ts emits: lower(json_extract(data, '$.email')).
CREATE INDEX records_by_email ON records (account_id, livemode, object, lower(json_extract(data, '$.email')));
