-- Billing: metric definitions and price books (platform data), the tenants' billing accounts,
-- usage records, billing periods, invoices with their lines, credit notes and usage thresholds.
-- Money is numeric(18,2) (exact, cents); quantities numeric(24,6). Every tenant-owned table is
-- RLS-protected.

-- Metric definitions are data: a new metric is a row, not a release.
CREATE TABLE billable_metric (
  code         text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,63}$'),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  aggregation  text NOT NULL CHECK (aggregation IN ('count', 'sum', 'max', 'unique_count', 'latest')),
  -- The record property whose distinct values a unique_count counts.
  unique_field text CHECK ((aggregation = 'unique_count') = (unique_field IS NOT NULL)),
  unit         text NOT NULL DEFAULT 'unit'
);
INSERT INTO billable_metric (code, name, aggregation, unique_field, unit) VALUES
  ('accounts',           'Managed AWS accounts',        'max',   NULL, 'account'),
  ('cloudtrail_events',  'CloudTrail events analysed',  'sum',   NULL, 'event'),
  ('log_storage_gb',     'Log archive storage',         'max',   NULL, 'GB'),
  ('nat_gateway_gb',     'NAT gateway data processed',  'sum',   NULL, 'GB'),
  ('guardduty_findings', 'GuardDuty findings triaged',  'count', NULL, 'finding'),
  ('support_hours',      'Support engineering hours',   'sum',   NULL, 'hour');

-- A price book is immutable once used: a price change is a new version, and an invoice keeps the
-- id of the version it was computed with.
CREATE TABLE price_book (
  id             uuid PRIMARY KEY,
  tier           text NOT NULL CHECK (tier IN ('standard', 'fintech', 'healthcare', 'government')),
  version        integer NOT NULL CHECK (version >= 1),
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  base_fee       numeric(18,2) NOT NULL CHECK (base_fee >= 0),
  effective_from timestamptz NOT NULL,
  UNIQUE (tier, version)
);
CREATE TABLE price_charge (
  price_book_id uuid NOT NULL REFERENCES price_book (id),
  metric_code   text NOT NULL REFERENCES billable_metric (code),
  model         text NOT NULL CHECK (model IN ('standard', 'graduated', 'volume', 'package')),
  properties    jsonb NOT NULL,
  PRIMARY KEY (price_book_id, metric_code)
);

-- Version 1 of every tier: the base fees of PRODUCT.md §3, the same usage charges for all tiers.
INSERT INTO price_book (id, tier, version, currency, base_fee, effective_from) VALUES
  ('00000000-0000-4000-8000-000000000001', 'standard',   1, 'USD',  2000.00, '2020-01-01T00:00:00Z'),
  ('00000000-0000-4000-8000-000000000002', 'fintech',    1, 'USD',  8000.00, '2020-01-01T00:00:00Z'),
  ('00000000-0000-4000-8000-000000000003', 'healthcare', 1, 'USD', 15000.00, '2020-01-01T00:00:00Z'),
  ('00000000-0000-4000-8000-000000000004', 'government', 1, 'USD', 25000.00, '2020-01-01T00:00:00Z');
INSERT INTO price_charge (price_book_id, metric_code, model, properties)
SELECT b.id, c.metric_code, c.model, c.properties::jsonb
FROM price_book b
CROSS JOIN (VALUES
  ('accounts', 'graduated',
   '{"tiers":[{"upTo":"10","unitAmount":"0","flatAmount":"0"},{"upTo":"50","unitAmount":"20.00","flatAmount":"0"},{"upTo":null,"unitAmount":"15.00","flatAmount":"0"}]}'),
  ('cloudtrail_events', 'package', '{"packageSize":"100000","packageAmount":"2.00","freeUnits":"1000000"}'),
  ('log_storage_gb', 'volume',
   '{"tiers":[{"upTo":"1000","unitAmount":"0.10","flatAmount":"0"},{"upTo":"10000","unitAmount":"0.08","flatAmount":"0"},{"upTo":null,"unitAmount":"0.05","flatAmount":"0"}]}'),
  ('nat_gateway_gb', 'standard', '{"unitAmount":"0.045"}'),
  ('guardduty_findings', 'standard', '{"unitAmount":"0.50"}'),
  ('support_hours', 'standard', '{"unitAmount":"150.00"}')
) AS c (metric_code, model, properties);

-- What billing knows of each tenant, from the gateway's tenant events. The version guards against
-- an older event arriving after a newer one.
CREATE TABLE tenant_account (
  tenant_id      uuid PRIMARY KEY,
  name           text NOT NULL,
  display_name   text,
  primary_color  text,
  logo_url       text,
  tier           text NOT NULL CHECK (tier IN ('standard', 'fintech', 'healthcare', 'government')),
  tax_rate       numeric(7,6) NOT NULL CHECK (tax_rate BETWEEN 0 AND 1),
  tenant_version integer NOT NULL,
  updated_at     timestamptz NOT NULL
);
SELECT enable_tenant_rls('tenant_account');

-- Tier history, for proration: the tier in force from each UTC day on.
CREATE TABLE tenant_tier_change (
  tenant_id      uuid NOT NULL,
  effective_on   date NOT NULL,
  tier           text NOT NULL CHECK (tier IN ('standard', 'fintech', 'healthcare', 'government')),
  tenant_version integer NOT NULL,
  PRIMARY KEY (tenant_id, effective_on)
);
SELECT enable_tenant_rls('tenant_tier_change');

