package com.securebase.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securebase.catalog.EventCatalog;
import com.securebase.events.CloudEventsKafka;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/**
 * The batch form of the idempotent consumer on a real Postgres: each event of a poll has its effect
 * once, under its own tenant, and a failure takes the whole batch back, recorded ids included.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "messaging"))
class IdempotentBatchTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String TYPE = "securebase.support.ticket.created";
  private static final DomainEvents EVENTS = new DomainEvents("support");

  @Inject IdempotentConsumer idempotent;

  private static EventEnvelope event(UUID tenant) {
    return EVENTS.create(TYPE, tenant.toString(), null, EventCatalog.load().example(TYPE));
  }

  private static List<ConsumerRecord<String, byte[]>> poll(EventEnvelope... events) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (EventEnvelope e : events) {
      ProducerRecord<String, byte[]> sent = CloudEventsKafka.toRecord(e);
      records.add(
          new ConsumerRecord<>(
              sent.topic(),
              0,
              records.size(),
              0L,
              TimestampType.CREATE_TIME,
              -1,
              -1,
              sent.key(),
              sent.value(),
              sent.headers(),
              Optional.empty()));
    }
    return records;
  }

  /** Writes a row for the event's tenant, which row-level security only allows in its scope. */
  private static Uni<Void> logIt(SqlConnection c, EventEnvelope e) {
    return c.preparedQuery("insert into effect_log (tenant_id, event_id) values ($1, $2)")
        .execute(Tuple.of(UUID.fromString(e.tenantId()), e.id()))
        .replaceWithVoid();
  }

  private static long logged(EventEnvelope e) {
    return TestDatabase.count("select count(*) from effect_log where event_id = ?", e.id());
  }

  @Test
  void eachNewEventOfAPollHasItsEffectOnceUnderItsOwnTenant() {
    EventEnvelope earlier = event(UUID.randomUUID());
    assertThat(CloudEventsKafka.fromRecord(poll(earlier).get(0)).id()).isEqualTo(earlier.id());
    assertThat(
            idempotent
                .processBatch("batch-test", poll(earlier), IdempotentBatchTest::logIt)
                .await()
                .atMost(WAIT))
        .isEqualTo(1);

    EventEnvelope a = event(UUID.randomUUID());
    EventEnvelope b = event(UUID.randomUUID());
    // a twice in the same poll, and one processed by an earlier poll.
    int applied =
        idempotent
            .processBatch("batch-test", poll(a, b, a, earlier), IdempotentBatchTest::logIt)
            .await()
            .atMost(WAIT);

    assertThat(applied).isEqualTo(2);
    assertThat(logged(a)).isEqualTo(1);
    assertThat(logged(b)).isEqualTo(1);
    assertThat(logged(earlier)).isEqualTo(1);
  }

  @Test
  void aFailedEffectRollsTheWholeBatchBackForTheRetry() {
    UUID tenant = UUID.randomUUID();
    EventEnvelope first = event(tenant);
    EventEnvelope second = event(tenant);
    UUID victim = UUID.randomUUID();

    // The second effect writes another tenant's row: refused by row-level security.
    assertThatThrownBy(
            () ->
                idempotent
                    .processBatch(
                        "batch-test",
                        poll(first, second),
                        (c, e) ->
                            e.id().equals(second.id())
                                ? c.preparedQuery(
                                        "insert into effect_log (tenant_id, event_id) values ($1, $2)")
                                    .execute(Tuple.of(victim, e.id()))
                                    .replaceWithVoid()
                                : logIt(c, e))
                    .await()
                    .atMost(WAIT))
        .hasMessageContaining("row-level security");
    assertThat(logged(first)).isZero();
    assertThat(
            TestDatabase.count(
                "select count(*) from processed_event where event_id = ?", first.id()))
        .isZero();

    // The retry applies both.
    assertThat(
            idempotent
                .processBatch("batch-test", poll(first, second), IdempotentBatchTest::logIt)
                .await()
                .atMost(WAIT))
        .isEqualTo(2);
    assertThat(logged(first)).isEqualTo(1);
    assertThat(logged(second)).isEqualTo(1);
  }
}
