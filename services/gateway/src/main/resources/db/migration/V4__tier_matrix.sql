-- Every publication of the tier feature matrix (platform-level, no tenant: no RLS). A start-up
-- publishes only when the matrix in the code differs from the latest row.
CREATE TABLE tier_matrix_publication (
  version      integer     PRIMARY KEY,
  matrix       jsonb       NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);
