-- Forecasting: the tenants' cost history (imported cloud costs and SecureBase's own invoices),
-- stored forecasts, budgets with the thresholds they reached, and detected anomalies. Money is
-- numeric(18,2). Every tenant-owned table is RLS-protected.

-- One cost per (source, service, granularity, period). An import replaces the amount of a period it
-- names again (a corrected export), so importing the same file twice changes nothing; billing's
-- rows are keyed by invoice and carry its version, so an older event never undoes a newer one.
CREATE TABLE cost_point (
  tenant_id      uuid NOT NULL,
  source         text NOT NULL CHECK (source IN ('import', 'billing')),
  source_ref     text NOT NULL DEFAULT '' CHECK (length(source_ref) <= 100),
  source_version integer NOT NULL DEFAULT 0,
  service        text NOT NULL CHECK (service ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$'),
  granularity    text NOT NULL CHECK (granularity IN ('day', 'month')),
  period_start   date NOT NULL,
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount         numeric(18,2) NOT NULL CHECK (amount >= 0),
  updated_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, source, service, granularity, period_start, source_ref),
  CHECK (granularity = 'day' OR extract(day FROM period_start) = 1)
);
SELECT enable_tenant_rls('cost_point');

-- Tenants whose anomalies and budgets must be checked again (their costs or budgets changed). A
-- checker claims a row with SKIP LOCKED and deletes it in the transaction that records what it
-- found, so a crash leaves the row for the next check and two replicas never check one tenant at
-- once.
CREATE TABLE cost_change (
  tenant_id  uuid PRIMARY KEY,
  changed_at timestamptz NOT NULL
);
SELECT enable_tenant_rls('cost_change');

CREATE TABLE forecast (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  created_at     timestamptz NOT NULL,
  created_by     text NOT NULL,
  granularity    text NOT NULL CHECK (granularity IN ('day', 'month')),
  horizon_months integer NOT NULL CHECK (horizon_months IN (3, 6, 12, 24)),
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  body           jsonb NOT NULL
);
SELECT enable_tenant_rls('forecast');
CREATE INDEX forecast_tenant_list ON forecast (tenant_id, created_at DESC, id DESC);

CREATE TABLE budget (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  service     text CHECK (service ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$'),
  currency    text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  amount      numeric(18,2) NOT NULL CHECK (amount > 0),
  thresholds  integer[] NOT NULL CHECK (cardinality(thresholds) BETWEEN 1 AND 10),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     integer NOT NULL DEFAULT 1
);
SELECT enable_tenant_rls('budget');
CREATE INDEX budget_tenant ON budget (tenant_id, created_at, id);

-- A threshold reached once per budget, period, threshold and basis: the primary key is what makes
-- the alert (and its event, written in the same transaction) happen once, across restarts and
-- replicas.
CREATE TABLE budget_alert (
  tenant_id    uuid NOT NULL,
  budget_id    uuid NOT NULL REFERENCES budget (id) ON DELETE CASCADE,
  period_start date NOT NULL,
  threshold    integer NOT NULL,
  basis        text NOT NULL CHECK (basis IN ('actual', 'forecast')),
  spend        numeric(18,2) NOT NULL,
  reached_at   timestamptz NOT NULL,
  PRIMARY KEY (budget_id, period_start, threshold, basis)
);
SELECT enable_tenant_rls('budget_alert');

-- One anomaly per point (tenant, service or the total, granularity, period, currency).
CREATE TABLE anomaly (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL,
  service      text NOT NULL, -- '' is the tenant's total
  granularity  text NOT NULL CHECK (granularity IN ('day', 'month')),
  period_start date NOT NULL,
  currency     text NOT NULL,
  actual       numeric(18,2) NOT NULL,
  expected     numeric(18,2) NOT NULL,
  lower_bound  numeric(18,2) NOT NULL,
  upper_bound  numeric(18,2) NOT NULL,
  score        double precision NOT NULL,
  detected_at  timestamptz NOT NULL,
  UNIQUE (tenant_id, service, granularity, period_start, currency)
);
SELECT enable_tenant_rls('anomaly');
CREATE INDEX anomaly_tenant_list ON anomaly (tenant_id, period_start DESC, id DESC);