-- One row per usage record; the primary key is the idempotency key. payload_hash tells a true
-- repeat (ignored) from a different record under the same id (refused).
CREATE TABLE usage_event (
  tenant_id      uuid NOT NULL,
  transaction_id text NOT NULL CHECK (length(transaction_id) BETWEEN 1 AND 128),
  metric_code    text NOT NULL,
  quantity       numeric(24,6) NOT NULL CHECK (quantity >= 0),
  occurred_at    timestamptz NOT NULL,
  properties     jsonb NOT NULL DEFAULT '{}',
  payload_hash   bytea NOT NULL,
  received_at    timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, transaction_id)
);
SELECT enable_tenant_rls('usage_event');
-- Aggregation per tenant, metric and period is a range scan of this index.
CREATE INDEX usage_event_period ON usage_event (tenant_id, metric_code, occurred_at);

-- A tenant's month. Ingestion holds it FOR SHARE while it writes; finalizing an invoice closes it
-- under FOR UPDATE first, so no record lands in a period after its invoice was frozen.
CREATE TABLE billing_period (
  tenant_id    uuid NOT NULL,
  period_start timestamptz NOT NULL,
  period_end   timestamptz NOT NULL,
  closed       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, period_start)
);
SELECT enable_tenant_rls('billing_period');

-- Gap-free numbers: the counter row is bumped in the transaction that uses the number, so a
-- rolled-back invoice never burns one.
CREATE TABLE document_counter (
  tenant_id uuid NOT NULL,
  kind      text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  last_seq  integer NOT NULL,
  PRIMARY KEY (tenant_id, kind)
);
SELECT enable_tenant_rls('document_counter');

CREATE TABLE invoice (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL,
  seq           integer NOT NULL,
  number        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('draft', 'finalized', 'paid', 'void')),
  tier          text NOT NULL,
  price_book_id uuid NOT NULL REFERENCES price_book (id),
  period_start  timestamptz NOT NULL,
  period_end    timestamptz NOT NULL,
  currency      text NOT NULL,
  subtotal      numeric(18,2) NOT NULL,
  discount      numeric(18,2) NOT NULL,
  tax_rate      numeric(7,6) NOT NULL,
  tax           numeric(18,2) NOT NULL,
  total         numeric(18,2) NOT NULL,
  credited      numeric(18,2) NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL,
  finalized_at  timestamptz,
  paid_at       timestamptz,
  voided_at     timestamptz,
  updated_at    timestamptz NOT NULL,
  version       integer NOT NULL,
  -- One invoice per tenant and period, however many runs race: the second insert finds the first.
  UNIQUE (tenant_id, period_start),
  UNIQUE (tenant_id, seq)
);
SELECT enable_tenant_rls('invoice');
CREATE INDEX invoice_tenant_list ON invoice (tenant_id, period_start DESC, id DESC);

CREATE TABLE invoice_line (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL,
  invoice_id   uuid NOT NULL REFERENCES invoice (id) ON DELETE CASCADE,
  position     integer NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('base_fee', 'usage')),
  description  text NOT NULL,
  metric_code  text,
  charge_model text,
  quantity     numeric(24,6),
  amount       numeric(18,2) NOT NULL,
  UNIQUE (invoice_id, position)
);
SELECT enable_tenant_rls('invoice_line');

CREATE TABLE credit_note (
  id         uuid PRIMARY KEY,
  tenant_id  uuid NOT NULL,
  invoice_id uuid NOT NULL REFERENCES invoice (id),
  seq        integer NOT NULL,
  number     text NOT NULL,
  reason     text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  subtotal   numeric(18,2) NOT NULL CHECK (subtotal > 0),
  discount   numeric(18,2) NOT NULL,
  tax        numeric(18,2) NOT NULL,
  total      numeric(18,2) NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (tenant_id, seq)
);
SELECT enable_tenant_rls('credit_note');
CREATE INDEX credit_note_invoice ON credit_note (invoice_id);

CREATE TABLE credit_note_line (
  credit_note_id  uuid NOT NULL REFERENCES credit_note (id),
  tenant_id       uuid NOT NULL,
  invoice_line_id uuid NOT NULL REFERENCES invoice_line (id),
  amount          numeric(18,2) NOT NULL CHECK (amount > 0),
  PRIMARY KEY (credit_note_id, invoice_line_id)
);
SELECT enable_tenant_rls('credit_note_line');

CREATE TABLE usage_threshold (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  metric_code text NOT NULL REFERENCES billable_metric (code),
  threshold   numeric(24,6) NOT NULL CHECK (threshold > 0),
  created_at  timestamptz NOT NULL,
  UNIQUE (tenant_id, metric_code, threshold)
);
SELECT enable_tenant_rls('usage_threshold');

-- A threshold fires once per period: the crossing row is the proof it already did.
CREATE TABLE threshold_crossing (
  tenant_id    uuid NOT NULL,
  threshold_id uuid NOT NULL REFERENCES usage_threshold (id) ON DELETE CASCADE,
  period_start timestamptz NOT NULL,
  reached_at   timestamptz NOT NULL,
  PRIMARY KEY (threshold_id, period_start)
);
SELECT enable_tenant_rls('threshold_crossing');
