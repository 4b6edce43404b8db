package com.securebase.problem;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.UUID;

/**
 * Query parameters and body values parsed by the service rather than by JAX-RS, whose conversion
 * failures become a 404 instead of a 400 naming the field. Null stays null.
 */
public final class RequestParams {
  private RequestParams() {}

  public static UUID uuid(String field, String value) {
    try {
      return value == null ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidField(field, "must be a UUID");
    }
  }

  public static OffsetDateTime time(String field, String value) {
    try {
      return value == null ? null : OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidField(field, "must be an RFC 3339 date-time");
    }
  }

  /** A lower-case enum value; the problem lists the allowed ones. */
  public static <E extends Enum<E>> E oneOf(String field, String value, Class<E> type) {
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringJoiner allowed = new StringJoiner(", ");
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw ProblemException.invalidField(field, "must be one of " + allowed);
    }
  }
}
