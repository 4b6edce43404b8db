package com.securebase.webhooks.persistence;

import io.smallrye.mutiny.Uni;
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
      Mutiny.Session session,
      UUID tenant,
      String eventId,
      String eventType,
      String payload,
      OffsetDateTime now) {
    return session
        .createNativeQuery(
            "with targets as (select id from endpoint where tenant_id = :tenant and enabled"
                + " and (event_types is null or :type = any(string_to_array(event_types, ',')))),"
                + " m as (insert into message (id, tenant_id, event_id, event_type, payload,"
                + " created_at) select :message, :tenant, :eventId, :type, :payload, :now"
                + " where exists (select 1 from targets)"
                + " on conflict (tenant_id, event_id) do nothing returning id)"
                + " insert into delivery (id, tenant_id, message_id, endpoint_id, status, attempts,"
                + " next_attempt_at, created_at)"
                + " select gen_random_uuid(), :tenant, m.id, t.id, 'pending', 0, :now, :now"
                + " from m, targets t")
        .setParameter("tenant", tenant)
        .setParameter("type", eventType)
        .setParameter("message", UUID.randomUUID())
        .setParameter("eventId", eventId)
        .setParameter("payload", payload)
        .setParameter("now", now)
        .executeUpdate();
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
