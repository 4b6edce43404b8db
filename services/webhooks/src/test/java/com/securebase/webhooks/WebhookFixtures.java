package com.securebase.webhooks;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.testkit.TestDatabase;
import com.securebase.testkit.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

final class WebhookFixtures {
  private WebhookFixtures() {}

  static final String ENDPOINTS = "/v1/webhooks/endpoints";
  static final String TICKET_CREATED = "securebase.support.ticket.created";

  static String owner(UUID tenant) {
    return TestTokens.user(tenant, "owner");
  }

  static JsonPath endpoint(UUID tenant, String url, String eventTypesJson) {
    return given()
        .auth()
        .oauth2(owner(tenant))
        .contentType(ContentType.JSON)
        .body(
            "{\"url\":\""
                + url
                + "\",\"description\":\"test\""
                + (eventTypesJson == null ? "" : ",\"eventTypes\":" + eventTypesJson)
                + "}")
        .post(ENDPOINTS)
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }

  /** Sends a test event to the endpoint; returns the message id. */
  static String sendTest(UUID tenant, String endpointId) {
    return given()
        .auth()
        .oauth2(owner(tenant))
        .post(ENDPOINTS + "/" + endpointId + "/test")
        .then()
        .statusCode(202)
        .extract()
        .path("messageId");
  }

  static JsonPath message(UUID tenant, String messageId) {
    return given()
        .auth()
        .oauth2(owner(tenant))
        .get("/v1/webhooks/messages/" + messageId)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  static Map<String, Object> delivery(String messageId) {
    return TestDatabase.rows(
            "select status, attempts, last_status_code, cast(round(extract(epoch from"
                + " (next_attempt_at - last_attempt_at)) * 1000) as bigint) as wait_ms"
                + " from webhooks.delivery where message_id = ?::uuid",
            messageId)
        .get(0);
  }

  /** Polls the stored delivery until {@code done} holds (10 s at most). */
  static Map<String, Object> awaitDelivery(String messageId, Predicate<Map<String, Object>> done)
      throws InterruptedException {
    return poll(() -> delivery(messageId), done, "Delivery of " + messageId);
  }

  /** Reads until {@code done} holds (10 s at most); fails with the last value read. */
  static <T> T poll(Supplier<T> read, Predicate<T> done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      T value = read.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " still " + value);
      }
      Thread.sleep(50);
    }
  }

  static int attempts(Map<String, Object> d) {
    return ((Number) d.get("attempts")).intValue();
  }

  /**
   * A test event to the endpoint, turned into a dead letter once its first attempt is recorded (no
   * dispatcher holds it then, and none touches a dead delivery): a message whose state stays put.
   *
   * @return the message id
   */
  static String deadLetter(UUID tenant, String endpointId) throws InterruptedException {
    String messageId = sendTest(tenant, endpointId);
    awaitDelivery(messageId, d -> attempts(d) >= 1);
    TestDatabase.execute(
        "update webhooks.delivery set status = 'dead', next_attempt_at = null,"
            + " dead_lettered_at = now() where message_id = ?::uuid",
        messageId);
    return messageId;
  }

  static ValidatableResponse problem(ValidatableResponse r, int status, String slug) {
    return r.statusCode(status)
        .contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.equalTo("https://securebase.dev/problems/" + slug));
  }

  /** A ticket.created event of the tenant, its data taken from the catalog's example. */
  static EventEnvelope ticketCreated(UUID tenant) throws IOException {
    ObjectNode data =
        (ObjectNode)
            EventJson.tree(
                Files.readAllBytes(
                    Path.of("../../kafka/examples/securebase.support.ticket.created.json")));
    String ticket = UUID.randomUUID().toString();
    data.put("tenantId", tenant.toString());
    data.put("ticketId", ticket);
    return new DomainEvents("support").create(TICKET_CREATED, tenant.toString(), ticket, data);
  }
}
