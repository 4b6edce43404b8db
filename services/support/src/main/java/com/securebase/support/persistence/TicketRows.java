package com.securebase.support.persistence;

import com.securebase.events.EventEnvelope;
import com.securebase.messaging.Outbox;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Ticket writes on the plain reactive client, for the create path: one prepared statement the pool
 * keeps cached, holding the tenant scope, the ticket and its outbox event, instead of a Hibernate
 * session's flush (which cost more CPU than the rest of the request) or a transaction of five
 * commands.
 */
public final class TicketRows {
  private static final String COLUMNS =
      "id, tenant_id, subject, description, priority, category, status, assignee_id,"
          + " requester_id, tags, first_response_due_at, public_text, internal_text, version,"
          + " created_at, updated_at";

  /**
   * A new ticket and its {@code ticket.created} event in one statement, its own transaction: the
   * scope, the ticket ($2..$17) and the outbox row ($18..) (see {@link
   * TenantConnections#statementInTenant}). Casts, since {@code insert ... select} does not take the
   * parameters' types from the columns.
   */
  private static final String CREATE =
      TenantConnections.STATEMENT_SCOPE
          + ", ticket_insert as (insert into ticket ("
          + COLUMNS
          + ") select $2::uuid, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::text,"
          + " $9::uuid, $10::uuid, $11::text, $12::timestamptz, $13::text, $14::text,"
          + " $15::integer, $16::timestamptz, $17::timestamptz from scope)"
          + Outbox.statementPart(18)
          + " select 1";

  private TicketRows() {}

  /** Inserts the ticket with its event; both are written, or neither. */
  public static Uni<Void> create(TenantConnections connections, Ticket t, EventEnvelope created) {
    return create(connections, t.tenantId, t, created);
  }

  /** As {@link #create(TenantConnections, Ticket, EventEnvelope)}, in a given scope (tests). */
  static Uni<Void> create(
      TenantConnections connections, UUID scope, Ticket t, EventEnvelope created) {
    List<Object> parameters =
        new ArrayList<>(
            Arrays.asList(
                t.id,
                t.tenantId,
                t.subject,
                t.description,
                t.priority,
                t.category,
                t.status,
                t.assigneeId,
                t.requesterId,
                t.tags,
                t.firstResponseDueAt,
                t.publicText,
                t.internalText,
                t.version,
                t.createdAt,
                t.updatedAt));
    parameters.addAll(Outbox.values(created));
    return connections.statementInTenant(scope, CREATE, parameters);
  }
}
