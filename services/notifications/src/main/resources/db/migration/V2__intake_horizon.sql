-- Where the notification intake starts. The domain consumers read from the
-- earliest offset when their group has no committed one: a replica killed
-- before its group's first commit must not skip what was published meanwhile
-- (it did with `latest`: FaultsIT). Events older than this row, written when
-- the schema was created (the service's first deployment), are history, not
-- news: they are consumed and notify nobody. Not tenant data, so no RLS.
CREATE TABLE intake_horizon (
  only_row boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
  since    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO intake_horizon DEFAULT VALUES;
