package com.securebase.messaging;

import com.securebase.catalog.EventCatalog;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.tenancy.TenantTransactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
  private static final String INSERT_POSITIONAL =
      "insert into outbox_event (event_id, topic, tenant_id, event_type, source, subject,"
          + " occurred_at, data_schema, data)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8, cast(cast($9 as text) as json))";

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

  /**
   * Writes an event through a plain SQL client for work that runs its own transaction on the
   * reactive pool instead of a Hibernate session (batch workers). The caller must be inside that
   * transaction, and calls {@link #wakeRelay()} once it has committed.
   */
  public Uni<Void> append(SqlClient transaction, EventEnvelope event) {
    return transaction
        .preparedQuery(INSERT_POSITIONAL)
        .execute(
            Tuple.from(
                Arrays.asList(
                    UUID.fromString(event.id()),
                    EventCatalog.load().type(event.type()).topic(),
                    event.tenantId(),
                    event.type(),
                    event.source().toString(),
                    event.subject(),
                    event.time(),
                    event.dataSchema() == null ? null : event.dataSchema().toString(),
                    new String(EventJson.bytes(event.data()), StandardCharsets.UTF_8))))
        .replaceWithVoid();
  }

  /** Asks the relay to publish now (after a commit made outside a Hibernate transaction). */
  public void wakeRelay() {
    relay.wake();
  }

  public Uni<Void> append(List<EventEnvelope> events) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (EventEnvelope event : events) {
      chain = chain.chain(() -> append(event));
    }
    return chain;
  }
}
