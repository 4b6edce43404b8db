package com.securebase.notifications.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/** What a notification is about (PRODUCT §7); also the unit of preferences. */
// In NotificationViews.View on the stream (EventJson.MAPPER): @JsonValue needs reflection.
@RegisterForReflection
public enum NotificationType {
  TICKET,
  BILLING,
  COMPLIANCE,
  ALERT,
  INFO;

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static NotificationType fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
