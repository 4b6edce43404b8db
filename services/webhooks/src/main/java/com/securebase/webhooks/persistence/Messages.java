package com.securebase.webhooks.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlResult;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Writes messages and their pending deliveries (inside the caller's tenant transaction). */
public final class Messages {
  private Messages() {}

  /**
   * One message for the event and one delivery per enabled endpoint of the tenant subscribed to its
   * type, in one statement; nothing is stored when no endpoint wants the event, and a redelivered
   * event (same tenant and event id) adds nothing.
   *
   * @return how many deliveries were created
   */
  public static Uni<Integer> fanOut(
      SqlClient client,
      UUID tenant,
      String eventId,
      String eventType,
      String payload,
      OffsetDateTime now) {
    return client
        .preparedQuery(
            "with targets as (select id from endpoint where tenant_id = $1 and enabled"
                + " and (event_types is null or $2 = any(string_to_array(event_types, ',')))),"
                + " m as (insert into message (id, tenant_id, event_id, event_type, payload,"
                + " created_at) select $3, $1, $4, $2, $5, $6"
                + " where exists (select 1 from targets)"
                + " on conflict (tenant_id, event_id) do nothing returning id)"
                + " insert into delivery (id, tenant_id, message_id, endpoint_id, status, attempts,"
                + " next_attempt_at, created_at)"
                + " select gen_random_uuid(), $1, m.id, t.id, 'pending', 0, $6, $6"
                + " from m, targets t")
        .execute(Tuple.of(tenant, eventType, UUID.randomUUID(), eventId, payload, now))
        .map(SqlResult::rowCount);
  }

  /** A message for one endpoint only (test events), due at once. */
  public static Uni<Message> toEndpoint(
      Mutiny.Session session,
      UUID tenant,
      UUID endpoint,
      String eventId,
      String eventType,
      String payload,
      OffsetDateTime now) {
    Message m = new Message();
    m.id = UUID.randomUUID();
    m.tenantId = tenant;
    m.eventId = eventId;
    m.eventType = eventType;
    m.payload = payload;
    m.createdAt = now;
    Delivery d = pending(tenant, m.id, endpoint, now);
    return session.persist(m).chain(() -> session.persist(d)).chain(session::flush).replaceWith(m);
  }

  public static Delivery pending(UUID tenant, UUID message, UUID endpoint, OffsetDateTime now) {
    Delivery d = new Delivery();
    d.id = UUID.randomUUID();
    d.tenantId = tenant;
    d.messageId = message;
    d.endpointId = endpoint;
    d.status = "pending";
    d.attempts = 0;
    d.nextAttemptAt = now;
    d.createdAt = now;
    return d;
  }
}
