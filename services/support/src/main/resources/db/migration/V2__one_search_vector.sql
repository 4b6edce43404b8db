-- One search vector instead of two. Internal notes are its weight-D lexemes;
-- a requester's search reads only weights A-C (ts_filter, TicketSearch), so a
-- ticket's text is stemmed and GIN-indexed once per write instead of twice
-- (the create, the hottest write, paid for both).
ALTER TABLE ticket DROP COLUMN search_public;
ALTER TABLE ticket RENAME COLUMN search_all TO search;
ALTER INDEX ticket_search_all RENAME TO ticket_search;
