package com.securebase.notifications.messaging;

import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.messaging.Outbox;
import com.securebase.notifications.persistence.Delivery;
import com.securebase.notifications.persistence.Notification;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The service's events, written to the outbox in the transaction of the change they describe. The
 * two inbox events double as the WebSocket fan-out: every replica reads them back and pushes to its
 * own sockets.
 */
@ApplicationScoped
public class NotificationEvents {
  public static final String CREATED = "securebase.notifications.notification.created";
  public static final String INBOX_CHANGED = "securebase.notifications.inbox.changed";
  public static final String DELIVERY_FAILED = "securebase.notifications.delivery.failed";

  private final DomainEvents events = new DomainEvents("notifications");

  @Inject Outbox outbox;

  /** The announcement of a new notification; the intake writes a whole event's at once. */
  public EventEnvelope created(Notification n, long unreadCount) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", n.tenantId.toString());
    data.put("notificationId", n.id.toString());
    data.put("userId", n.userId.toString());
    data.put("type", n.type);
    data.put("severity", n.severity);
    data.put("title", n.title);
    data.put("body", n.body);
    data.put("link", n.link);
    data.put(
        "source",
        n.sourceEventId == null
            ? null
            : Map.of("eventId", n.sourceEventId, "eventType", n.sourceEventType));
    data.put(
        "metadata", EventJson.tree(n.metadata.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    data.put("unreadCount", unreadCount);
    data.put("createdAt", utc(n.createdAt));
    return events.create(CREATED, n.tenantId.toString(), n.id.toString(), data);
  }

  /**
   * @param action {@code read}, {@code unread}, {@code deleted} or {@code read_all}
   */
  public Uni<Void> inboxChanged(
      UUID tenant, UUID user, String action, List<UUID> ids, long unreadCount, OffsetDateTime at) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", tenant.toString());
    data.put("userId", user.toString());
    data.put("action", action);
    data.put("notificationIds", ids.stream().map(UUID::toString).toList());
    data.put("unreadCount", unreadCount);
    data.put("changedAt", utc(at));
    return outbox.append(events.create(INBOX_CHANGED, tenant.toString(), user.toString(), data));
  }

  public Uni<Void> deliveryFailed(Delivery d, Notification n, String code, String message) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("tenantId", d.tenantId.toString());
    data.put("deliveryId", d.id.toString());
    data.put("notificationId", d.notificationId.toString());
    data.put("userId", d.userId.toString());
    data.put("channel", d.channel);
    data.put("type", n.type);
    data.put("severity", n.severity);
    data.put("attempts", d.attempts);
    data.put(
        "error",
        Map.of(
            "code",
            code,
            "message",
            message == null ? "" : message.substring(0, Math.min(message.length(), 2000))));
    data.put("firstAttemptAt", utc(d.firstAttemptAt));
    data.put("failedAt", utc(d.failedAt));
    return outbox.append(
        events.create(DELIVERY_FAILED, d.tenantId.toString(), d.id.toString(), data));
  }

  private static String utc(OffsetDateTime time) {
    return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC).toString();
  }
}
