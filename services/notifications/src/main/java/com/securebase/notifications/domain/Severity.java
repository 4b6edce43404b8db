package com.securebase.notifications.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How urgent a notification is; {@link #CRITICAL} is sent on every channel, opt-outs or not. */
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
