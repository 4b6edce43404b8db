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
        .execute(Tuple.from(values(event)))
        .replaceWithVoid();
  }

  /**
   * The event's insert as a part of one statement that begins with {@code
   * TenantConnections.STATEMENT_SCOPE} ({@code , outbox_insert as (...)}), its parameters numbered
   * from {@code first}: the change and its event then commit as that one statement.
   */
  public static String statementPart(int first) {
    int p = first;
    return ", outbox_insert as (insert into outbox_event (event_id, topic, tenant_id, event_type,"
        + " source, subject, occurred_at, data_schema, data) select"
        + String.format(
            " $%d::uuid, $%d::text, $%d::text, $%d::text, $%d::text, $%d::text, $%d::timestamptz,"
                + " $%d::text, cast($%d::text as json) from scope)",
            p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8);
  }

  /** The parameters of {@link #statementPart} (and of a single append), in their order. */
  public static List<Object> values(EventEnvelope event) {
    return Arrays.asList(
        UUID.fromString(event.id()),
        EventCatalog.load().type(event.type()).topic(),
        event.tenantId(),
        event.type(),
        event.source().toString(),
        event.subject(),
        event.time(),
        event.dataSchema() == null ? null : event.dataSchema().toString(),
        new String(EventJson.bytes(event.data()), StandardCharsets.UTF_8));
  }

  private static final String INSERT_MANY =
      "insert into outbox_event (event_id, topic, tenant_id, event_type, source, subject,"
          + " occurred_at, data_schema, data) select * from unnest($1::uuid[], $2::text[],"
          + " $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[],"
          + " $9::text[]::json[])";

  /**
   * Writes many events through a plain SQL client in one statement (a batch job's events), inside
   * the caller's transaction, as {@link #append(SqlClient, EventEnvelope)} does for one.
   */
  public Uni<Void> append(SqlClient transaction, List<EventEnvelope> events) {
    if (events.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    int n = events.size();
    UUID[] ids = new UUID[n];
    String[] topics = new String[n];
    String[] tenants = new String[n];
    String[] types = new String[n];
    String[] sources = new String[n];
    String[] subjects = new String[n];
    java.time.OffsetDateTime[] times = new java.time.OffsetDateTime[n];
    String[] schemas = new String[n];
    String[] data = new String[n];
    for (int i = 0; i < n; i++) {
      EventEnvelope e = events.get(i);
      ids[i] = UUID.fromString(e.id());
      topics[i] = EventCatalog.load().type(e.type()).topic();
      tenants[i] = e.tenantId();
      types[i] = e.type();
      sources[i] = e.source().toString();
      subjects[i] = e.subject();
      times[i] = e.time();
      schemas[i] = e.dataSchema() == null ? null : e.dataSchema().toString();
      data[i] = new String(EventJson.bytes(e.data()), StandardCharsets.UTF_8);
    }
    return transaction
        .preparedQuery(INSERT_MANY)
        .execute(
            Tuple.from(
                new Object[] {
                  ids, topics, tenants, types, sources, subjects, times, schemas, data
                }))
        .replaceWithVoid();
  }

  /** Asks the relay to publish now (after a commit made outside a Hibernate transaction). */
  public void wakeRelay() {
    relay.wake();
  }
}
