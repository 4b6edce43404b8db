package com.securebase.webhooks;

import static com.securebase.webhooks.WebhookFixtures.ENDPOINTS;
import static com.securebase.webhooks.WebhookFixtures.TICKET_CREATED;
import static com.securebase.webhooks.WebhookFixtures.attempts;
import static com.securebase.webhooks.WebhookFixtures.awaitDelivery;
import static com.securebase.webhooks.WebhookFixtures.delivery;
import static com.securebase.webhooks.WebhookFixtures.endpoint;
import static com.securebase.webhooks.WebhookFixtures.message;
import static com.securebase.webhooks.WebhookFixtures.owner;
import static com.securebase.webhooks.WebhookFixtures.poll;
import static com.securebase.webhooks.WebhookFixtures.sendTest;
import static com.securebase.webhooks.WebhookFixtures.ticketCreated;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.catalog.EventCatalog;
import com.securebase.events.EventEnvelope;
import com.securebase.tenancy.TenantConnections;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.MovableClock;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import com.securebase.webhooks.LocalReceiver.Received;
import com.securebase.webhooks.LocalReceiver.Reply;
import com.securebase.webhooks.messaging.DeliveryDispatcher;
import com.securebase.webhooks.persistence.DeliveryQueue;
import com.securebase.webhooks.persistence.Messages;
import com.standardwebhooks.Webhook;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery end to end over the real broker, Postgres and a real HTTP receiver on loopback (allowed
 * by the test allowlist): signatures the official Standard Webhooks library verifies, the retry
 * schedule driven by a movable clock, Retry-After, 410, dead letters, recover, resend, rotation,
 * the SSRF guard at connect time, a dispatcher restart and a replica dying mid-attempt.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "webhooks"))
class WebhookDeliveryTest {
  private static final String ENDPOINT_EVENTS = "securebase.webhooks.events";
  private static final String ENDPOINT_DISABLED = "securebase.webhooks.endpoint.disabled";
  static LocalReceiver receiver;

  @Inject MovableClock clock;
  @Inject DeliveryDispatcher dispatcher;
  @Inject Pool pool;
  @Inject TenantConnections connections;
  @Inject MeterRegistry meters;

  @BeforeAll
  static void startReceiver() throws Exception {
    receiver = new LocalReceiver();
  }

  @AfterAll
  static void stopReceiver() {
    receiver.close();
  }

  private static Duration scheduledWait(Map<String, Object> d) {
    return Duration.ofMillis(((Number) d.get("wait_ms")).longValue());
  }

  private static void assertWaitAbout(Map<String, Object> d, Duration planned) {
    Duration wait = scheduledWait(d);
    assertThat(wait.toMillis())
        .as("wait after attempt %s", d.get("attempts"))
        .isBetween((long) (planned.toMillis() * 0.9) - 1, (long) (planned.toMillis() * 1.1) + 1);
  }

  /** Each test starts at the real time, so the library's timestamp tolerance holds. */
  @BeforeEach
  void realTime() {
    clock.reset();
  }

  private void advanceAndWake(Duration by) {
    clock.advance(by);
    dispatcher.wake();
  }

