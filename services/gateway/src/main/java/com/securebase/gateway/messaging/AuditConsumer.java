package com.securebase.gateway.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventEnvelope;
import com.securebase.gateway.persistence.AuditEntries;
import com.securebase.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Stores every service's audit events (the gateway's own included: they come back through the
 * outbox and the topic like any other) in the append-only, hash-chained audit log. A database
 * outage is retried with backoff, never skipped: the partition waits rather than lose an entry.
 */
@ApplicationScoped
public class AuditConsumer {
  private static final Logger LOG = Logger.getLogger(AuditConsumer.class);
  static final String CONSUMER = "gateway-audit-log";

  /** Platform-level entries are chained under the platform tenant id (all zeros). */
  static final UUID PLATFORM_TENANT = new UUID(0, 0);

  @Inject IdempotentConsumer idempotent;
  @Inject AuditEntries entries;

  @Incoming("audit-events")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    return IdempotentConsumer.untilDone(
        idempotent.process(
            CONSUMER,
            record,
            (session, event) -> {
              if (!event.type().endsWith(".audit.recorded")) {
                LOG.warnf("Ignoring %s on the audit topic (event %s)", event.type(), event.id());
                return Uni.createFrom().voidItem();
              }
              return entries.append(session, entry(event));
            }));
  }

  static AuditEntries.NewEntry entry(EventEnvelope event) {
    JsonNode d = event.data();
    JsonNode actor = d.path("actor");
    JsonNode resource = d.path("resource");
    return new AuditEntries.NewEntry(
        event.platformScoped() ? PLATFORM_TENANT : UUID.fromString(event.tenantId()),
        event.id(),
        event.source().getPath().substring(event.source().getPath().lastIndexOf('/') + 1),
        OffsetDateTime.parse(d.path("occurredAt").asText()),
        actor.path("type").asText(),
        actor.path("id").asText(),
        text(actor.path("email")),
        d.path("action").asText(),
        resource.path("type").asText(),
        resource.path("id").asText(),
        d.path("outcome").asText(),
        text(d.path("sourceIp")),
        d.has("details") ? d.get("details").toString() : null);
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }
}
