package com.securebase.webhooks.api;

import com.securebase.problem.ProblemException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Query and path parameters parsed here rather than by JAX-RS, whose conversion failures become a
 * 404 instead of a 400 naming the parameter.
 */
final class Params {
  private Params() {}

  static UUID uuid(String field, String value) {
    try {
      return value == null ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ProblemException.invalidField(field, "must be a UUID");
    }
  }

  static OffsetDateTime time(String field, String value) {
    try {
      return value == null ? null : OffsetDateTime.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidField(field, "must be an RFC 3339 date-time");
    }
  }
}
