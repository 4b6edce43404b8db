-- Webhook endpoints, the messages fanned out to them, one delivery per (message, endpoint) and
-- every attempt. All tenant-owned and RLS-protected. The delivery row is the schedule: a worker
-- claims due rows with FOR UPDATE SKIP LOCKED and pushes next_attempt_at forward by a lease while
-- it sends, so a replica that dies mid-attempt leaves the row due again, never lost.
CREATE TABLE endpoint (
  id                         uuid PRIMARY KEY,
  tenant_id                  uuid        NOT NULL,
  url                        text        NOT NULL CHECK (length(url) <= 2048),
  description                text        CHECK (length(description) <= 500),
  event_types                text,       -- comma-separated catalog types; null: every type
  enabled                    boolean     NOT NULL,
  disabled_reason            text        CHECK (disabled_reason IN ('manual', 'gone', 'continuous_failure')),
  rate_limit_per_second      integer     CHECK (rate_limit_per_second >= 1),
  secret                     text        NOT NULL,
  previous_secret            text,
  previous_secret_expires_at timestamptz,
  secret_rotated_at          timestamptz,
  failing_since              timestamptz, -- first failure since the last success
  version                    integer     NOT NULL,
  created_at                 timestamptz NOT NULL,
  updated_at                 timestamptz NOT NULL
);
SELECT enable_tenant_rls('endpoint');
CREATE INDEX endpoint_tenant ON endpoint (tenant_id, created_at DESC, id DESC);

-- One per event that at least one endpoint of the tenant subscribed to (or per test event).
-- id doubles as the webhook-id, identical on every attempt and resend.
CREATE TABLE message (
  id          uuid PRIMARY KEY,
  tenant_id   uuid        NOT NULL,
  event_id    text        NOT NULL,
  event_type  text        NOT NULL,
  payload     text        NOT NULL,
  created_at  timestamptz NOT NULL
);
SELECT enable_tenant_rls('message');
CREATE UNIQUE INDEX message_event ON message (tenant_id, event_id);
CREATE INDEX message_tenant_created ON message (tenant_id, created_at DESC, id DESC);

CREATE TABLE delivery (
  id               uuid PRIMARY KEY,
  tenant_id        uuid        NOT NULL,
  message_id       uuid        NOT NULL REFERENCES message ON DELETE CASCADE,
  endpoint_id      uuid        NOT NULL REFERENCES endpoint ON DELETE CASCADE,
  status           text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'dead')),
  attempts         integer     NOT NULL,
  next_attempt_at  timestamptz,          -- when pending: due time (or lease end while sending)
  first_attempt_at timestamptz,
  last_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  dead_lettered_at timestamptz,
  created_at       timestamptz NOT NULL,
  UNIQUE (message_id, endpoint_id)
);
SELECT enable_tenant_rls('delivery');
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_dead ON delivery (tenant_id, dead_lettered_at DESC, id DESC) WHERE status = 'dead';
CREATE INDEX delivery_endpoint ON delivery (endpoint_id, created_at);

CREATE TABLE attempt (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        uuid        NOT NULL,
  delivery_id      uuid        NOT NULL REFERENCES delivery ON DELETE CASCADE,
  message_id       uuid        NOT NULL,
  endpoint_id      uuid        NOT NULL,
  attempted_at     timestamptz NOT NULL,
  outcome          text        NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'timeout', 'connection_error', 'refused', 'gone')),
  status_code      integer,
  latency_ms       integer     NOT NULL,
  response_excerpt text,
  error            text
);
SELECT enable_tenant_rls('attempt');
CREATE INDEX attempt_message ON attempt (message_id, id);
