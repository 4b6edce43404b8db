package com.securebase.webhooks;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.testkit.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

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
