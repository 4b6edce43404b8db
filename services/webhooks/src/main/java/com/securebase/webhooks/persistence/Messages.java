package com.securebase.webhooks.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** Writes messages and their pending deliveries (inside the caller's tenant transaction). */
public final class Messages {
  private Messages() {}

  /**
   * One message for the event and one delivery per enabled endpoint of the tenant subscribed to its
   * type, in one statement; nothing is stored when no endpoint wants the event, and a redelivered
   * event (same tenant and event id) adds nothing. The deliveries are first due at {@code dueAt}:
   * now, for any dispatcher to claim, or the end of a lease when the caller hands them straight to
   * its own dispatcher (they are then claimed already, and due again only if it dies).
   *
   * @return the deliveries created, with everything needed to send them
   */
  public static Uni<List<DeliveryQueue.Claimed>> fanOut(
      SqlClient client,
      UUID tenant,
      String eventId,
      String eventType,
      String payload,
      OffsetDateTime now,
      OffsetDateTime dueAt) {
    return client
        .preparedQuery(
            "with targets as (select id, url, secret, previous_secret, previous_secret_expires_at,"
                + " rate_limit_per_second from endpoint where tenant_id = $1 and enabled"
                + " and (event_types is null or $2 = any(string_to_array(event_types, ',')))),"
                + " m as (insert into message (id, tenant_id, event_id, event_type, payload,"
                + " created_at) select $3, $1, $4, $2, $5, $6"
                + " where exists (select 1 from targets)"
                + " on conflict (tenant_id, event_id) do nothing returning id),"
                + " d as (insert into delivery (id, tenant_id, message_id, endpoint_id, status,"
                + " attempts, next_attempt_at, created_at)"
                + " select gen_random_uuid(), $1, m.id, t.id, 'pending', 0, $7, $6"
                + " from m, targets t returning id, message_id, endpoint_id)"
                + " select d.id, d.message_id, d.endpoint_id, t.url, t.secret, t.previous_secret,"
                + " t.previous_secret_expires_at, t.rate_limit_per_second"
                + " from d join targets t on t.id = d.endpoint_id")
        .execute(
            Tuple.tuple(
                List.of(tenant, eventType, UUID.randomUUID(), eventId, payload, now, dueAt)))
        .map(
            rows -> {
              List<DeliveryQueue.Claimed> created = new ArrayList<>();
              for (Row r : rows) {
                created.add(
                    new DeliveryQueue.Claimed(
                        r.getUUID("id"),
                        tenant,
                        r.getUUID("message_id"),
                        r.getUUID("endpoint_id"),
                        0,
                        null,
                        r.getString("url"),
                        r.getString("secret"),
                        r.getString("previous_secret"),
                        r.getOffsetDateTime("previous_secret_expires_at"),
                        r.getInteger("rate_limit_per_second"),
                        eventId,
                        eventType,
                        payload));
              }
              return created;
            });
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
