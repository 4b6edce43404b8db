-- Idempotent consumer (libs/messaging): one row per (consumer, event id)
-- processed, written in the same transaction as the consumer's effect.
CREATE TABLE processed_event (
  consumer     text        NOT NULL,
  event_id     text        NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE INDEX processed_event_age ON processed_event (processed_at);
