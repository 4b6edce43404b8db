package com.securebase.problem;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a declared-oversized body (Content-Length above {@code
 * quarkus.http.limits.max-body-size}) with a 413 problem before any of it is read. Chunked bodies
 * are still cut off by Vert.x itself at the same limit.
 */
@ApplicationScoped
public class BodySizeLimit {
  private static final String BODY =
      "{\"type\":\""
          + Problem.TYPE_BASE
          + "payload-too-large\",\"title\":\"Payload Too Large\","
          + "\"status\":413,\"detail\":\"The request body exceeds %d bytes\"}";

  @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
  MemorySize maxBodySize;

  void register(@Observes Filters filters) {
    long limit = maxBodySize.asLongValue();
    filters.register(
        rc -> {
          String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
          if (length != null && tooLarge(length, limit)) {
            rc.response()
                .setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(String.format(BODY, limit));
            return;
          }
          rc.next();
        },
        10_000);
  }

  private static boolean tooLarge(String length, long limit) {
    try {
      return Long.parseLong(length.trim()) > limit;
    } catch (NumberFormatException e) {
      return false; // Vert.x answers a malformed Content-Length itself
    }
  }
}
