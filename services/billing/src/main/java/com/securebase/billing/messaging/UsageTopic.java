package com.securebase.billing.messaging;

import com.securebase.billing.domain.UsageIntake;
import com.securebase.billing.domain.UsageRecord;
import com.securebase.events.CloudEventsKafka;
import com.securebase.events.EventEnvelope;
import com.securebase.events.MalformedEventException;
import com.securebase.messaging.IdempotentConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Usage from downstream producers on {@code securebase.billing.usage}: a polled batch is grouped by
 * tenant (the record key) and taken through the same intake as the API, so the topic is as
 * idempotent as the API (on the transaction id, not only the event id). A record the intake refuses
 * is logged and counted, never retried: retrying cannot make it valid.
 */
@ApplicationScoped
public class UsageTopic {
  private static final Logger LOG = Logger.getLogger(UsageTopic.class);

  @Inject UsageIntake intake;
  @Inject Clock clock;
  @Inject MeterRegistry meters;

  @Incoming("usage-in")
  public Uni<Void> consume(ConsumerRecords<String, byte[]> batch) {
    Instant now = clock.instant();
    Map<UUID, List<UsageRecord.Parsed>> byTenant = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : batch) {
      EventEnvelope event;
      try {
        event = CloudEventsKafka.fromRecord(record);
      } catch (MalformedEventException e) {
        LOG.errorf("Usage topic: skipped a malformed record: %s", e.getMessage());
        meters.counter("securebase.billing.usage.records", "outcome", "malformed").increment();
        continue;
      }
      if (!event.type().equals("securebase.billing.usage.recorded") || event.platformScoped()) {
        continue;
      }
      byTenant
          .computeIfAbsent(UUID.fromString(event.tenantId()), t -> new ArrayList<>())
          .add(UsageRecord.parse(UsageRecord.eventShape(event.data()), now));
    }
    return IdempotentConsumer.untilDone(
        Multi.createFrom()
            .iterable(byTenant.entrySet())
            .onItem()
            .transformToUniAndConcatenate(
                e ->
                    intake
                        .ingest(e.getKey(), e.getValue())
                        .invoke(results -> logRefused(e.getKey(), results)))
            .collect()
            .last()
            .replaceWithVoid());
  }

  private static void logRefused(UUID tenant, List<UsageIntake.Result> results) {
    for (UsageIntake.Result r : results) {
      if (r.rejection() != null) {
        LOG.warnf(
            "Usage topic: tenant %s record %s refused (%s): %s %s",
            tenant,
            r.transactionId(),
            r.rejection().type(),
            r.rejection().field(),
            r.rejection().detail());
      }
    }
  }
}
