-- Tickets and their comments, tenant-owned and RLS-protected.
-- Search: two generated tsvectors, so requesters search what they may read
-- (subject, description, public comments) and staff also search internal
-- notes. Comment bodies are appended to public_text / internal_text in the
-- transaction that adds the comment.
CREATE TABLE ticket (
  id                    uuid PRIMARY KEY,
  tenant_id             uuid        NOT NULL,
  subject               text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
  description           text        NOT NULL CHECK (length(description) <= 20000),
  priority              text        NOT NULL CHECK (priority IN ('critical', 'high', 'medium', 'low')),
  category              text        CHECK (length(category) <= 100),
  status                text        NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
  assignee_id           uuid,
  requester_id          uuid        NOT NULL,
  tags                  text        NOT NULL DEFAULT '', -- comma-separated, each 1..64 chars
  first_response_due_at timestamptz NOT NULL,
  responded_at          timestamptz,
  sla_breached_at       timestamptz,
  public_text           text        NOT NULL DEFAULT '',
  internal_text         text        NOT NULL DEFAULT '',
  version               integer     NOT NULL,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  resolved_at           timestamptz,
  closed_at             timestamptz,
  search_public tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', subject), 'A')
   || setweight(to_tsvector('english', description), 'B')
   || setweight(to_tsvector('english', public_text), 'C')) STORED,
  search_all tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', subject), 'A')
   || setweight(to_tsvector('english', description), 'B')
   || setweight(to_tsvector('english', public_text), 'C')
   || setweight(to_tsvector('english', internal_text), 'D')) STORED
);
SELECT enable_tenant_rls('ticket');
CREATE INDEX ticket_tenant_created ON ticket (tenant_id, created_at DESC, id DESC);
CREATE INDEX ticket_tenant_status ON ticket (tenant_id, status, created_at DESC);
CREATE INDEX ticket_tenant_requester ON ticket (tenant_id, requester_id, created_at DESC);
CREATE INDEX ticket_search_public ON ticket USING gin (search_public);
CREATE INDEX ticket_search_all ON ticket USING gin (search_all);
-- The SLA sweep and the retention purge scan only what they may act on.
CREATE INDEX ticket_sla_pending ON ticket (first_response_due_at)
  WHERE responded_at IS NULL AND sla_breached_at IS NULL AND status IN ('open', 'in_progress');
CREATE INDEX ticket_closed ON ticket (closed_at) WHERE status = 'closed';

CREATE TABLE ticket_comment (
  id         uuid PRIMARY KEY,
  tenant_id  uuid        NOT NULL,
  ticket_id  uuid        NOT NULL REFERENCES ticket ON DELETE CASCADE,
  author_id  uuid        NOT NULL,
  visibility text        NOT NULL CHECK (visibility IN ('public', 'internal')),
  body       text        NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  created_at timestamptz NOT NULL
);
SELECT enable_tenant_rls('ticket_comment');
CREATE INDEX ticket_comment_ticket ON ticket_comment (ticket_id, created_at, id);
