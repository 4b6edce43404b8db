package com.securebase.notifications.messaging;

import com.securebase.messaging.IdempotentConsumer;
import com.securebase.notifications.domain.Notifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the domain topics the notification rules cover. Each event is applied once (the processed
 * id commits with the notifications); a database outage is retried with backoff, never skipped, so
 * the partition waits rather than lose a notification.
 */
@ApplicationScoped
public class DomainEventConsumers {
  static final String CONSUMER = "notifications-intake";

  @Inject IdempotentConsumer idempotent;
  @Inject Notifier notifier;

  @Incoming("support-events")
  public Uni<Void> support(ConsumerRecord<String, byte[]> record) {
    return consume(record);
  }

  @Incoming("billing-events")
  public Uni<Void> billing(ConsumerRecord<String, byte[]> record) {
    return consume(record);
  }

  @Incoming("forecasting-events")
  public Uni<Void> forecasting(ConsumerRecord<String, byte[]> record) {
    return consume(record);
  }

  private Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    return idempotent
        .process(
            CONSUMER, record, (session, event) -> notifier.notify(session, event).replaceWithVoid())
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30))
        .indefinitely()
        .replaceWithVoid();
  }
}
