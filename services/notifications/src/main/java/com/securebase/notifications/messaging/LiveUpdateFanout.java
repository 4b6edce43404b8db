package com.securebase.notifications.messaging;

import com.securebase.events.CloudEventsKafka;
import com.securebase.events.EventEnvelope;
import com.securebase.events.MalformedEventException;
import com.securebase.notifications.api.NotificationStream;
import com.securebase.notifications.api.StreamConnections;
import com.securebase.notifications.api.StreamMessages;
import com.securebase.notifications.domain.LiveUpdates;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Live updates on the stream: every replica reads the domain topics with a group of its own and
 * passes each event to the sockets of its tenant that subscribed to the event's topic and may see
 * it ({@link LiveUpdates#visible}). Nothing is stored or replayed: these are live views, unlike
 * notifications.
 */
@ApplicationScoped
public class LiveUpdateFanout {
  private static final Logger LOG = Logger.getLogger(LiveUpdateFanout.class);

  @Inject StreamConnections connections;

  @Incoming("live-updates")
  public Uni<Void> push(ConsumerRecord<String, byte[]> record) {
    if (nobodySubscribed(record)) {
      return Uni.createFrom().voidItem();
    }
    EventEnvelope event;
    try {
      event = CloudEventsKafka.fromRecord(record);
    } catch (MalformedEventException e) {
      LOG.debugf("Live updates skipped a malformed record: %s", e.getMessage());
      return Uni.createFrom().voidItem();
    }
    Optional<String> topic = LiveUpdates.topicOf(event.type());
    if (topic.isEmpty() || event.platformScoped()) {
      return Uni.createFrom().voidItem();
    }
    String message = null;
    for (WebSocketConnection connection : connections.ofTenant(UUID.fromString(event.tenantId()))) {
      if (!subscribed(connection, topic.get())) {
        continue;
      }
      UUID user = connection.userData().get(NotificationStream.USER);
      Set<String> roles = connection.userData().get(NotificationStream.ROLES);
      if (LiveUpdates.visible(topic.get(), event.type(), event.data(), user, roles)) {
        if (message == null) {
          message = StreamMessages.liveUpdate(topic.get(), event.id(), event.type(), event.data());
        }
        connections.send(connection, message);
      }
    }
    return Uni.createFrom().voidItem();
  }

  /**
   * Most events interest no socket: the type and tenant in the record's headers tell, before the
   * event is decoded.
   */
  private boolean nobodySubscribed(ConsumerRecord<String, byte[]> record) {
    String type = CloudEventsKafka.peek(record, "type");
    String tenant = CloudEventsKafka.peek(record, CloudEventsKafka.TENANT_EXTENSION);
    if (type == null || tenant == null) {
      return false; // not binary mode: decode to know
    }
    Optional<String> topic = LiveUpdates.topicOf(type);
    if (topic.isEmpty()) {
      return true;
    }
    UUID tenantId;
    try {
      tenantId = UUID.fromString(tenant);
    } catch (IllegalArgumentException e) {
      return true; // platform-scoped (or not a tenant): never a live update
    }
    for (WebSocketConnection connection : connections.ofTenant(tenantId)) {
      if (subscribed(connection, topic.get())) {
        return false;
      }
    }
    return true;
  }

  private static boolean subscribed(WebSocketConnection connection, String topic) {
    Set<String> subscribed = connection.userData().get(NotificationStream.SUBSCRIPTIONS);
    return subscribed != null && subscribed.contains(topic);
  }
}
