-- The delivery table is a queue: every attempt rewrites its row, and a burst adds tens of
-- thousands of rows to a table that may have been empty. Postgres' defaults (vacuum after 20% of
-- the rows changed, analyze after 10%) leave the claim scanning dead row versions and planning
-- with statistics of the table as it was; vacuum and analyze it after 2% instead.
ALTER TABLE delivery SET (
  autovacuum_vacuum_scale_factor = 0.02,
  autovacuum_vacuum_insert_scale_factor = 0.02,
  autovacuum_analyze_scale_factor = 0.02
);