  @Test
  void deliversSubscribedEventsSignedSoTheOfficialLibraryVerifies() throws Exception {
    UUID tenant = UUID.randomUUID();
    JsonPath subscribed = endpoint(tenant, receiver.url("signed"), "[\"" + TICKET_CREATED + "\"]");
    endpoint(tenant, receiver.url("other-type"), "[\"securebase.billing.invoice.paid\"]");
    UUID otherTenant = UUID.randomUUID();
    endpoint(otherTenant, receiver.url("other-tenant"), null);

    EventEnvelope event = ticketCreated(tenant);
    BrokerEvents.publish("securebase.support.events", event);
    Received got = receiver.await("signed", 1).get(0);

    assertThatCode(
            () -> new Webhook(subscribed.getString("secret")).verify(got.body(), got.headers()))
        .doesNotThrowAnyException();
    assertThat(got.header("webhook-id")).startsWith("msg_");
    assertThat(got.header("content-type")).startsWith("application/json");
    JsonPath body = new JsonPath(got.body());
    assertThat(body.getString("id")).isEqualTo(event.id());
    assertThat(body.getString("type")).isEqualTo(TICKET_CREATED);
    assertThat(body.getString("data.tenantId")).isEqualTo(tenant.toString());

    // The same event again (Kafka is at-least-once) is not delivered twice. A later event of the
    // tenant shares its key, hence its partition: once that one is delivered the repeat has been
    // consumed, and once no delivery of the tenant is pending anything it caused was sent too.
    BrokerEvents.publish("securebase.support.events", event);
    EventEnvelope later = ticketCreated(tenant);
    BrokerEvents.publish("securebase.support.events", later);
    receiver.await("signed", 2);
    poll(
        () ->
            TestDatabase.count(
                "select count(*) from webhooks.delivery where tenant_id = ?::uuid"
                    + " and status = 'pending'",
                tenant.toString()),
        pending -> pending == 0,
        "Pending deliveries of the tenant");
    assertThat(receiver.received("signed"))
        .extracting(r -> new JsonPath(r.body()).getString("id"))
        .containsExactlyInAnyOrder(event.id(), later.id());
    assertThat(receiver.received("other-type")).isEmpty();
    assertThat(receiver.received("other-tenant")).isEmpty();

    JsonPath messages =
        given()
            .auth()
            .oauth2(owner(tenant))
            .get("/v1/webhooks/messages?eventType=" + TICKET_CREATED)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(messages.getList("items.eventId", String.class))
        .containsExactlyInAnyOrder(event.id(), later.id());
    String messageId = messages.getString("items.find { it.eventId == '" + event.id() + "' }.id");
    awaitDelivery(messageId, d -> "succeeded".equals(d.get("status")));
    JsonPath one = message(tenant, messageId);
    assertThat(one.getString("webhookId")).isEqualTo(got.header("webhook-id"));
    assertThat(one.getString("deliveries[0].status")).isEqualTo("succeeded");
    List<Map<String, Object>> attempts =
        given()
            .auth()
            .oauth2(owner(tenant))
            .get("/v1/webhooks/messages/" + messageId + "/attempts")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("");
    assertThat(attempts).hasSize(1);
    assertThat(attempts.get(0))
        .containsEntry("outcome", "succeeded")
        .containsEntry("statusCode", 200);
  }

