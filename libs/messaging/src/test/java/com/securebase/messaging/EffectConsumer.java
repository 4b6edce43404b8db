package com.securebase.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A real Kafka consumer whose effect (a row per event) must happen once per event id. */
@ApplicationScoped
public class EffectConsumer {
  @Inject IdempotentConsumer idempotent;

  @Incoming("support-events")
  public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
    return idempotent
        .process(
            "effect-test",
            record,
            (session, event) ->
                session
                    .createNativeQuery(
                        "insert into effect_log (tenant_id, event_id) values (:tenant, :id)")
                    .setParameter("tenant", UUID.fromString(event.tenantId()))
                    .setParameter("id", event.id())
                    .executeUpdate()
                    .replaceWithVoid())
        .replaceWithVoid();
  }
}
