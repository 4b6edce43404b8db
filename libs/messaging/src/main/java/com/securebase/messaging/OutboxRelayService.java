package com.securebase.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the {@link OutboxRelay} for the service's schema: started with the application, woken by
 * {@link Outbox} after each commit that wrote events, and by a poll interval as the safety net
 * (events written by another replica while this one holds the relay lock, a wake-up lost in a
 * crash).
 */
@ApplicationScoped
public class OutboxRelayService {
  @Inject Pool pool;
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

  private Producer<String, byte[]> producer;
  private volatile OutboxRelay relay;

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
    relay.wake(); // whatever was committed while no relay ran
  }

  /** Asks the relay to look at the outbox now (after a commit that wrote events). */
  public void wake() {
    OutboxRelay current = relay;
    if (current != null) {
      current.wake();
    }
  }

  public synchronized void stop() {
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
}
