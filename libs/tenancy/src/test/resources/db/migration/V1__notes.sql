CREATE TABLE note (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  body text NOT NULL
);
SELECT enable_tenant_rls('note');
