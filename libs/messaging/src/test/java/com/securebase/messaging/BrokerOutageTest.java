package com.securebase.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.securebase.events.EventEnvelope;
import com.securebase.infra.LocalInfra;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stops the real broker while events are written; they must all arrive once it is back. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "messaging"))
class BrokerOutageTest {

  @Test
  void eventsWrittenDuringABrokerOutageArriveAfterIt() throws Exception {
    UUID tenant = UUID.randomUUID();
    LocalInfra infra = LocalInfra.shared();
    infra.kafka().stop();
    String eventId;
    try {
      eventId =
          given()
              .queryParam("tenant", tenant)
              .queryParam("name", "during-outage")
              .post("/widgets")
              .then()
              .statusCode(200)
              .extract()
              .asString();
      // The relay keeps trying and records why it cannot publish.
      OutboxTest.awaitTrue(
          () ->
              !TestDatabase.rows(
                      "select last_error from outbox_event where event_id = ?::uuid and published_at is null and attempts > 0",
                      eventId)
                  .isEmpty());
    } finally {
      infra.kafka().start();
    }
    try (BrokerEvents broker = BrokerEvents.on("securebase.support.events")) {
      List<EventEnvelope> events =
          broker.await(e -> e.id().equals(eventId), 1, Duration.ofSeconds(60));
      assertThat(events).hasSize(1);
    }
    OutboxTest.awaitTrue(
        () ->
            TestDatabase.count(
                    "select count(*) from outbox_event where event_id = ?::uuid and published_at is not null",
                    eventId)
                == 1);
  }
}
