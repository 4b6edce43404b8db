package com.securebase.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the {@link OutboxRelay} for the service's schema: started with the application, woken by the
 * outbox's {@code NOTIFY securebase_outbox_<schema>} (LISTEN on its own connection) and by a poll
 * interval as a safety net for missed notifications.
 */
@ApplicationScoped
public class OutboxRelayService {
  @Inject Pool pool;
  @Inject Vertx vertx;
  @Inject MeterRegistry meters;

  @ConfigProperty(name = "securebase.service.name")
  String service;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "securebase.outbox.relay.enabled", defaultValue = "true")
  boolean enabled;

  @ConfigProperty(name = "securebase.outbox.relay.batch-size", defaultValue = "500")
  int batchSize;

  @ConfigProperty(name = "securebase.outbox.relay.poll-interval", defaultValue = "1s")
  Duration pollInterval;

  @ConfigProperty(name = "securebase.outbox.retention", defaultValue = "7d")
  Duration retention;

  @ConfigProperty(name = "securebase.consumer.dedup-retention", defaultValue = "90d")
  Duration dedupRetention;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String reactiveUrl;

  @ConfigProperty(name = "quarkus.datasource.username")
  Optional<String> username;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  private Producer<String, byte[]> producer;
  private OutboxRelay relay;
  private PgSubscriber subscriber;

  void onStart(@Observes StartupEvent event) {
    if (enabled) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }

  /** Starts relaying (also after {@link #stop()}, as a restarted process would). */
  public synchronized void start() {
    if (relay != null) {
      return;
    }
    producer = RelayProducers.create(bootstrapServers, service + "-outbox-relay");
    relay = new OutboxRelay(pool, producer, settings(), meters);
    relay.start(service + "-outbox-relay");
    listen();
    relay.wake(); // whatever was committed while no relay ran
  }

  public synchronized void stop() {
    if (subscriber != null) {
      subscriber.close();
      subscriber = null;
    }
    if (relay != null) {
      relay.close();
      relay = null;
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  public OutboxRelay.Settings settings() {
    return new OutboxRelay.Settings(
        batchSize, pollInterval, Duration.ofSeconds(30), retention, dedupRetention);
  }

  private void listen() {
    PgConnectOptions options = PgConnectOptions.fromUri(reactiveUrl);
    username.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
    // The trigger notifies on the table's schema; ask the database rather than assume a name.
    String schema =
        pool.query("select current_schema()")
            .execute()
            .await()
            .atMost(Duration.ofSeconds(30))
            .iterator()
            .next()
            .getString(0);
    subscriber = OutboxNotifications.listen(vertx, options, schema, relay);
  }
}
