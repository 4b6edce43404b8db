package com.securebase.webhooks;

import static com.securebase.webhooks.WebhookFixtures.ENDPOINTS;
import static com.securebase.webhooks.WebhookFixtures.TICKET_CREATED;
import static com.securebase.webhooks.WebhookFixtures.deadLetter;
import static com.securebase.webhooks.WebhookFixtures.endpoint;
import static com.securebase.webhooks.WebhookFixtures.owner;
import static com.securebase.webhooks.WebhookFixtures.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import com.securebase.testkit.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Endpoint CRUD and the log API over real Postgres and Kafka: events through the outbox, bad input
 * answered with problem+json, another tenant's ids answered 404, roles enforced.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "webhooks"))
class EndpointApiTest {
  private static final String URL = "http://127.0.0.1:9/hook";

  @Test
  void createReadUpdateListDeleteWithEvents() throws Exception {
    UUID tenant = UUID.randomUUID();
    try (BrokerEvents events = BrokerEvents.on("securebase.webhooks.events")) {
      JsonPath created = endpoint(tenant, URL, "[\"" + TICKET_CREATED + "\"]");
      String id = created.getString("endpoint.id");
      assertThat(created.getString("secret")).matches("whsec_[A-Za-z0-9+/=]{44}");
      assertThat(created.getList("endpoint.eventTypes")).containsExactly(TICKET_CREATED);
      assertThat(
              TestDatabase.count(
                  "select count(*) from webhooks.endpoint where id = ?::uuid and tenant_id = ?::uuid",
                  id,
                  tenant.toString()))
          .isEqualTo(1);

      given()
          .auth()
          .oauth2(owner(tenant))
          .contentType(ContentType.JSON)
          .body("{\"eventTypes\":[],\"rateLimitPerSecond\":50,\"enabled\":false}")
          .patch(ENDPOINTS + "/" + id)
          .then()
          .statusCode(200)
          .body("eventTypes", nullValue())
          .body("rateLimitPerSecond", equalTo(50))
          .body("enabled", equalTo(false))
          .body("disabledReason", equalTo("manual"))
          .body("version", equalTo(2))
          .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secret")));

      endpoint(tenant, URL + "2", null);
      JsonPath page =
          given()
              .auth()
              .oauth2(owner(tenant))
              .get(ENDPOINTS + "?limit=1")
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(page.getList("items")).hasSize(1);
      given()
          .auth()
          .oauth2(owner(tenant))
          .get(ENDPOINTS + "?limit=1&cursor=" + page.getString("nextCursor"))
          .then()
          .statusCode(200)
          .body("items", hasSize(1))
          .body("items[0].id", equalTo(id))
          .body("nextCursor", nullValue());

      given().auth().oauth2(owner(tenant)).delete(ENDPOINTS + "/" + id).then().statusCode(204);
      given().auth().oauth2(owner(tenant)).get(ENDPOINTS + "/" + id).then().statusCode(404);

      List<EventEnvelope> seen =
          events.await(
              e -> e.subject() != null && e.subject().equals(id), 3, Duration.ofSeconds(30));
      assertThat(seen)
          .extracting(EventEnvelope::type)
          .containsExactly(
              "securebase.webhooks.endpoint.created",
              "securebase.webhooks.endpoint.updated",
              "securebase.webhooks.endpoint.deleted");
      assertThat(seen.get(0).data().has("secret")).isFalse();
    }
  }

