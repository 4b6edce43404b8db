-- Tenants and their API keys. Both are tenant-owned and RLS-protected: the
-- tenant row's own id is its tenant_id.
CREATE TABLE tenant (
  tenant_id       uuid PRIMARY KEY,
  name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  tier            text        NOT NULL CHECK (tier IN ('standard', 'fintech', 'healthcare', 'government')),
  display_name    text,
  primary_color   text        CHECK (primary_color ~ '^#[0-9A-Fa-f]{6}$'),
  logo_url        text,
  ip_allowlist    text        NOT NULL DEFAULT '', -- CIDR blocks, comma-separated
  mfa_required    boolean     NOT NULL DEFAULT false,
  session_minutes integer     NOT NULL DEFAULT 1440 CHECK (session_minutes BETWEEN 5 AND 43200),
  tax_rate        numeric(6,4) NOT NULL DEFAULT 0.0800 CHECK (tax_rate >= 0 AND tax_rate < 1),
  version         integer     NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
SELECT enable_tenant_rls('tenant');

CREATE TABLE api_key (
  id           uuid PRIMARY KEY,
  tenant_id    uuid        NOT NULL REFERENCES tenant,
  name         text        NOT NULL,
  secret_hash  bytea       NOT NULL UNIQUE, -- SHA-256 of the secret; the secret is never stored
  prefix       text        NOT NULL,
  last4        text        NOT NULL,
  scopes       text        NOT NULL, -- roles, comma-separated
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  created_by   text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
SELECT enable_tenant_rls('api_key');
CREATE INDEX api_key_tenant ON api_key (tenant_id, created_at DESC);