  @Test
  void retriesOnTheScheduleThenDeadLettersAndRecoversWithTheSameWebhookId() throws Exception {
    UUID tenant = UUID.randomUUID();
    receiver.always("flaky", new Reply(500, "boom", Map.of(), Duration.ZERO));
    String endpointId = endpoint(tenant, receiver.url("flaky"), null).getString("endpoint.id");
    try (BrokerEvents deadLetters = BrokerEvents.on("securebase.webhooks.dead-letter")) {
      String messageId = sendTest(tenant, endpointId);

      Map<String, Object> d = awaitDelivery(messageId, x -> attempts(x) == 1);
      assertWaitAbout(d, Duration.ofSeconds(5));
      Duration[] schedule = {
        Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5)
      };
      Duration previous = Duration.ofSeconds(5);
      for (int attempt = 2; attempt <= 5; attempt++) {
        advanceAndWake(previous.multipliedBy(11).dividedBy(10).plusSeconds(1));
        int expected = attempt;
        d = awaitDelivery(messageId, x -> attempts(x) == expected);
        assertThat(d.get("status")).isEqualTo("pending");
        assertWaitAbout(d, schedule[attempt - 2]);
        previous = schedule[attempt - 2];
      }
      advanceAndWake(previous.multipliedBy(11).dividedBy(10).plusSeconds(1));
      d = awaitDelivery(messageId, x -> "dead".equals(x.get("status")));
      assertThat(attempts(d)).isEqualTo(6);

      List<Received> tries = receiver.received("flaky");
      assertThat(tries).hasSize(6);
      assertThat(tries.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);

      EventEnvelope dead =
          deadLetters
              .await(
                  e -> e.data().path("messageId").asText().equals(messageId),
                  1,
                  Duration.ofSeconds(30))
              .get(0);
      assertThat(dead.type()).isEqualTo("securebase.webhooks.message.dead_lettered");
      assertThat(dead.data().path("attempts").asInt()).isEqualTo(6);
      assertThat(dead.data().path("lastStatusCode").asInt()).isEqualTo(500);
      assertThat(dead.data().path("webhookId").asText())
          .isEqualTo(tries.get(0).header("webhook-id"));

      JsonPath letters =
          given()
              .auth()
              .oauth2(owner(tenant))
              .get("/v1/webhooks/dead-letters?endpointId=" + endpointId)
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(letters.getList("items")).hasSize(1);
      assertThat(letters.getString("items[0].messageId")).isEqualTo(messageId);
      List<Map<String, Object>> logged =
          given()
              .auth()
              .oauth2(owner(tenant))
              .get("/v1/webhooks/messages/" + messageId + "/attempts")
              .then()
              .extract()
              .jsonPath()
              .getList("");
      assertThat(logged)
          .hasSize(6)
          .allSatisfy(a -> assertThat(a).containsEntry("responseExcerpt", "boom"));

      // The receiver is fixed: recover everything dead since an hour ago.
      receiver.always("flaky", Reply.of(204));
      given()
          .auth()
          .oauth2(owner(tenant))
          .contentType(ContentType.JSON)
          .body("{\"since\":\"" + Instant.now().minus(Duration.ofHours(1)) + "\"}")
          .post(ENDPOINTS + "/" + endpointId + "/recover")
          .then()
          .statusCode(202)
          .body("deliveries", org.hamcrest.Matchers.equalTo(1));
      awaitDelivery(messageId, x -> "succeeded".equals(x.get("status")));

      // And resend it once more: same webhook-id again.
      given()
          .auth()
          .oauth2(owner(tenant))
          .post("/v1/webhooks/messages/" + messageId + "/resend")
          .then()
          .statusCode(202)
          .body("deliveries", org.hamcrest.Matchers.equalTo(1));
      List<Received> all = receiver.await("flaky", 8);
      assertThat(all.stream().map(r -> r.header("webhook-id")).distinct()).hasSize(1);
    }
  }

  @Test
  void retryAfterLengthensTheWait() throws Exception {
    UUID tenant = UUID.randomUUID();
    receiver.queue("busy", new Reply(503, "", Map.of("Retry-After", "120"), Duration.ZERO));
    String endpointId = endpoint(tenant, receiver.url("busy"), null).getString("endpoint.id");
    String messageId = sendTest(tenant, endpointId);
    Map<String, Object> d = awaitDelivery(messageId, x -> attempts(x) == 1);
    assertThat(scheduledWait(d)).isEqualTo(Duration.ofSeconds(120));
    assertThat(d.get("last_status_code")).isEqualTo(503);
  }

  @Test
  void goneDisablesTheEndpointAndEmitsEndpointDisabled() throws Exception {
    UUID tenant = UUID.randomUUID();
    receiver.always("gone", Reply.of(410));
    String endpointId = endpoint(tenant, receiver.url("gone"), null).getString("endpoint.id");
    try (BrokerEvents endpointEvents = BrokerEvents.on(ENDPOINT_EVENTS)) {
      String messageId = sendTest(tenant, endpointId);
      Map<String, Object> d = awaitDelivery(messageId, x -> "dead".equals(x.get("status")));
      assertThat(attempts(d)).isEqualTo(1);
      assertThat(disabledEvent(endpointEvents, tenant, endpointId).path("disabledReason").asText())
          .isEqualTo("gone");
    }
    given()
        .auth()
        .oauth2(owner(tenant))
        .get(ENDPOINTS + "/" + endpointId)
        .then()
        .statusCode(200)
        .body("enabled", org.hamcrest.Matchers.equalTo(false))
        .body("disabledReason", org.hamcrest.Matchers.equalTo("gone"));
    // A disabled endpoint takes no test events until it is enabled again.
    WebhookFixtures.problem(
        given().auth().oauth2(owner(tenant)).post(ENDPOINTS + "/" + endpointId + "/test").then(),
        409,
        "endpoint-disabled");
  }

  @Test
  void anEndpointFailingForFiveDaysIsDisabled() throws Exception {
    UUID tenant = UUID.randomUUID();
    receiver.always("failing", Reply.of(500));
    String endpointId = endpoint(tenant, receiver.url("failing"), null).getString("endpoint.id");
    TestDatabase.execute(
        "update webhooks.endpoint set failing_since = now() - interval '5 days 1 hour'"
            + " where id = ?::uuid",
        endpointId);
    try (BrokerEvents endpointEvents = BrokerEvents.on(ENDPOINT_EVENTS)) {
      String messageId = sendTest(tenant, endpointId);
      awaitDelivery(messageId, x -> attempts(x) == 1);
      assertThat(
              TestDatabase.rows(
                      "select enabled, disabled_reason from webhooks.endpoint where id = ?::uuid",
                      endpointId)
                  .get(0))
          .containsEntry("enabled", false)
          .containsEntry("disabled_reason", "continuous_failure");
      JsonNode disabled = disabledEvent(endpointEvents, tenant, endpointId);
      assertThat(disabled.path("disabledReason").asText()).isEqualTo("continuous_failure");
      assertThat(disabled.path("url").asText()).isEqualTo(receiver.url("failing"));
    }
  }

  /**
   * The endpoint's one endpoint.disabled event as a downstream consumer reads it from the broker:
   * on the topic and with data the catalog gives the type, about the now disabled endpoint.
   *
   * @return its data
   */
  private static JsonNode disabledEvent(BrokerEvents events, UUID tenant, String endpointId) {
    List<EventEnvelope> seen =
        events.await(
            e -> e.type().equals(ENDPOINT_DISABLED) && endpointId.equals(e.subject()),
            1,
            Duration.ofSeconds(30));
    assertThat(seen).as("endpoint.disabled events of %s", endpointId).hasSize(1);
    EventEnvelope disabled = seen.get(0);
    EventCatalog catalog = EventCatalog.load();
    assertThat(catalog.type(ENDPOINT_DISABLED).topic()).isEqualTo(ENDPOINT_EVENTS);
    assertThat(catalog.violations(disabled.type(), disabled.data())).isEmpty();
    assertThat(disabled.source()).hasToString("/securebase/webhooks");
    assertThat(disabled.dataSchema())
        .hasToString("https://schemas.securebase.dev/events/webhooks/endpoint");
    assertThat(disabled.tenantId()).isEqualTo(tenant.toString());
    JsonNode data = disabled.data();
    assertThat(data.path("tenantId").asText()).isEqualTo(tenant.toString());
    assertThat(data.path("endpointId").asText()).isEqualTo(endpointId);
    assertThat(data.path("enabled").asBoolean(true)).isFalse();
    assertThat(data.path("version").asInt()).isEqualTo(2); // created, then disabled
    return data;
  }

  @Test
  void duringRotationBothSecretsSignForADay() throws Exception {
    UUID tenant = UUID.randomUUID();
    JsonPath created = endpoint(tenant, receiver.url("rotating"), null);
    String endpointId = created.getString("endpoint.id");
    String oldSecret = created.getString("secret");
    String newSecret =
        given()
            .auth()
            .oauth2(owner(tenant))
            .post(ENDPOINTS + "/" + endpointId + "/rotate-secret")
            .then()
            .statusCode(200)
            .extract()
            .path("secret");
    assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);

    sendTest(tenant, endpointId);
    Received got = receiver.await("rotating", 1).get(0);
    assertThat(got.header("webhook-signature").split(" ")).hasSize(2);
    for (String secret : List.of(oldSecret, newSecret)) {
      assertThatCode(() -> new Webhook(secret).verify(got.body(), got.headers()))
          .doesNotThrowAnyException();
    }

    advanceAndWake(Duration.ofHours(25));
    sendTest(tenant, endpointId);
    Received later = receiver.await("rotating", 2).get(1);
    assertThat(later.header("webhook-signature").split(" ")).hasSize(1);
  }

  @Test
  void theSsrfGuardRefusesPrivateAddressesAtConnectTime() throws Exception {
    UUID tenant = UUID.randomUUID();
    for (String url :
        List.of(
            "http://10.0.0.8/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/x")) {
      WebhookFixtures.problem(
          given()
              .auth()
              .oauth2(owner(tenant))
              .contentType(ContentType.JSON)
              .body("{\"url\":\"" + url + "\"}")
              .post(ENDPOINTS)
              .then(),
          400,
          "validation-failed");
    }
    // An address that passed creation (as a DNS name could, then resolve elsewhere) is checked
    // again on the resolved address when connecting.
    String endpointId = endpoint(tenant, receiver.url("never"), null).getString("endpoint.id");
    TestDatabase.execute(
        "update webhooks.endpoint set url = 'http://169.254.169.254/latest/meta-data'"
            + " where id = ?::uuid",
        endpointId);
    String messageId = sendTest(tenant, endpointId);
    awaitDelivery(messageId, x -> attempts(x) == 1);
    Map<String, Object> attempt =
        TestDatabase.rows(
                "select outcome, error from webhooks.attempt where message_id = ?::uuid", messageId)
            .get(0);
    assertThat(attempt.get("outcome")).isEqualTo("refused");
    assertThat((String) attempt.get("error")).contains("169.254.169.254");
  }

  @Test
  void aRestartAndAReplicaDyingMidAttemptLoseNothing() throws Exception {
    UUID tenant = UUID.randomUUID();
    receiver.queue("restart", Reply.of(500));
    String endpointId = endpoint(tenant, receiver.url("restart"), null).getString("endpoint.id");
    String retried = sendTest(tenant, endpointId);
    awaitDelivery(retried, x -> attempts(x) == 1);

    // Stopped with a retry scheduled; another message arrives while no dispatcher runs.
    dispatcher.stop();
    String whileDown = sendTest(tenant, endpointId);
    // A replica claims that one and dies before sending it: only its lease remains.
    List<DeliveryQueue.Claimed> claimed =
        new DeliveryQueue(pool).claim(clock.instant(), Set.of(), 10, 10, Duration.ofSeconds(60));
    assertThat(claimed).extracting(c -> c.messageId().toString()).contains(whileDown);

    dispatcher.start();
    advanceAndWake(Duration.ofSeconds(6));
    awaitDelivery(retried, x -> "succeeded".equals(x.get("status")));
    assertThat(delivery(whileDown).get("status")).isEqualTo("pending");
    advanceAndWake(Duration.ofSeconds(60));
    awaitDelivery(whileDown, x -> "succeeded".equals(x.get("status")));

    List<Received> got = receiver.received("restart");
    assertThat(got).hasSize(3);
    assertThat(got.get(0).header("webhook-id")).isEqualTo(got.get(1).header("webhook-id"));
  }

  @Test
  void deliveriesHandedToADispatcherThatDiesAreSentOnceTheirLeaseEnds() throws Exception {
    UUID tenant = UUID.randomUUID();
    endpoint(tenant, receiver.url("handed"), null);
    EventEnvelope event = ticketCreated(tenant);
    OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
    // What a replica's fan-out commits for its own dispatcher: the deliveries claimed already. The
    // replica dies (kill -9) before its dispatcher takes them: only their lease remains.
    List<DeliveryQueue.Claimed> handed =
        connections
            .inTenant(
                tenant,
                c ->
                    Messages.fanOut(
                        c,
                        tenant,
                        event.id(),
                        event.type(),
                        "{}",
                        now,
                        now.plus(dispatcher.lease())))
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(handed).hasSize(1);
    String messageId = handed.get(0).messageId().toString();

    // Nobody else takes them while the lease runs: no double send.
    advanceAndWake(Duration.ofSeconds(5));
    Thread.sleep(1_000);
    assertThat(receiver.received("handed")).isEmpty();
    assertThat(attempts(delivery(messageId))).isZero();

    advanceAndWake(dispatcher.lease());
    awaitDelivery(messageId, x -> "succeeded".equals(x.get("status")));
    assertThat(receiver.received("handed")).hasSize(1);
  }

  @Test
  void eventsFromTheBrokerAreHandedToThisReplicasDispatcherWhileItHasRoom() throws Exception {
    UUID tenant = UUID.randomUUID();
    endpoint(tenant, receiver.url("fresh"), null);
    // A stopped dispatcher takes nothing: the fan-out writes the delivery due now.
    dispatcher.stop();
    assertThat(dispatcher.takesHandOver(0)).isFalse();
    dispatcher.start();
    assertThat(dispatcher.takesHandOver(0)).isTrue();

    double before = handedOver();
    BrokerEvents.publish("securebase.support.events", ticketCreated(tenant));
    receiver.await("fresh", 1);
    assertThat(handedOver() - before).isEqualTo(1);
  }

  private double handedOver() {
    return meters
        .counter("securebase.webhooks.dispatcher.deliveries", "source", "handed-over")
        .count();
  }

  @Test
  void aSlowEndpointHoldsOnlyItsOwnShareOfDeliveries() throws Exception {
    UUID tenant = UUID.randomUUID();
    receiver.always("slow", new Reply(200, "", Map.of(), Duration.ofMillis(1500)));
    String slow = endpoint(tenant, receiver.url("slow"), null).getString("endpoint.id");
    String fast = endpoint(tenant, receiver.url("fast"), null).getString("endpoint.id");
    for (int i = 0; i < 40; i++) {
      sendTest(tenant, slow);
    }
    sendTest(tenant, fast);
    receiver.await("fast", 1);
    // The fast receiver was served while the slow one still had most of its backlog.
    assertThat(receiver.received("slow").size()).isLessThan(40);
    receiver.await("slow", 40);
    assertThat(receiver.maxConcurrent("slow")).isBetween(2, 16);
  }
}
