-- Analytics: metric points (time-partitioned) with an hourly rollup kept in step on every insert,
-- the metric names each tenant has, saved reports with their shares, schedules, report runs, the
-- query-result cache, and the throttle of live metric updates. Every tenant-owned table is
-- RLS-protected (on a partitioned table the policy of the parent covers every partition).

-- One point per (tenant, timestamp, id): re-sending a point (a batch retried, an event
-- redelivered) changes nothing. Dimensions the product names are columns (empty when absent, so
-- they group and compare without NULL rules); anything else is a tag.
CREATE TABLE metric_point (
  tenant_id   uuid NOT NULL,
  ts          timestamptz NOT NULL,
  point_id    text NOT NULL CHECK (length(point_id) BETWEEN 1 AND 128),
  metric      text NOT NULL CHECK (metric ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  value       double precision NOT NULL CHECK (value = value AND abs(value) < 1e300),
  region      text NOT NULL DEFAULT '' CHECK (length(region) <= 100),
  service     text NOT NULL DEFAULT '' CHECK (length(service) <= 100),
  account     text NOT NULL DEFAULT '' CHECK (length(account) <= 100),
  tags        jsonb NOT NULL DEFAULT '{}'::jsonb,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, ts, point_id)
) PARTITION BY RANGE (ts);
SELECT enable_tenant_rls('metric_point');
-- Queries always name the tenant, the metrics and a time range.
CREATE INDEX metric_point_query ON metric_point (tenant_id, metric, ts);

-- Count, sum, min and max per hour and dimension combination: what sum, avg, min, max and count
-- without tags read instead of the points. Every insert of new points adds to it in the same
-- transaction, so late data lands in its hour at once and the rollup never drifts from the points.
CREATE TABLE metric_rollup_hour (
  tenant_id uuid NOT NULL,
  metric    text NOT NULL,
  hour      timestamptz NOT NULL,
  region    text NOT NULL,
  service   text NOT NULL,
  account   text NOT NULL,
  n         bigint NOT NULL,
  total     double precision NOT NULL,
  low       double precision NOT NULL,
  high      double precision NOT NULL,
  PRIMARY KEY (tenant_id, metric, hour, region, service, account)
);
SELECT enable_tenant_rls('metric_rollup_hour');

-- The metrics a tenant has sent (a query naming any other is refused) and the tags seen on them.
CREATE TABLE metric_name (
  tenant_id  uuid NOT NULL,
  metric     text NOT NULL,
  first_seen timestamptz NOT NULL,
  last_seen  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, metric)
);
SELECT enable_tenant_rls('metric_name');

-- Monthly partitions. The application role may not create or drop tables, so the owner's
-- functions do it for it (SECURITY DEFINER, fixed search path, names built from dates only).
CREATE FUNCTION analytics_ensure_partition(month date) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = analytics, pg_temp
  AS $$
DECLARE
  start date := date_trunc('month', month)::date;
  name text := 'metric_point_' || to_char(date_trunc('month', month), 'YYYYMM');
BEGIN
  IF to_regclass(name) IS NOT NULL THEN
    RETURN false;
  END IF;
  -- Two replicas may race to create the same month; the lock makes the second see the first's.
  PERFORM pg_advisory_xact_lock(hashtext(name));
  IF to_regclass(name) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF metric_point FOR VALUES FROM (%L) TO (%L)',
                 name, start, (start + interval '1 month')::date);
  RETURN true;
END
$$;

CREATE FUNCTION analytics_drop_partitions_before(cutoff date) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = analytics, pg_temp
  AS $$
DECLARE
  r record;
  dropped integer := 0;
BEGIN
  FOR r IN SELECT c.relname FROM pg_inherits i
             JOIN pg_class c ON c.oid = i.inhrelid
             JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'metric_point' AND c.relname ~ '^metric_point_[0-9]{6}$'
              AND to_date(substr(c.relname, 14), 'YYYYMM') + interval '1 month' <= cutoff
  LOOP
    EXECUTE format('DROP TABLE %I', r.relname);
    dropped := dropped + 1;
  END LOOP;
  DELETE FROM metric_rollup_hour WHERE hour < date_trunc('month', cutoff);
  RETURN dropped;
END
$$;

-- The months around the migration exist from the start; the maintenance job keeps three ahead.
SELECT analytics_ensure_partition((date_trunc('month', now()) + make_interval(months => m))::date)
  FROM generate_series(-1, 3) AS m;

