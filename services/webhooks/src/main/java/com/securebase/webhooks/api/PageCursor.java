package com.securebase.webhooks.api;

import com.securebase.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Keyset position for lists ordered newest first: the last item's time (µs, as Postgres stores it)
 * and id, opaque to clients.
 */
record PageCursor(OffsetDateTime at, UUID id) {
  static final int MAX_LENGTH = 200;

  String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at.toInstant());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  static PageCursor decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
      Instant at = Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS);
      return new PageCursor(at.atOffset(ZoneOffset.UTC), UUID.fromString(parts[1]));
    } catch (RuntimeException e) {
      throw ProblemException.invalidField("cursor", "is not a cursor this API returned");
    }
  }
}
