-- Row-level security support shared by every service (libs/tenancy).
-- The tenant is a per-transaction setting (set_config(..., true)), so a pooled
-- connection never carries one request's tenant into the next.

CREATE FUNCTION current_tenant_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('securebase.tenant_id', true), '')::uuid $$;

-- Cross-tenant work (relays, sweeps, retention) says so explicitly, per transaction.
CREATE FUNCTION system_scope() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(current_setting('securebase.system_scope', true), '') = 'on' $$;

-- The one RLS pattern: call `SELECT enable_tenant_rls('my_table');` after
-- creating any table with a `tenant_id uuid NOT NULL` column. FORCE makes the
-- policy bind the owner too; the application role is not the owner and has
-- NOBYPASSRLS, so it cannot switch the policy off.
CREATE FUNCTION enable_tenant_rls(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s '
    'USING (tenant_id = current_tenant_id() OR system_scope()) '
    'WITH CHECK (tenant_id = current_tenant_id() OR system_scope())', tbl);
END
$$;

-- The application role gets DML on the owner's tables by default privileges;
-- the migration history is the owner's alone.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
           WHERE table_schema = current_schema() AND table_name = '${flyway:table}'
             AND grantee <> current_user AND privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
  LOOP
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON %I FROM %I', '${flyway:table}', r.grantee);
  END LOOP;
END
$$;