CREATE TABLE report (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text CHECK (length(description) <= 2000),
  template    text CHECK (template IN ('cost', 'security', 'compliance')),
  query       jsonb NOT NULL,
  chart       text NOT NULL CHECK (chart IN ('table', 'line', 'bar', 'area')),
  format      text NOT NULL CHECK (format IN ('json', 'csv', 'pdf', 'xlsx')),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     integer NOT NULL DEFAULT 1
);
SELECT enable_tenant_rls('report');
CREATE INDEX report_tenant_list ON report (tenant_id, created_at DESC, id DESC);

-- A report shared with a user (their subject) or with everyone holding a role.
CREATE TABLE report_share (
  tenant_id      uuid NOT NULL,
  report_id      uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
  principal_type text NOT NULL CHECK (principal_type IN ('user', 'role')),
  principal      text NOT NULL CHECK (length(principal) BETWEEN 1 AND 100),
  permission     text NOT NULL CHECK (permission IN ('view', 'edit')),
  created_by     text NOT NULL,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (report_id, principal_type, principal)
);
SELECT enable_tenant_rls('report_share');

CREATE TABLE report_schedule (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  report_id   uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
  cron        text NOT NULL CHECK (length(cron) <= 120),
  time_zone   text NOT NULL CHECK (length(time_zone) <= 64),
  recipients  jsonb NOT NULL,
  enabled     boolean NOT NULL DEFAULT true,
  next_run_at timestamptz,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
SELECT enable_tenant_rls('report_schedule');
CREATE INDEX report_schedule_due ON report_schedule (next_run_at) WHERE enabled;
CREATE INDEX report_schedule_report ON report_schedule (tenant_id, report_id);

-- One run per schedule slot: the unique key is what makes a slot run once across replicas and
-- restarts. A run is queued, claimed with a lease (a crashed runner's run is taken over once the
-- lease passes), and retried with backoff until delivered or given up.
CREATE TABLE report_run (
  id              uuid PRIMARY KEY,
  tenant_id       uuid NOT NULL,
  report_id       uuid NOT NULL REFERENCES report (id) ON DELETE CASCADE,
  schedule_id     uuid REFERENCES report_schedule (id) ON DELETE SET NULL,
  trigger         text NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
  scheduled_for   timestamptz,
  status          text NOT NULL CHECK (status IN ('queued', 'running', 'retrying', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until     timestamptz,
  generated       boolean NOT NULL DEFAULT false,
  started_at      timestamptz,
  finished_at     timestamptz,
  row_count       integer,
  output_size     integer,
  deliveries      jsonb NOT NULL DEFAULT '[]'::jsonb,
  error           jsonb,
  created_at      timestamptz NOT NULL,
  UNIQUE (schedule_id, scheduled_for)
);
SELECT enable_tenant_rls('report_run');
CREATE INDEX report_run_due ON report_run (next_attempt_at) WHERE status IN ('queued', 'retrying', 'running');
CREATE INDEX report_run_report ON report_run (tenant_id, report_id, created_at DESC, id DESC);

-- Query results by the query's canonical form; new points in a cached range delete the entry.
CREATE TABLE query_cache (
  tenant_id  uuid NOT NULL,
  key        text NOT NULL,
  metrics    text[] NOT NULL,
  from_ts    timestamptz NOT NULL,
  to_ts      timestamptz NOT NULL,
  body       jsonb NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
SELECT enable_tenant_rls('query_cache');

-- Live updates (metrics.updated) at most once per window per tenant: what lands inside a window
-- is gathered here and announced when the window has passed.
CREATE TABLE metrics_notice (
  tenant_id    uuid PRIMARY KEY,
  last_sent_at timestamptz,
  pending      boolean NOT NULL DEFAULT false,
  metrics      text[] NOT NULL DEFAULT '{}',
  from_ts      timestamptz,
  to_ts        timestamptz,
  points       bigint NOT NULL DEFAULT 0,
  -- Raised by every ingest that stored points: a query caches its answer only if no ingest
  -- committed (or is committing) since it read the version, so a cached answer is never older
  -- than the points.
  version      bigint NOT NULL DEFAULT 1
);
SELECT enable_tenant_rls('metrics_notice');

-- Tenant names and colours for report headers, from the gateway's tenant events.
CREATE TABLE tenant_branding (
  tenant_id     uuid PRIMARY KEY,
  display_name  text NOT NULL,
  primary_color text,
  version       integer NOT NULL
);
SELECT enable_tenant_rls('tenant_branding');
