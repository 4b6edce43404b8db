-- The commit-time NOTIFY is gone: Postgres serialises every notifying commit on
-- one database-wide lock held through the WAL flush, which capped all writers of
-- the database at one commit per fsync (about 180 outbox writes/s measured on
-- the support benchmark). The writing process now wakes its relay after commit
-- (TenantTransactions.afterCommit); the relay's poll interval covers the rest.
DROP TRIGGER outbox_event_notify ON outbox_event;
DROP FUNCTION outbox_event_notify();
