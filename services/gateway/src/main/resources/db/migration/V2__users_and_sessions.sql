-- Users of a tenant (one row per membership: the same email may belong to several tenants),
-- and the refresh-token families of their sessions. All tenant-owned and RLS-protected.
CREATE TABLE user_account (
  id                uuid PRIMARY KEY,
  tenant_id         uuid        NOT NULL REFERENCES tenant,
  email             text        NOT NULL CHECK (length(email) BETWEEN 3 AND 320 AND email = lower(email)),
  display_name      text,
  roles             text        NOT NULL, -- comma-separated, subset of the six roles
  status            text        NOT NULL CHECK (status IN ('invited', 'active', 'removed')),
  password_hash     text,                 -- bcrypt; null until the invitation is accepted
  mfa_secret        text,                 -- base32 TOTP secret (pending until mfa_enabled)
  mfa_enabled       boolean     NOT NULL DEFAULT false,
  mfa_last_step     bigint      NOT NULL DEFAULT 0, -- last accepted TOTP time step: no replay
  recovery_codes    text        NOT NULL DEFAULT '', -- SHA-256 (hex) of unused codes, comma-separated
  failed_logins     integer     NOT NULL DEFAULT 0,
  locked_until      timestamptz,
  invite_hash       bytea       UNIQUE,   -- SHA-256 of the invitation token; the token is never stored
  invite_expires_at timestamptz,
  invited_by        uuid,
  created_at        timestamptz NOT NULL,
  activated_at      timestamptz,
  removed_at        timestamptz,
  updated_at        timestamptz NOT NULL,
  version           integer     NOT NULL DEFAULT 1
);
SELECT enable_tenant_rls('user_account');
CREATE UNIQUE INDEX user_account_email ON user_account (tenant_id, email) WHERE status <> 'removed';
CREATE INDEX user_account_login ON user_account (email) WHERE status = 'active';

-- A login (or key exchange) starts a family; every refresh rotates the token inside it. Presenting
-- a token that was already rotated revokes the whole family (RFC 9700 §4.14.2).
CREATE TABLE session_family (
  id             uuid PRIMARY KEY,
  tenant_id      uuid        NOT NULL REFERENCES tenant,
  subject        text        NOT NULL, -- user id or API key id
  kind           text        NOT NULL CHECK (kind IN ('user', 'apikey')),
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  revoked_reason text
);
SELECT enable_tenant_rls('session_family');
CREATE INDEX session_family_subject ON session_family (tenant_id, subject) WHERE revoked_at IS NULL;

CREATE TABLE refresh_token (
  id         uuid PRIMARY KEY,
  token_hash bytea       NOT NULL UNIQUE, -- SHA-256 of the token; the token is never stored
  family_id  uuid        NOT NULL REFERENCES session_family ON DELETE CASCADE,
  tenant_id  uuid        NOT NULL,
  issued_at  timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz
);
SELECT enable_tenant_rls('refresh_token');
CREATE INDEX refresh_token_family ON refresh_token (family_id);
