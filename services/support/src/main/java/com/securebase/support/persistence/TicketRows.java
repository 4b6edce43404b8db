package com.securebase.support.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Arrays;

/**
 * Ticket writes on the plain reactive client, for the create path: one prepared insert the pool
 * keeps cached, sent in the same flight as the tenant scope and the outbox event instead of a
 * Hibernate session's flush (which cost more CPU than the rest of the request).
 */
public final class TicketRows {
  private static final String INSERT =
      "insert into ticket (id, tenant_id, subject, description, priority, category, status,"
          + " assignee_id, requester_id, tags, first_response_due_at, public_text, internal_text,"
          + " version, created_at, updated_at)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

  private TicketRows() {}

  public static Uni<Void> insert(SqlClient client, Ticket t) {
    return client
        .preparedQuery(INSERT)
        .execute(
            Tuple.from(
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
                    t.updatedAt)))
        .replaceWithVoid();
  }
}
