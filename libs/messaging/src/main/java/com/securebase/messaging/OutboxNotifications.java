package com.securebase.messaging;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.jboss.logging.Logger;

/** LISTENs for the outbox's commit-time NOTIFY and wakes the relay, reconnecting on loss. */
public final class OutboxNotifications {
  private static final Logger LOG = Logger.getLogger(OutboxNotifications.class);

  private OutboxNotifications() {}

  /** The channel the outbox trigger notifies: {@code securebase_outbox_<schema>}. */
  public static String channel(String schema) {
    return "securebase_outbox_" + schema;
  }

  public static PgSubscriber listen(
      Vertx vertx, PgConnectOptions options, String schema, OutboxRelay relay) {
    PgSubscriber subscriber =
        PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
    subscriber.channel(channel(schema)).handler(payload -> relay.wake());
    subscriber
        .connect()
        .onFailure(
            e ->
                LOG.warnf(
                    "Outbox LISTEN on %s failed (%s); the relay falls back to polling",
                    channel(schema), e.getMessage()));
    return subscriber;
  }
}
