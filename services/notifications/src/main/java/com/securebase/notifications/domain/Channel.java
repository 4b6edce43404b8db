package com.securebase.notifications.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A channel a notification can be sent on besides the in-app inbox, which always gets it (the inbox
 * is the record of what was sent, so it is not a preference).
 */
public enum Channel {
  EMAIL,
  SLACK;

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Channel fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
