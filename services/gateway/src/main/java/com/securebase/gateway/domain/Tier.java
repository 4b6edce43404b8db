package com.securebase.gateway.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A tenant's commercial tier: decides features, seats and rate limits. */
public enum Tier {
  STANDARD,
  FINTECH,
  HEALTHCARE,
  GOVERNMENT;

  @JsonValue
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Tier fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
