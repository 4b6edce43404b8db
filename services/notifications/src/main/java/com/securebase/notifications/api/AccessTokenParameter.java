package com.securebase.notifications.api;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Browsers cannot set headers on a WebSocket upgrade, so the stream also takes the JWT as an {@code
 * access_token} query parameter (as the gateway does). It is moved into the Authorization header
 * before authentication, which then verifies it like any bearer token. Only on the stream's upgrade
 * request: tokens in URLs leak into logs, so nothing else accepts them.
 */
@ApplicationScoped
public class AccessTokenParameter {
  static final String PARAM = "access_token";

  void register(@Observes Filters filters) {
    filters.register(
        rc -> {
          var request = rc.request();
          if (NotificationStream.PATH.equals(request.path())
              && "websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))
              && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            String token = request.getParam(PARAM);
            if (token != null && !token.isBlank()) {
              request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            }
          }
          rc.next();
        },
        9_000);
  }
}
