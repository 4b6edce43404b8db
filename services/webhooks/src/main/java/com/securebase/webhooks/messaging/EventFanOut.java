package com.securebase.webhooks.messaging;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.messaging.IdempotentConsumer;
import com.securebase.webhooks.persistence.DeliveryQueue;
import com.securebase.webhooks.persistence.Messages;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Turns every other service's catalog event into webhook messages for the tenant's subscribed
 * endpoints (once per event id), then wakes the dispatcher after the commit. A database outage is
 * retried with backoff, never skipped: the partition waits rather than lose a message.
 */
@ApplicationScoped
public class EventFanOut {
  static final String CONSUMER = "webhooks-fan-out";
  private static final String OWN_EVENTS = "securebase.webhooks.";

  @Inject IdempotentConsumer idempotent;
  @Inject DeliveryDispatcher dispatcher;
  @Inject Clock clock;

  /**
   * A whole poll at a time: one commit per batch lets the fan-out keep up with bursts. While this
   * replica's dispatcher has room, the new deliveries are written claimed by it (leased) and handed
   * to it once the batch commits, so they go out without being claimed from the table again; if the
   * replica dies first, they are due again when the lease ends, as any claimed delivery is.
   * Otherwise they are written due now, and the dispatcher is woken to claim them.
   */
  @Incoming("catalog-events")
  public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
    return IdempotentConsumer.untilDone(
        Uni.createFrom()
            .deferred(
                () -> {
                  List<DeliveryQueue.Claimed> handed = new ArrayList<>(); // per attempt
                  int[] due = {0};
                  return idempotent
                      .processBatch(
                          CONSUMER,
                          records,
                          (connection, event) -> {
                            if (event.platformScoped() || event.type().startsWith(OWN_EVENTS)) {
                              // Platform events have no tenant endpoints. Our own events
                              // (endpoint changes, their audit entries, dead letters) are not
                              // delivered as webhooks: an endpoint would receive its own
                              // creation, and a failing one its own disabling.
                              return Uni.createFrom().voidItem();
                            }
                            OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
                            boolean handOver = dispatcher.takesHandOver(handed.size());
                            return Messages.fanOut(
                                    connection,
                                    UUID.fromString(event.tenantId()),
                                    event.id(),
                                    event.type(),
                                    payload(event),
                                    now,
                                    handOver ? now.plus(dispatcher.lease()) : now)
                                .invoke(
                                    created -> {
                                      if (handOver) {
                                        handed.addAll(created);
                                      } else {
                                        due[0] += created.size();
                                      }
                                    })
                                .replaceWithVoid();
                          })
                      .invoke(
                          () -> {
                            dispatcher.handOver(handed);
                            if (due[0] > 0) {
                              dispatcher.wake();
                            }
                          });
                }));
  }

  /**
   * The request body receivers get: the Standard Webhooks shape ({@code type}, {@code timestamp},
   * {@code data}) plus the event's id, tenant and subject.
   */
  public static String payload(EventEnvelope event) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("id", event.id());
    body.put("type", event.type());
    body.put("timestamp", event.time().toString());
    body.put("tenantId", event.tenantId());
    if (event.subject() != null) {
      body.put("subject", event.subject());
    }
    body.set("data", event.data());
    return new String(EventJson.bytes(body), StandardCharsets.UTF_8);
  }
}
