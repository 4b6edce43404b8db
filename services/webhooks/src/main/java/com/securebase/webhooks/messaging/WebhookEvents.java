package com.securebase.webhooks.messaging;

import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.messaging.AuditTrail;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.messaging.Outbox;
import com.securebase.webhooks.persistence.DeliveryQueue;
import com.securebase.webhooks.persistence.Endpoint;
import com.securebase.webhooks.persistence.Message;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Webhook delivery's events, written to the outbox in the transaction of the change they describe:
 * endpoint changes (with an audit entry), automatic disabling, dead letters.
 */
@ApplicationScoped
public class WebhookEvents {
  private static final int ERROR_LIMIT = 2000;
  private final DomainEvents events = new DomainEvents("webhooks");

  @Inject Outbox outbox;
  @Inject AuditTrail audit;

  /** created, updated, deleted (by a user): the event and an audit entry. */
  public Uni<Void> endpointChanged(
      String change, Endpoint e, List<String> changes, Actor actor, OffsetDateTime deletedAt) {
    Map<String, Object> data = endpoint(e, deletedAt);
    if (changes != null) {
      data.put("changes", changes);
    }
    return outbox
        .append(
            events.create(
                "securebase.webhooks.endpoint." + change,
                e.tenantId.toString(),
                e.id.toString(),
                data))
        .chain(
            () ->
                audit.record(
                    e.tenantId.toString(),
                    actor,
                    "webhook_endpoint." + change,
                    "webhook_endpoint",
                    e.id.toString(),
                    true,
                    null,
                    changes == null ? Map.of("url", e.url) : Map.of("changes", changes)));
  }

  /** endpoint.disabled, from the dispatcher's transaction (410 Gone, or 5 days of failures). */
  public Uni<Void> endpointDisabled(SqlClient transaction, Endpoint e) {
    return outbox.append(
        transaction,
        events.create(
            "securebase.webhooks.endpoint.disabled",
            e.tenantId.toString(),
            e.id.toString(),
            endpoint(e, null)));
  }

  public Uni<Void> deadLettered(
      SqlClient transaction, DeliveryQueue.Outcome last, int attempts, Instant firstAttemptAt) {
    DeliveryQueue.Claimed d = last.delivery();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", d.tenantId().toString());
    data.put("messageId", d.messageId().toString());
    data.put("endpointId", d.endpointId().toString());
    data.put("webhookId", Message.webhookId(d.messageId()));
    data.put("eventType", d.eventType());
    data.put("eventId", d.eventId());
    data.put("attempts", attempts);
    data.put("lastStatusCode", last.statusCode());
    String error = last.error();
    data.put(
        "lastError",
        error == null || error.length() <= ERROR_LIMIT ? error : error.substring(0, ERROR_LIMIT));
    data.put("firstAttemptAt", firstAttemptAt.toString());
    data.put("lastAttemptAt", last.attemptedAt().toString());
    data.put("deadLetteredAt", last.attemptedAt().toString());
    EventEnvelope event =
        events.create(
            "securebase.webhooks.message.dead_lettered",
            d.tenantId().toString(),
            d.deliveryId().toString(),
            data);
    return outbox.append(transaction, event);
  }

  public void wakeRelay() {
    outbox.wakeRelay();
  }

  /** The endpoint as the catalog's schema describes it (never the secret). */
  static Map<String, Object> endpoint(Endpoint e, OffsetDateTime deletedAt) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", e.tenantId.toString());
    data.put("endpointId", e.id.toString());
    data.put("url", e.url);
    data.put("description", e.description);
    data.put("eventTypes", e.eventTypeList());
    data.put("enabled", e.enabled);
    data.put("disabledReason", e.disabledReason);
    data.put("rateLimitPerSecond", e.rateLimitPerSecond);
    data.put("secretRotatedAt", e.secretRotatedAt == null ? null : e.secretRotatedAt.toString());
    data.put("createdAt", e.createdAt.toString());
    data.put("updatedAt", e.updatedAt.toString());
    data.put("deletedAt", deletedAt == null ? null : deletedAt.toString());
    data.put("version", e.version);
    return data;
  }
}
