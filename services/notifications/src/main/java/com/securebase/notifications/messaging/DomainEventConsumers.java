package com.securebase.notifications.messaging;

import com.securebase.events.EventEnvelope;
import com.securebase.messaging.IdempotentConsumer;
import com.securebase.messaging.Outbox;
import com.securebase.notifications.domain.Notifier;
import com.securebase.notifications.persistence.IntakeHorizon;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the domain topics the notification rules cover, a whole poll per transaction (one commit
 * per batch is what lets the intake keep up with bursts). Each event is applied once, under its own
 * tenant (the processed id commits with the notifications); a database outage is retried with
 * backoff, never skipped, so the partition waits rather than lose a notification. A group without a
 * committed offset starts from the earliest one, and what predates the service is only marked
 * processed ({@link IntakeHorizon}).
 */
@ApplicationScoped
public class DomainEventConsumers {
  static final String CONSUMER = "notifications-intake";

  @Inject IdempotentConsumer idempotent;
  @Inject Notifier notifier;
  @Inject IntakeHorizon horizon;
  @Inject StreamFanout fanout;
  @Inject Outbox outbox;

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

  /** Once the batch has committed, its notifications are pushed from here at once. */
  private Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
    return IdempotentConsumer.untilDone(
        Uni.createFrom()
            .deferred(
                () -> {
                  List<EventEnvelope> announced = new ArrayList<>(); // per attempt
                  return idempotent
                      .processBatch(
                          CONSUMER,
                          records,
                          (connection, event) ->
                              horizon
                                  .isHistory(event)
                                  .chain(
                                      history ->
                                          history
                                              ? Uni.createFrom().item(List.<EventEnvelope>of())
                                              : notifier.notify(connection, event))
                                  .invoke(announced::addAll)
                                  .replaceWithVoid())
                      .invoke(
                          () -> {
                            fanout.pushHere(announced);
                            if (!announced.isEmpty()) {
                              outbox.wakeRelay(); // the other replicas' copies
                            }
                          });
                }));
  }
}