  @Test
  void badInputIsAProblemNeverA500() {
    UUID tenant = UUID.randomUUID();
    String token = owner(tenant);
    String id = endpoint(tenant, URL, null).getString("endpoint.id");
    String[][] bodies = {
      {"{\"url\":", "malformed-request"},
      {"{\"url\":\"" + URL + "\",\"colour\":\"red\"}", "unknown-field"},
      {"{\"url\":\"" + URL + "\",\"rateLimitPerSecond\":\"fast\"}", "invalid-value"},
      {
        "{\"url\":\"" + URL + "\",\"eventTypes\":[\"securebase.nope.thing.happened\"]}",
        "validation-failed"
      },
      {"{\"url\":\"ftp://example.com/x\"}", "validation-failed"},
      {"{\"url\":\"not a url\"}", "validation-failed"},
      {"{\"url\":\"https://user:pw@example.com/x\"}", "validation-failed"},
      {"{\"url\":\"" + URL + "\",\"rateLimitPerSecond\":0}", "validation-failed"},
      {"{}", "validation-failed"},
    };
    for (String[] b : bodies) {
      problem(
          given()
              .auth()
              .oauth2(token)
              .contentType(ContentType.JSON)
              .body(b[0])
              .post(ENDPOINTS)
              .then(),
          400,
          b[1]);
    }
    problem(
        given()
            .auth()
            .oauth2(token)
            .contentType(ContentType.JSON)
            .body("{\"url\":\"" + URL + "\",\"description\":\"" + "x".repeat(70_000) + "\"}")
            .post(ENDPOINTS)
            .then(),
        413,
        "payload-too-large");
    problem(
        given()
            .auth()
            .oauth2(token)
            .contentType(ContentType.JSON)
            .body("{\"enabled\":\"maybe\"}")
            .patch(ENDPOINTS + "/" + id)
            .then(),
        400,
        "invalid-value");
    problem(
        given()
            .auth()
            .oauth2(token)
            .contentType(ContentType.JSON)
            .body("{\"since\":\"yesterday\"}")
            .post(ENDPOINTS + "/" + id + "/recover")
            .then(),
        400,
        "invalid-value");
    for (String query :
        List.of(
            "/v1/webhooks/messages?cursor=nope",
            "/v1/webhooks/messages?since=yesterday",
            "/v1/webhooks/dead-letters?endpointId=123",
            "/v1/webhooks/messages?limit=0",
            ENDPOINTS + "?limit=1000")) {
      problem(given().auth().oauth2(token).get(query).then(), 400, "validation-failed");
    }
    given().auth().oauth2(token).get(ENDPOINTS + "/not-a-uuid").then().statusCode(404);
  }

  @Test
  void anotherTenantsIdsAreNotFoundAndRolesAreEnforced() throws Exception {
    UUID tenant = UUID.randomUUID();
    String id = endpoint(tenant, URL, null).getString("endpoint.id");
    String messageId = deadLetter(tenant, id);
    String intruder = owner(UUID.randomUUID());
    String json = "application/json";
    problem(given().auth().oauth2(intruder).get(ENDPOINTS + "/" + id).then(), 404, "not-found");
    problem(
        given()
            .auth()
            .oauth2(intruder)
            .contentType(json)
            .body("{\"description\":\"x\"}")
            .patch(ENDPOINTS + "/" + id)
            .then(),
        404,
        "not-found");
    problem(given().auth().oauth2(intruder).delete(ENDPOINTS + "/" + id).then(), 404, "not-found");
    problem(
        given().auth().oauth2(intruder).post(ENDPOINTS + "/" + id + "/rotate-secret").then(),
        404,
        "not-found");
    problem(
        given().auth().oauth2(intruder).post(ENDPOINTS + "/" + id + "/test").then(),
        404,
        "not-found");
    problem(
        given()
            .auth()
            .oauth2(intruder)
            .contentType(json)
            .body("{\"since\":\"2026-01-01T00:00:00Z\"}")
            .post(ENDPOINTS + "/" + id + "/recover")
            .then(),
        404,
        "not-found");
    problem(
        given().auth().oauth2(intruder).get("/v1/webhooks/messages/" + messageId).then(),
        404,
        "not-found");
    problem(
        given()
            .auth()
            .oauth2(intruder)
            .get("/v1/webhooks/messages/" + messageId + "/attempts")
            .then(),
        404,
        "not-found");
    problem(
        given()
            .auth()
            .oauth2(intruder)
            .post("/v1/webhooks/messages/" + messageId + "/resend")
            .then(),
        404,
        "not-found");
    // Resending to another tenant's endpoint is as unknown as the endpoint itself.
    String foreignEndpoint = endpoint(UUID.randomUUID(), URL, null).getString("endpoint.id");
    problem(
        given()
            .auth()
            .oauth2(owner(tenant))
            .post("/v1/webhooks/messages/" + messageId + "/resend?endpointId=" + foreignEndpoint)
            .then(),
        404,
        "not-found");
    // Filtering the log by another tenant's endpoint is as unknown as the endpoint, never its log.
    Map<String, String> messageIdOfItems =
        Map.of("/v1/webhooks/dead-letters", "items.messageId", "/v1/webhooks/messages", "items.id");
    messageIdOfItems.forEach(
        (log, field) -> {
          given()
              .auth()
              .oauth2(owner(tenant))
              .get(log + "?endpointId=" + id)
              .then()
              .statusCode(200)
              .body(field, contains(messageId));
          problem(
              given().auth().oauth2(intruder).get(log + "?endpointId=" + id).then(),
              404,
              "not-found");
        });
    given()
        .auth()
        .oauth2(intruder)
        .get("/v1/webhooks/messages")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    given().auth().oauth2(intruder).get(ENDPOINTS).then().statusCode(200).body("items", hasSize(0));

    problem(given().get(ENDPOINTS).then(), 401, "unauthorized");
    given().auth().oauth2(TestTokens.user(tenant, "admin")).get(ENDPOINTS).then().statusCode(200);
  }

