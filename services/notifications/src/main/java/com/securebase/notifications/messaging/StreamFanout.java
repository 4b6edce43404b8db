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
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Every replica's push: reads the service's own topic with a consumer group unique to this process
 * (so every replica sees every event) and writes each new notification and unread count to the
 * recipient's sockets on this replica, if it holds any. Writes are asynchronous, so the consumer
 * never waits on a client. Nothing is stored: a client that was not connected catches up by replay.
 */
@ApplicationScoped
public class StreamFanout {
  private static final Logger LOG = Logger.getLogger(StreamFanout.class);

  @Inject StreamConnections connections;

  @Incoming("stream-fanout")
  public Uni<Void> push(ConsumerRecord<String, byte[]> record) {
    EventEnvelope event;
    try {
      event = CloudEventsKafka.fromRecord(record);
    } catch (MalformedEventException e) {
      LOG.warnf("Fan-out skipped a malformed record: %s", e.getMessage());
      return Uni.createFrom().voidItem();
    }
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
    return Uni.createFrom().voidItem();
  }
}
