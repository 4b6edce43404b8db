CREATE TABLE widget (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  name text NOT NULL
);
SELECT enable_tenant_rls('widget');

-- What the test consumer does per event: no unique constraint, so only the
-- idempotent consumer stands between a redelivery and a second row.
CREATE TABLE effect_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id uuid NOT NULL,
  event_id text NOT NULL
);
SELECT enable_tenant_rls('effect_log');
