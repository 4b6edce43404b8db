package com.securebase.notifications.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.notifications.domain.Channel;
import com.securebase.notifications.domain.Inbox;
import com.securebase.notifications.domain.NotificationType;
import com.securebase.notifications.domain.Preferences;
import com.securebase.notifications.domain.Severity;
import com.securebase.notifications.persistence.Notification;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of the inbox API and the stream (one shape for both). */
public final class NotificationViews {
  private NotificationViews() {}

  // Nested in View.
  @RegisterForReflection
  public record Source(String eventId, String eventType) {}

  // Written by EventJson.MAPPER on the stream (StreamMessages), not only by REST.
  @RegisterForReflection
  public record View(
      UUID id,
      NotificationType type,
      Severity severity,
      String title,
      String body,
      String link,
      JsonNode metadata,
      boolean read,
      Instant readAt,
      Instant createdAt,
      Source source) {
    public static View of(Notification n) {
      return new View(
          n.id,
          n.typeValue(),
          n.severityValue(),
          n.title,
          n.body,
          n.link,
          EventJson.tree(n.metadata.getBytes(StandardCharsets.UTF_8)),
          n.readAt != null,
          n.readAt == null ? null : n.readAt.toInstant(),
          n.createdAt.toInstant(),
          n.sourceEventId == null ? null : new Source(n.sourceEventId, n.sourceEventType));
    }

    /** The view of a {@code notification.created} event's data (a new, unread notification). */
    public static View ofCreatedEvent(JsonNode d) {
      JsonNode source = d.path("source");
      return new View(
          UUID.fromString(d.path("notificationId").asText()),
          NotificationType.fromCode(d.path("type").asText()),
          Severity.fromCode(d.path("severity").asText()),
          d.path("title").asText(),
          d.path("body").asText(),
          d.path("link").isTextual() ? d.path("link").asText() : null,
          d.has("metadata") ? d.get("metadata") : EventJson.MAPPER.createObjectNode(),
          false,
          null,
          Instant.parse(d.path("createdAt").asText()),
          source.isObject()
              ? new Source(source.path("eventId").asText(), source.path("eventType").asText())
              : null);
    }
  }

  public record PageView(List<View> items, String nextCursor) {}

  public record UnreadCount(long unreadCount) {}

  public record BulkRequest(
      @NotNull Inbox.Action action, @NotNull @Size(min = 1, max = 100) List<@NotNull UUID> ids) {}

  public record BulkOutcome(String action, int changed, long unreadCount) {}

  public record PreferencesUpdate(@NotNull Map<String, Map<String, Boolean>> preferences) {}

  /**
   * Effective preferences by type and channel code, and the two rules no preference changes: the
   * in-app inbox always gets every notification, and critical ones go to every channel.
   */
  public record PreferencesView(
      Map<String, Map<String, Preferences.Setting>> preferences, String inApp, String critical) {
    static final String IN_APP = "always: the inbox is the record of every notification";
    static final String CRITICAL = "sent on every channel, whatever the preferences say";

    static PreferencesView of(Map<NotificationType, Map<Channel, Preferences.Setting>> matrix) {
      Map<String, Map<String, Preferences.Setting>> byCode = new LinkedHashMap<>();
      matrix.forEach(
          (type, row) -> {
            Map<String, Preferences.Setting> cells = new LinkedHashMap<>();
            row.forEach((channel, setting) -> cells.put(channel.code(), setting));
            byCode.put(type.code(), cells);
          });
      return new PreferencesView(byCode, IN_APP, CRITICAL);
    }
  }

  public record ChannelSettings(
      @Size(max = 2048) String slackWebhookUrl, Boolean removeSlackWebhook) {}

  public record ChannelSettingsView(boolean slackConfigured, String slackWebhookHint) {}
}
