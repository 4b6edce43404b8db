package com.securebase.messaging;

import com.securebase.catalog.EventCatalog;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Writes events to the outbox table inside the caller's current reactive transaction, so the state
 * change and its events commit (or roll back) together. Appending outside a transaction is refused:
 * it would silently lose that guarantee. Once the transaction commits, the service's relay is
 * woken.
 */
@ApplicationScoped
public class Outbox {
  @Inject OutboxRelayService relay;

  // The text cast matters: a parameter typed json directly would be encoded as a JSON string.
  private static final String INSERT =
      "insert into outbox_event (event_id, topic, tenant_id, event_type, source, subject,"
          + " occurred_at, data_schema, data)"
          + " values (:id, :topic, :tenant, :type, :source, :subject, :time, :schema, cast(cast(:data as text) as json))";

  public Uni<Void> append(EventEnvelope event) {
    return Panache.currentTransaction()
        .chain(
            tx -> {
              if (tx == null) {
                return Uni.createFrom()
                    .failure(
                        new IllegalStateException(
                            "Outbox.append must run inside the transaction of the state change"));
              }
              return Panache.getSession()
                  .chain(
                      session ->
                          session
                              .createNativeQuery(INSERT)
                              .setParameter("id", UUID.fromString(event.id()))
                              .setParameter("topic", EventCatalog.load().type(event.type()).topic())
                              .setParameter("tenant", event.tenantId())
                              .setParameter("type", event.type())
                              .setParameter("source", event.source().toString())
                              .setParameter("subject", event.subject())
                              .setParameter("time", event.time())
                              .setParameter(
                                  "schema",
                                  event.dataSchema() == null ? null : event.dataSchema().toString())
                              .setParameter(
                                  "data",
                                  new String(EventJson.bytes(event.data()), StandardCharsets.UTF_8))
                              .executeUpdate()
                              .invoke(() -> TenantTransactions.afterCommit(relay::wake)));
            })
        .replaceWithVoid();
  }

  public Uni<Void> append(List<EventEnvelope> events) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (EventEnvelope event : events) {
      chain = chain.chain(() -> append(event));
    }
    return chain;
  }
}
