package com.securebase.support;

import static com.securebase.support.SupportFixtures.TICKETS;
import static com.securebase.support.SupportFixtures.comment;
import static com.securebase.support.SupportFixtures.create;
import static com.securebase.support.SupportFixtures.patch;
import static com.securebase.support.SupportFixtures.person;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.securebase.catalog.EventCatalog;
import com.securebase.events.EventEnvelope;
import com.securebase.support.SupportFixtures.Person;
import com.securebase.support.domain.Retention;
import com.securebase.support.domain.SlaSweep;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.MovableClock;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SLA clocks and retention with a movable clock (no sleeping), over the real Postgres and Kafka.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "support"))
class SlaAndRetentionTest {
  @Inject MovableClock clock;
  @Inject SlaSweep sweep;
  @Inject Retention retention;
  @Inject io.vertx.core.Vertx vertx;

  @BeforeEach
  void wallClock() {
    clock.reset();
  }

  /** Work on its own safe Vert.x context, as the scheduler runs it. */
  private <T> Uni<T> onContext(java.util.function.Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            e -> {
              io.vertx.core.Context ctx =
                  io.smallrye.common.vertx.VertxContext.createNewDuplicatedContext(
                      vertx.getOrCreateContext());
              io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setContextSafe(
                  ctx, true);
              ctx.runOnContext(v -> work.get().subscribe().with(e::complete, e::fail));
            });
  }

  private Uni<Integer> sweepOnContext() {
    return onContext(() -> sweep.run(clock.instant()));
  }

  @Test
  void aBreachIsEmittedOnceEvenWithTwoConcurrentSweeps() {
    UUID tenant = UUID.randomUUID();
    Person requester = person(tenant, "viewer");
    Person agent = person(tenant, "support");
    try (BrokerEvents broker = BrokerEvents.on("securebase.support.events")) {
      String late = create(requester, "Nobody answers", "critical");
      String answered = create(requester, "Answered in time", "critical");
      comment(requester, answered, "Any news?", "public").statusCode(201);
      given()
          .auth()
          .oauth2(requester.token())
          .get(TICKETS + "/" + answered)
          .then()
          .body("sla.state", equalTo("pending"));
      comment(agent, answered, "Looking into it", "public").statusCode(201);
      given()
          .auth()
          .oauth2(requester.token())
          .get(TICKETS + "/" + answered)
          .then()
          .body("sla.state", equalTo("met"))
          .body("sla.respondedAt", notNullValue());

      clock.advance(Duration.ofMinutes(61));
      given()
          .auth()
          .oauth2(requester.token())
          .get(TICKETS + "/" + late)
          .then()
          .body("sla.state", equalTo("breached"));
      // Sweeps are system-wide and other tests leave overdue tickets behind, so what this test
      // owns is checked: its tenant's rows and events, not the sweep's total.
      List<Integer> counts =
          Uni.join()
              .all(sweepOnContext(), sweepOnContext())
              .andFailFast()
              .await()
              .atMost(Duration.ofSeconds(30));
      assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isPositive();
      sweepOnContext().await().atMost(Duration.ofSeconds(30));
      assertThat(
              TestDatabase.rows(
                  "select id::text as id from ticket"
                      + " where tenant_id = ?::uuid and sla_breached_at is not null",
                  tenant.toString()))
          .extracting(row -> row.get("id"))
          .containsExactly(late);

      // A later event of the same tenant (the record key, so the same partition) marks the point
      // by which any second breach event would have arrived.
      String marker =
          comment(agent, answered, "Marker after the sweeps", "public")
              .statusCode(201)
              .extract()
              .path("id");
      assertThat(
              broker.await(
                  e -> marker.equals(e.data().path("commentId").asText()),
                  1,
                  Duration.ofSeconds(30)))
          .hasSize(1);
      List<EventEnvelope> breaches =
          broker.await(
              e ->
                  e.type().endsWith("ticket.sla_breached")
                      && e.tenantId().equals(tenant.toString()),
              1,
              Duration.ZERO);
      assertThat(breaches).hasSize(1);
      assertThat(breaches.get(0).subject()).isEqualTo(late);
      assertThat(breaches.get(0).data().path("slaTargetMinutes").asInt()).isEqualTo(60);
      assertThat(EventCatalog.load().violations(breaches.get(0).type(), breaches.get(0).data()))
          .isEmpty();
    }
  }

  @Test
  void closedTicketsArePurgedAfterRetentionWithAnAuditEntryEach() {
    UUID tenant = UUID.randomUUID();
    Person agent = person(tenant, "support");
    String old = create(agent, "Old and closed", "low");
    comment(agent, old, "done", "public").statusCode(201);
    for (String s : List.of("in_progress", "resolved", "closed")) {
      patch(agent, old, "{\"status\":\"" + s + "\"}", null).statusCode(200);
    }
    String open = create(agent, "Still open", "low");
    try (BrokerEvents broker = BrokerEvents.on("securebase.audit.events")) {
      clock.advance(Duration.ofDays(91));
      int purged =
          onContext(() -> retention.purge(clock.instant())).await().atMost(Duration.ofSeconds(30));
      assertThat(purged).isGreaterThanOrEqualTo(1);
      given().auth().oauth2(agent.token()).get(TICKETS + "/" + old).then().statusCode(404);
      given().auth().oauth2(agent.token()).get(TICKETS + "/" + open).then().statusCode(200);
      assertThat(
              TestDatabase.count(
                  "select count(*) from ticket_comment where ticket_id = ?::uuid", old))
          .isZero();
      List<EventEnvelope> audit =
          broker.await(
              e ->
                  old.equals(e.subject())
                      && e.data().path("action").asText().equals("ticket.purged"),
              1,
              Duration.ofSeconds(30));
      assertThat(audit).hasSize(1);
      assertThat(audit.get(0).data().path("actor").path("type").asText()).isEqualTo("system");
    }
  }
}
