package com.securebase.messaging;

import com.securebase.events.CloudEventsKafka;
import com.securebase.events.EventEnvelope;
import com.securebase.events.MalformedEventException;
import com.securebase.tenancy.TenantConnections;
import com.securebase.tenancy.TenantTransactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Applies a consumer's effect at most once per event id: the processed id and the effect commit in
 * one transaction, so a redelivered event (Kafka is at-least-once, and the relay may publish twice)
 * is skipped, and a failed effect leaves the id unrecorded for the retry. The transaction is scoped
 * to the event's tenant, so the effect runs under row-level security.
 */
@ApplicationScoped
public class IdempotentConsumer {
  private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);
  private static final String RECORD =
      "insert into processed_event (consumer, event_id) values (:consumer, :id) on conflict do nothing";

  @Inject TenantTransactions transactions;
  @Inject TenantConnections connections;
  @Inject MeterRegistry meters;

  /**
   * @param consumer a stable name for this consumer (the same event may matter to several)
   * @return true if the effect ran, false if the event had been processed before
   */
  public Uni<Boolean> process(
      String consumer, EventEnvelope event, Function<Mutiny.Session, Uni<Void>> effect) {
    Function<Mutiny.Session, Uni<Boolean>> once =
        session ->
            session
                .createNativeQuery(RECORD)
                .setParameter("consumer", consumer)
                .setParameter("id", event.id())
                .executeUpdate()
                .chain(
                    inserted ->
                        inserted == 0
                            ? Uni.createFrom().item(false)
                            : effect.apply(session).replaceWith(true));
    Uni<Boolean> result =
        event.platformScoped()
            ? transactions.asSystem(once) // e.g. the tier matrix: no tenant to scope to
            : transactions.inTenant(UUID.fromString(event.tenantId()), once);
    return result.invoke(
        applied -> counter(consumer, applied ? "applied" : "duplicate").increment());
  }

  private Counter counter(String consumer, String outcome) {
    return meters.counter("securebase.consumer.events", "consumer", consumer, "outcome", outcome);
  }

  private static final String RECORD_MANY =
      "insert into processed_event (consumer, event_id) select $1, unnest($2::text[])"
          + " on conflict do nothing returning event_id";

  /**
   * Processes a polled batch in one transaction on the plain reactive client: the whole batch's ids
   * are recorded in one statement, and only the events it recorded for the first time have their
   * effect, each under its own tenant's row-level security (the connection is re-scoped before
   * every effect) and in the order polled. The batch pays for one commit; a failure rolls it all
   * back, recorded ids included, for the retry. Malformed records are skipped as in {@link
   * #process(String, ConsumerRecord, BiFunction)}.
   *
   * @return how many events had their effect applied
   */
  public Uni<Integer> processBatch(
      String consumer,
      Iterable<ConsumerRecord<String, byte[]>> records,
      BiFunction<SqlConnection, EventEnvelope, Uni<Void>> effect) {
    List<EventEnvelope> events = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      EventEnvelope event = decode(consumer, record);
      if (event != null) {
        events.add(event);
      }
    }
    if (events.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    String[] ids = events.stream().map(EventEnvelope::id).toArray(String[]::new);
    return connections
        .asSystem(
            c ->
                c.preparedQuery(RECORD_MANY)
                    .execute(Tuple.of(consumer, ids))
                    .chain(
                        recorded -> {
                          Set<String> fresh = new HashSet<>();
                          recorded.forEach(row -> fresh.add(row.getString(0)));
                          return Multi.createFrom()
                              .iterable(events)
                              .filter(event -> fresh.remove(event.id())) // a repeat in the poll too
                              .onItem()
                              .transformToUniAndConcatenate(
                                  event ->
                                      TenantConnections.rescope(
                                              c,
                                              event.platformScoped()
                                                  ? null
                                                  : UUID.fromString(event.tenantId()))
                                          .chain(() -> effect.apply(c, event))
                                          .replaceWith(event)) // counted: a null item is not
                              .collect()
                              .with(Collectors.counting());
                        }))
        .map(
            applied -> {
              counter(consumer, "applied").increment(applied);
              counter(consumer, "duplicate").increment(events.size() - applied);
              return applied.intValue();
            });
  }

  /**
   * A consumer's work retried with backoff (200 ms doubling to 30 s) until it succeeds: an effect
   * that failed (database or broker away) must hold the partition, never skip the record. Poison
   * records never get here; decoding skips them.
   */
  public static Uni<Void> untilDone(Uni<?> work) {
    return work.onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30))
        .indefinitely()
        .replaceWithVoid();
  }

  /**
   * Decodes a Kafka record and processes it once. A record that is not a valid SecureBase
   * CloudEvent is logged and skipped (returns false): retrying a poison message cannot succeed and
   * would stall the partition.
   */
  public Uni<Boolean> process(
      String consumer,
      ConsumerRecord<String, byte[]> record,
      BiFunction<Mutiny.Session, EventEnvelope, Uni<Void>> effect) {
    EventEnvelope event = decode(consumer, record);
    if (event == null) {
      return Uni.createFrom().item(false);
    }
    return process(consumer, event, session -> effect.apply(session, event));
  }

  /** The record's event, or null (logged and counted) when it is not a valid CloudEvent. */
  private EventEnvelope decode(String consumer, ConsumerRecord<String, byte[]> record) {
    try {
      return CloudEventsKafka.fromRecord(record);
    } catch (MalformedEventException e) {
      LOG.errorf("%s skipped a malformed record: %s", consumer, e.getMessage());
      counter(consumer, "malformed").increment();
      return null;
    }
  }
}
