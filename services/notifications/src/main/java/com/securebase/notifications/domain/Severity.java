package com.securebase.notifications.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Locale;

/** How urgent a notification is; {@link #CRITICAL} is sent on every channel, opt-outs or not. */
// In NotificationViews.View on the stream (EventJson.MAPPER): @JsonValue needs reflection.
@RegisterForReflection
public enum Severity {
  INFO,
  WARNING,
  CRITICAL;

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
