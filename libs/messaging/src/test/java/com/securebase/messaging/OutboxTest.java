package com.securebase.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "messaging"))
class OutboxTest {
  private static final String TOPIC = "securebase.support.events";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject OutboxRelayService relayService;
  @Inject Pool pool;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrap;

  @AfterEach
  void relayRunsAgain() {
    relayService.start();
  }

  private static String create(UUID tenant, String name) {
    return given()
        .queryParam("tenant", tenant)
        .queryParam("name", name)
        .post("/widgets")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  private static long pending(String eventId) {
    return TestDatabase.count(
        "select count(*) from outbox_event where event_id = ?::uuid and published_at is null",
        eventId);
  }

  @Test
  void stateAndEventCommitTogetherAndTheEventReachesTheBroker() {
    UUID tenant = UUID.randomUUID();
    try (BrokerEvents broker = BrokerEvents.on(TOPIC)) {
      String eventId = create(tenant, "first");
      assertThat(TestDatabase.count("select count(*) from widget where tenant_id = ?", tenant))
          .isEqualTo(1);
      List<EventEnvelope> events = broker.await(e -> e.id().equals(eventId), 1, WAIT);
      assertThat(events).hasSize(1);
      EventEnvelope event = events.getFirst();
      assertThat(event.type()).isEqualTo(WidgetResource.TYPE);
      assertThat(event.tenantId()).isEqualTo(tenant.toString());
      assertThat(event.data().get("subject").asText()).isEqualTo("first");
      awaitTrue(() -> pending(eventId) == 0);
      assertThat(
              TestDatabase.count(
                  "select count(*) from outbox_event where event_id = ?::uuid", eventId))
          .isEqualTo(1);
    }
  }

  @Test
  void aFailedTransactionLeavesNeitherStateNorEvent() {
    UUID tenant = UUID.randomUUID();
    given()
        .queryParam("tenant", tenant)
        .queryParam("name", "doomed")
        .queryParam("fail", true)
        .post("/widgets")
        .then()
        .statusCode(500);
    assertThat(TestDatabase.count("select count(*) from widget where tenant_id = ?", tenant))
        .isZero();
    assertThat(
            TestDatabase.count(
                "select count(*) from outbox_event where tenant_id = ?", tenant.toString()))
        .isZero();
  }

  @Test
  void eventsCommittedWhileNoRelayRunsArePublishedWhenOneStarts() {
    UUID tenant = UUID.randomUUID();
    relayService.stop(); // the process died right after committing
    try (BrokerEvents broker = BrokerEvents.on(TOPIC)) {
      List<String> ids = List.of(create(tenant, "a"), create(tenant, "b"), create(tenant, "c"));
      assertThat(broker.settle(e -> ids.contains(e.id()), Duration.ofSeconds(2))).isEmpty();
      assertThat(
              TestDatabase.count(
                  "select count(*) from outbox_event where tenant_id = ? and published_at is null",
                  tenant.toString()))
          .isEqualTo(3);

      relayService.start(); // the restarted process
      List<EventEnvelope> events = broker.await(e -> ids.contains(e.id()), 3, WAIT);
      assertThat(events).extracting(EventEnvelope::id).containsExactlyElementsOf(ids);
    }
  }

  @Test
  void aCrashAfterPublishingBeforeMarkingRepublishesAndTheConsumerAppliesItOnce() {
    UUID tenant = UUID.randomUUID();
    relayService.stop();
    String eventId = create(tenant, "twice");
    Producer<String, byte[]> producer = RelayProducers.create(bootstrap, "crash-test");
    try (BrokerEvents broker = BrokerEvents.on(TOPIC)) {
      OutboxRelay crashing =
          new OutboxRelay(
              pool,
              producer,
              relayService.settings(),
              new SimpleMeterRegistry(),
              seqs -> {
                throw new IllegalStateException("crash between publish and mark");
              });
      assertThatThrownBy(crashing::relayBatch)
          .hasMessageContaining("crash between publish and mark");
      assertThat(broker.await(e -> e.id().equals(eventId), 1, WAIT)).hasSize(1);
      assertThat(pending(eventId)).as("not marked: the crash came first").isEqualTo(1);

      OutboxRelay recovered =
          new OutboxRelay(pool, producer, relayService.settings(), new SimpleMeterRegistry());
      assertThat(recovered.relayBatch()).isGreaterThanOrEqualTo(1);
      assertThat(pending(eventId)).isZero();
      assertThat(broker.await(e -> e.id().equals(eventId), 2, WAIT))
          .as("delivered twice")
          .hasSize(2);
    } finally {
      producer.close();
    }
    // A later event of the same tenant (same partition) proves the consumer got past both copies.
    relayService.start();
    String sentinel = create(tenant, "sentinel");
    awaitTrue(() -> pending(sentinel) == 0); // relayed after its commit woke the relay
    awaitTrue(
        () ->
            TestDatabase.count("select count(*) from effect_log where event_id = ?", sentinel)
                == 1);
    assertThat(TestDatabase.count("select count(*) from effect_log where event_id = ?", eventId))
        .isEqualTo(1);
    assertThat(
            TestDatabase.count("select count(*) from processed_event where event_id = ?", eventId))
        .isEqualTo(1);
  }

  @Test
  void oneTenantsEventsArriveInCommitOrder() {
    UUID tenant = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    List<String> ids = new ArrayList<>();
    try (BrokerEvents broker = BrokerEvents.on(TOPIC)) {
      for (int i = 0; i < 40; i++) {
        ids.add(create(tenant, "n" + i));
        create(other, "o" + i);
      }
      Set<String> wanted = Set.copyOf(ids);
      List<EventEnvelope> events = broker.await(e -> wanted.contains(e.id()), ids.size(), WAIT);
      assertThat(events).extracting(EventEnvelope::id).containsExactlyElementsOf(ids);
    }
  }

  @Test
  void anEventKafkaWillNeverTakeIsParkedAndDoesNotBlockTheOnesBehindIt() {
    UUID tenant = UUID.randomUUID();
    relayService.stop();
    String huge = "{\"blob\":\"" + "x".repeat(2_000_000) + "\"}";
    TestDatabase.execute(
        "insert into outbox_event (event_id, topic, tenant_id, event_type, source, occurred_at, data)"
            + " values (?::uuid, ?, ?, ?, '/securebase/support', now(), ?::json)",
        UUID.randomUUID().toString(),
        TOPIC,
        tenant.toString(),
        WidgetResource.TYPE,
        huge);
    String after = create(tenant, "behind-the-huge-one");
    relayService.start();
    try (BrokerEvents broker = BrokerEvents.on(TOPIC)) {
      assertThat(broker.await(e -> e.id().equals(after), 1, WAIT)).hasSize(1);
    }
    awaitTrue(
        () ->
            TestDatabase.count(
                    "select count(*) from outbox_event where tenant_id = ? and parked_at is not null"
                        + " and last_error like '%RecordTooLarge%'",
                    tenant.toString())
                == 1);
  }

  @Test
  void appendingOutsideATransactionIsRefused() {
    given()
        .get("/widgets/outside-transaction")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("must run inside the transaction"));
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
