package com.securebase.support.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.util.Locale;

/** Ticket priority and the first-response target it sets. */
// In TicketRequests.View, a Response entity: @JsonValue needs reflection.
@RegisterForReflection
public enum Priority {
  CRITICAL(Duration.ofHours(1)),
  HIGH(Duration.ofHours(4)),
  MEDIUM(Duration.ofHours(24)),
  LOW(Duration.ofHours(48));

  private final Duration firstResponseTarget;

  Priority(Duration firstResponseTarget) {
    this.firstResponseTarget = firstResponseTarget;
  }

  public Duration firstResponseTarget() {
    return firstResponseTarget;
  }

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Priority fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