  @Test
  void everyEndpointRefusesTheRolesButOwnerAndAdminAndChangesNothing() throws Exception {
    UUID tenant = UUID.randomUUID();
    String id = endpoint(tenant, URL, null).getString("endpoint.id");
    String message = "/v1/webhooks/messages/" + deadLetter(tenant, id);
    String since = "{\"since\":\"2020-01-01T00:00:00Z\"}";
    // Every route of EndpointResource and MessageResource: {method, path, body}.
    String[][] calls = {
      {"POST", ENDPOINTS, "{\"url\":\"" + URL + "\"}"},
      {"GET", ENDPOINTS, null},
      {"GET", ENDPOINTS + "/" + id, null},
      {"PATCH", ENDPOINTS + "/" + id, "{\"description\":\"changed\"}"},
      {"DELETE", ENDPOINTS + "/" + id, null},
      {"POST", ENDPOINTS + "/" + id + "/rotate-secret", null},
      {"POST", ENDPOINTS + "/" + id + "/test", null},
      {"POST", ENDPOINTS + "/" + id + "/recover", since},
      {"GET", "/v1/webhooks/messages", null},
      {"GET", message, null},
      {"GET", message + "/attempts", null},
      {"POST", message + "/resend", null},
      {"GET", "/v1/webhooks/dead-letters", null},
    };
    List<List<Map<String, Object>>> before = stored(tenant);
    String everyOtherRole = TestTokens.user(tenant, "billing", "analyst", "support", "viewer");
    for (String[] c : calls) {
      RequestSpecification request = given().auth().oauth2(everyOtherRole);
      if (c[2] != null) {
        request.contentType(ContentType.JSON).body(c[2]);
      }
      Response response = request.request(c[0], c[1]);
      assertThat(response.statusCode()).as(c[0] + " " + c[1]).isEqualTo(403);
      problem(response.then(), 403, "forbidden");
    }
    assertThat(stored(tenant)).isEqualTo(before);
  }

  /** Every row the tenant has, to show that refused requests changed nothing. */
  private static List<List<Map<String, Object>>> stored(UUID tenant) {
    return Stream.of("endpoint", "message", "delivery", "attempt")
        .map(
            table ->
                TestDatabase.rows(
                    "select * from webhooks." + table + " where tenant_id = ?::uuid order by id",
                    tenant.toString()))
        .toList();
  }
}
