package com.securebase.notifications.messaging;

import com.securebase.messaging.IdempotentConsumer;
import com.securebase.notifications.domain.Notifier;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the domain topics the notification rules cover, a whole poll per transaction (one commit
 * per batch is what lets the intake keep up with bursts). Each event is applied once, under its own
 * tenant (the processed id commits with the notifications); a database outage is retried with
 * backoff, never skipped, so the partition waits rather than lose a notification.
 */
@ApplicationScoped
public class DomainEventConsumers {
  static final String CONSUMER = "notifications-intake";

  @Inject IdempotentConsumer idempotent;
  @Inject Notifier notifier;

  @Incoming("support-events")
  public Uni<Void> support(ConsumerRecords<String, byte[]> records) {
    return consume(records);
  }

  @Incoming("billing-events")
  public Uni<Void> billing(ConsumerRecords<String, byte[]> records) {
    return consume(records);
  }

  @Incoming("forecasting-events")
  public Uni<Void> forecasting(ConsumerRecords<String, byte[]> records) {
    return consume(records);
  }

  private Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
    return IdempotentConsumer.untilDone(
        idempotent.processBatch(
            CONSUMER,
            records,
            (session, event) -> notifier.notify(session, event).replaceWithVoid()));
  }
}
