-- The audit log: append-only, one hash chain per tenant (platform actions under the all-zero
-- tenant). The chain is computed here, in the insert trigger, so every writer chains the same way
-- and concurrent inserts of one tenant serialise on an advisory lock.
CREATE TABLE audit_entry (
  seq           bigserial   PRIMARY KEY,
  tenant_id     uuid        NOT NULL,
  event_id      text        NOT NULL UNIQUE, -- the CloudEvent id: a redelivery is stored once
  source        text        NOT NULL,        -- emitting service
  occurred_at   timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  actor_type    text        NOT NULL,
  actor_id      text        NOT NULL,
  actor_email   text,
  action        text        NOT NULL,
  resource_type text        NOT NULL,
  resource_id   text        NOT NULL,
  outcome       text        NOT NULL,
  source_ip     text,
  details       jsonb,
  prev_hash     bytea       NOT NULL,
  hash          bytea       NOT NULL
);
SELECT enable_tenant_rls('audit_entry');
CREATE INDEX audit_entry_time ON audit_entry (tenant_id, occurred_at DESC, seq DESC);
CREATE INDEX audit_entry_actor ON audit_entry (tenant_id, actor_id, occurred_at DESC);
CREATE INDEX audit_entry_action ON audit_entry (tenant_id, action, occurred_at DESC);

-- What the hash covers: every stored field but seq, recorded_at and the hashes, in a fixed text
-- form (UTC timestamps with microseconds, jsonb's normalised text), after the previous hash.
CREATE FUNCTION audit_entry_digest(prev bytea, e audit_entry) RETURNS bytea
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT sha256(prev || convert_to(concat_ws(chr(31),
    e.tenant_id::text, e.event_id, e.source,
    to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.actor_type, e.actor_id, coalesce(e.actor_email, ''), e.action, e.resource_type,
    e.resource_id, e.outcome, coalesce(e.source_ip, ''), coalesce(e.details::text, '')), 'UTF8')) $$;

CREATE FUNCTION audit_entry_chain() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('audit_entry:' || NEW.tenant_id::text, 0));
  SELECT hash INTO NEW.prev_hash FROM audit_entry
    WHERE tenant_id = NEW.tenant_id ORDER BY seq DESC LIMIT 1;
  NEW.prev_hash := coalesce(NEW.prev_hash, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea);
  NEW.hash := audit_entry_digest(NEW.prev_hash, NEW);
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_entry_chain BEFORE INSERT ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_chain();

-- Append-only: no update ever; deletes only past the 7-year retention.
CREATE FUNCTION audit_entry_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.occurred_at < now() - interval '7 years' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_entry is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();

-- And the application role loses UPDATE outright (belt and braces: the trigger stops the owner too).
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
           WHERE table_schema = current_schema() AND table_name = 'audit_entry'
             AND grantee <> current_user AND privilege_type IN ('UPDATE', 'TRUNCATE')
  LOOP
    EXECUTE format('REVOKE UPDATE, TRUNCATE ON audit_entry FROM %I', r.grantee);
  END LOOP;
END
$$;
