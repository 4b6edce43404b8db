package com.securebase.notifications.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.CloudEventsKafka;
import com.securebase.events.EventEnvelope;
import com.securebase.events.MalformedEventException;
import com.securebase.notifications.api.NotificationViews.View;
import com.securebase.notifications.api.StreamConnections;
import com.securebase.notifications.api.StreamMessages;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Every replica's push: reads the service's own topic with a consumer group unique to this process
 * (so every replica sees every event) and writes each new notification and unread count to the
 * recipient's sockets on this replica, if it holds any. Writes are asynchronous, so the consumer
 * never waits on a client. Nothing is stored: a client that was not connected catches up by replay.
 *
 * <p>The replica that created a notification pushes it as soon as its transaction has committed
 * ({@link #pushHere}) instead of waiting for the event's round trip through the relay and the
 * broker, and skips that event when it comes back. The broker copy still reaches every other
 * replica, and still arrives here if this replica restarted in between: a push is never lost, and a
 * client may at worst see a notification twice (it has an id; clients de-duplicate by it).
 */
@ApplicationScoped
public class StreamFanout {
  private static final Logger LOG = Logger.getLogger(StreamFanout.class);

  /** Events pushed here but not yet back from the broker; past this, the oldest are forgotten. */
  static final int PUSHED_HERE_CAPACITY = 100_000;

  @Inject StreamConnections connections;

  private final Set<String> pushedHere = ConcurrentHashMap.newKeySet();

  /** Pushes events this replica has just committed, ahead of their copies from the broker. */
  public void pushHere(List<EventEnvelope> committed) {
    if (pushedHere.size() + committed.size() > PUSHED_HERE_CAPACITY) {
      pushedHere.clear(); // their broker copies are pushed again: a repeat, never a loss
    }
    for (EventEnvelope event : committed) {
      pushedHere.add(event.id());
      send(event);
    }
  }

  @Incoming("stream-fanout")
  public Uni<Void> push(ConsumerRecord<String, byte[]> record) {
    String id = CloudEventsKafka.peek(record, "id");
    if (id != null && pushedHere.remove(id)) {
      return Uni.createFrom().voidItem();
    }
    EventEnvelope event;
    try {
      event = CloudEventsKafka.fromRecord(record);
    } catch (MalformedEventException e) {
      LOG.warnf("Fan-out skipped a malformed record: %s", e.getMessage());
      return Uni.createFrom().voidItem();
    }
    if (!pushedHere.remove(event.id())) {
      send(event);
    }
    return Uni.createFrom().voidItem();
  }

  private void send(EventEnvelope event) {
    JsonNode d = event.data();
    try {
      switch (event.type()) {
        case NotificationEvents.CREATED -> {
          UUID tenant = UUID.fromString(d.path("tenantId").asText());
          UUID user = UUID.fromString(d.path("userId").asText());
          connections.send(tenant, user, StreamMessages.notification(View.ofCreatedEvent(d)));
          connections.send(
              tenant, user, StreamMessages.unreadCount(d.path("unreadCount").asLong()));
        }
        case NotificationEvents.INBOX_CHANGED ->
            connections.send(
                UUID.fromString(d.path("tenantId").asText()),
                UUID.fromString(d.path("userId").asText()),
                StreamMessages.unreadCount(d.path("unreadCount").asLong()));
        default -> {} // delivery failures are not pushed
      }
    } catch (IllegalArgumentException e) {
      LOG.warnf("Fan-out skipped event %s: %s", event.id(), e.getMessage());
    }
  }
}
