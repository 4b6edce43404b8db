package com.securebase.notifications.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A stream upgrade without a valid token is answered 401 by the WebSocket security check, which
 * then also fails the route; the REST failure handlers behind it would write a second response and
 * log "Response has already been written" as an error for an ordinary refusal. Once the refusal is
 * sent, the failure stops here.
 */
@ApplicationScoped
public class UpgradeRefusal {
  void routes(@Observes Router router) {
    router
        .route(NotificationStream.PATH)
        .order(Integer.MIN_VALUE)
        .failureHandler(
            rc -> {
              if (!rc.response().headWritten()) {
                rc.next();
              }
            });
  }
}
