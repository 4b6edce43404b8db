-- Notifications: the inbox, what the service knows about the tenant's users and
-- settings (from the gateway's events), preferences, and channel deliveries.
-- Every table is tenant-owned and RLS-protected.

-- The tenant's users, kept from securebase.gateway.user.* events; role rules
-- ("every billing user") are resolved against it. `version` drops stale updates.
CREATE TABLE recipient (
  tenant_id    uuid        NOT NULL,
  user_id      uuid        NOT NULL,
  email        text        NOT NULL CHECK (length(email) <= 320),
  display_name text,
  roles        text[]      NOT NULL,
  status       text        NOT NULL CHECK (status IN ('invited', 'active', 'removed')),
  version      integer     NOT NULL,
  updated_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);
SELECT enable_tenant_rls('recipient');
CREATE INDEX recipient_roles ON recipient USING gin (roles) WHERE status = 'active';

-- Branding from securebase.gateway.tenant.* events; the Slack incoming webhook
-- from the tenant settings API (never from an event: it is a secret).
CREATE TABLE tenant_settings (
  tenant_id         uuid PRIMARY KEY,
  name              text,
  display_name      text,
  primary_color     text,
  logo_url          text,
  tenant_version    integer,
  slack_webhook_url text CHECK (length(slack_webhook_url) <= 2048),
  updated_at        timestamptz NOT NULL
);
SELECT enable_tenant_rls('tenant_settings');

CREATE TABLE notification (
  id                uuid PRIMARY KEY,
  -- Creation order for stream replay ("everything after the last id I saw").
  seq               bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
  tenant_id         uuid        NOT NULL,
  user_id           uuid        NOT NULL,
  type              text        NOT NULL CHECK (type IN ('ticket', 'billing', 'compliance', 'alert', 'info')),
  severity          text        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  title             text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  body              text        NOT NULL CHECK (length(body) <= 4000),
  link              text        CHECK (length(link) <= 2048),
  source_event_id   text,
  source_event_type text,
  metadata          jsonb       NOT NULL DEFAULT '{}',
  read_at           timestamptz,
  created_at        timestamptz NOT NULL
);
SELECT enable_tenant_rls('notification');
-- One notification per user per source event, whatever redelivery happens.
CREATE UNIQUE INDEX notification_source ON notification (tenant_id, user_id, source_event_id);
CREATE INDEX notification_inbox ON notification (tenant_id, user_id, created_at DESC, id DESC);
CREATE INDEX notification_unread ON notification (tenant_id, user_id, created_at DESC, id DESC)
  WHERE read_at IS NULL;
CREATE INDEX notification_replay ON notification (tenant_id, user_id, seq);

-- Channel preferences: a user's own choice wins over the tenant default, which
-- wins over the built-in default (NotificationRules.builtInDefault). The in-app
-- inbox is not a preference: it is the record of what was sent.
CREATE TABLE preference (
  tenant_id  uuid        NOT NULL,
  user_id    uuid        NOT NULL,
  type       text        NOT NULL CHECK (type IN ('ticket', 'billing', 'compliance', 'alert', 'info')),
  channel    text        NOT NULL CHECK (channel IN ('email', 'slack')),
  enabled    boolean     NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, user_id, type, channel)
);
SELECT enable_tenant_rls('preference');

CREATE TABLE preference_default (
  tenant_id  uuid        NOT NULL,
  type       text        NOT NULL CHECK (type IN ('ticket', 'billing', 'compliance', 'alert', 'info')),
  channel    text        NOT NULL CHECK (channel IN ('email', 'slack')),
  enabled    boolean     NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, type, channel)
);
SELECT enable_tenant_rls('preference_default');

-- One email or Slack send and its retries. The worker claims due rows with
-- FOR UPDATE SKIP LOCKED and pushes next_attempt_at forward by a lease before
-- sending, so replicas never send the same delivery at once and a crashed
-- sender's claim runs out.
CREATE TABLE delivery (
  id               uuid PRIMARY KEY,
  tenant_id        uuid        NOT NULL,
  notification_id  uuid        NOT NULL REFERENCES notification ON DELETE CASCADE,
  user_id          uuid        NOT NULL,
  channel          text        NOT NULL CHECK (channel IN ('email', 'slack')),
  status           text        NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer     NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  first_attempt_at timestamptz,
  last_error_code  text,
  last_error       text,
  sent_at          timestamptz,
  failed_at        timestamptz,
  created_at       timestamptz NOT NULL
);
SELECT enable_tenant_rls('delivery');
CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX delivery_notification ON delivery (notification_id);

-- Every attempt, for operators and support ("why did I not get the email?").
CREATE TABLE delivery_attempt (
  delivery_id  uuid        NOT NULL REFERENCES delivery ON DELETE CASCADE,
  attempt      integer     NOT NULL,
  tenant_id    uuid        NOT NULL,
  attempted_at timestamptz NOT NULL,
  outcome      text        NOT NULL CHECK (outcome IN ('sent', 'failed')),
  error_code   text,
  error        text,
  PRIMARY KEY (delivery_id, attempt)
);
SELECT enable_tenant_rls('delivery_attempt');
