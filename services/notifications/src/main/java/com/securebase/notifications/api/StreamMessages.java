package com.securebase.notifications.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.securebase.events.EventJson;
import com.securebase.notifications.api.NotificationViews.View;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON text messages of {@code /v1/notifications/stream} (server to client). Every message has
 * a {@code type}; see docs/architecture.md for the protocol.
 */
public final class StreamMessages {
  private StreamMessages() {}

  public static String notification(View view) {
    return json(Map.of("type", "notification", "notification", view));
  }

  public static String unreadCount(long count) {
    return json(Map.of("type", "unread_count", "unreadCount", count));
  }

  static String replayed(int count, boolean complete) {
    return json(Map.of("type", "replay_complete", "replayed", count, "complete", complete));
  }

  static String resyncRequired(String lastSeenId) {
    return json(
        Map.of(
            "type",
            "resync_required",
            "lastSeenId",
            lastSeenId,
            "detail",
            "That notification is unknown or deleted; reload the inbox over the REST API"));
  }

  static String subscribed(java.util.Collection<String> topics) {
    return json(Map.of("type", "subscribed", "topics", topics));
  }

  /** A live update: named by its topic, with the domain event's id, type and data. */
  public static String liveUpdate(String topic, String eventId, String eventType, Object data) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", topic);
    m.put("eventId", eventId);
    m.put("eventType", eventType);
    m.put("data", data);
    return json(m);
  }

  static String pong() {
    return json(Map.of("type", "pong"));
  }

  static String error(String code, String detail) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "error");
    m.put("code", code);
    m.put("detail", detail);
    return json(m);
  }

  static String json(Object message) {
    try {
      return EventJson.MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a stream message", e);
    }
  }
}
