-- Per-service database set-up, run once per database by an administrator
-- (the local platform and the test kit run it; in Kubernetes a pre-install hook).
-- ${owner} owns the schema and runs Flyway; ${app} is what the service connects
-- as: it gets DML only and is subject to row-level security (NOBYPASSRLS, not
-- the owner), so a query that forgets `tenant_id` still sees one tenant.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${owner}') THEN
    CREATE ROLE ${owner} LOGIN PASSWORD '${owner_password}' NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app}') THEN
    CREATE ROLE ${app} LOGIN PASSWORD '${app_password}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another process created it at the same moment
END
$$;
CREATE SCHEMA IF NOT EXISTS ${schema} AUTHORIZATION ${owner};
REVOKE ALL ON SCHEMA ${schema} FROM PUBLIC;
GRANT USAGE ON SCHEMA ${schema} TO ${app};
ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema}
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app};
ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema}
  GRANT USAGE, SELECT ON SEQUENCES TO ${app};
ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${schema}
  GRANT EXECUTE ON FUNCTIONS TO ${app};
ALTER ROLE ${owner} IN DATABASE ${database} SET search_path = ${schema};
ALTER ROLE ${app} IN DATABASE ${database} SET search_path = ${schema};
-- Full-text search under row-level security: Postgres only uses an index for a
-- query operator that is LEAKPROOF (it must not run before the policy check
-- otherwise). tsvector @@ tsquery is not marked so, which makes every search a
-- scan of the tenant's rows; it reveals nothing but its boolean result, so mark
-- it here (needs a superuser; without one, search still works, unindexed).
DO $$
BEGIN
  ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'ts_match_vq left as is (not a superuser): full-text search will not use its index';
END
$$;
