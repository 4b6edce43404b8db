package com.securebase.analytics.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.analytics.config.AnalyticsSettings;
import com.securebase.analytics.domain.EventPoints;
import com.securebase.analytics.domain.MetricPoint;
import com.securebase.analytics.persistence.BrandingStore;
import com.securebase.analytics.persistence.PointIntake;
import com.securebase.analytics.persistence.PointStore;
import com.securebase.events.CloudEventsKafka;
import com.securebase.events.EventEnvelope;
import com.securebase.events.MalformedEventException;
import com.securebase.messaging.IdempotentConsumer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Other services' events as points (EventPoints says which), once each: the event id is the point's
 * id and the consumer is idempotent, so a redelivery stores nothing twice. The gateway's tenant
 * events keep the branding PDF reports are headed with. A point older than the retention is passed
 * over (its partition is gone or about to go).
 */
@ApplicationScoped
public class DomainEventPoints {
  static final String CONSUMER = "analytics-points";
  private static final String TENANT_EVENT = "securebase.gateway.tenant.";

  @Inject IdempotentConsumer idempotent;
  @Inject PointIntake intake;
  @Inject AnalyticsSettings settings;
  @Inject AnalyticsEvents events;
  @Inject Clock clock;

  @Incoming("domain-events")
  public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
    return IdempotentConsumer.untilDone(
        intake
            .ensurePartitions(months(records))
            .chain(() -> idempotent.processBatch(CONSUMER, records, this::apply))
            .invoke(
                applied -> {
                  if (applied > 0) {
                    events.committed();
                  }
                }));
  }

  /**
   * The months the batch's points fall in, known before its transaction starts: a partition is
   * created in a short transaction of its own. Records of other types are passed over by their type
   * header, without decoding.
   */
  private Set<LocalDate> months(ConsumerRecords<String, byte[]> records) {
    List<MetricPoint> points = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      String type = CloudEventsKafka.peek(record, "type");
      if (type != null && !EventPoints.TYPES.contains(type)) {
        continue;
      }
      try {
        point(CloudEventsKafka.fromRecord(record)).ifPresent(points::add);
      } catch (MalformedEventException | IllegalArgumentException e) {
        // processBatch logs and skips it
      }
    }
    return PointStore.months(points);
  }

  private Optional<MetricPoint> point(EventEnvelope event) {
    if (event.platformScoped()) {
      return Optional.empty();
    }
    Instant oldest = settings.oldestKept(clock.instant());
    return EventPoints.of(event.id(), event.type(), event.data())
        .filter(p -> !p.timestamp().isBefore(oldest));
  }

  Uni<Void> apply(SqlConnection c, EventEnvelope event) {
    if (event.type().startsWith(TENANT_EVENT) && !event.platformScoped()) {
      JsonNode d = event.data();
      JsonNode brand = d.path("branding");
      String name = brand.path("displayName").asText("");
      return BrandingStore.upsert(
          c,
          UUID.fromString(event.tenantId()),
          name.isBlank() ? d.path("name").asText() : name,
          brand.path("primaryColor").isTextual() ? brand.path("primaryColor").asText() : null,
          d.path("version").asInt());
    }
    Optional<MetricPoint> point = point(event);
    if (point.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return intake
        .store(c, UUID.fromString(event.tenantId()), List.of(point.get()), clock.instant())
        .replaceWithVoid();
  }
}
