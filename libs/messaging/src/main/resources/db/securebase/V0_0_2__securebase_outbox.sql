-- Transactional outbox (libs/messaging). A service inserts its events here in
-- the same transaction as the state change; the relay publishes them to Kafka
-- in `seq` order and marks them published. `json` (not jsonb) keeps the data
-- exactly as written. Not tenant-facing, so no RLS: only the relay reads it.
CREATE TABLE outbox_event (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id     uuid        NOT NULL UNIQUE,
  topic        text        NOT NULL,
  tenant_id    text        NOT NULL, -- the Kafka key: a tenant uuid, or "platform"
  event_type   text        NOT NULL,
  source       text        NOT NULL,
  subject      text,
  occurred_at  timestamptz NOT NULL,
  data_schema  text,
  data         json        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  parked_at    timestamptz, -- Kafka refused it for good (e.g. too large): needs an operator
  attempts     integer     NOT NULL DEFAULT 0,
  last_error   text
);

CREATE INDEX outbox_event_pending ON outbox_event (seq) WHERE published_at IS NULL AND parked_at IS NULL;
CREATE INDEX outbox_event_published ON outbox_event (published_at) WHERE published_at IS NOT NULL;

-- NOTIFY is transactional: the relay is woken only once the events are committed.
CREATE FUNCTION outbox_event_notify() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM pg_notify('securebase_outbox_' || TG_TABLE_SCHEMA, '');
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_event_notify
  AFTER INSERT ON outbox_event
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_event_notify();
