package com.securebase.analytics;

import static com.securebase.analytics.AnalyticsFixtures.badRequest;
import static com.securebase.analytics.AnalyticsFixtures.ingest;
import static com.securebase.analytics.AnalyticsFixtures.point;
import static com.securebase.analytics.AnalyticsFixtures.points;
import static com.securebase.analytics.AnalyticsFixtures.problem;
import static com.securebase.analytics.AnalyticsFixtures.spec;
import static com.securebase.testkit.TestTokens.user;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Saved reports: templates, CRUD, and sharing enforced on every read and write. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "analytics"))
class ReportApiTest {
  private static final Instant AT = Instant.now().minus(Duration.ofHours(3));

  private static ValidatableResponse send(String method, String token, String path, Object body) {
    var r = given().header("Authorization", "Bearer " + token);
    if (body != null) {
      r = r.contentType(ContentType.JSON).body(body);
    }
    return r.request(method, path).then();
  }

  private static Map<String, Object> report(String name) {
    return Map.of(
        "name",
        name,
        "query",
        spec("metrics", List.of("orders"), "last", "P1D", "groupBy", List.of("region")),
        "chart",
        "bar",
        "format",
        "csv");
  }

  @Test
  void templatesAreListedAndInstantiatedWithTheirQuery() {
    String owner = user(UUID.randomUUID(), UUID.randomUUID(), "owner");
    send("GET", owner, "/v1/analytics/templates", null)
        .statusCode(200)
        .body("items.template", equalTo(List.of("compliance", "cost", "security")));
    send("POST", owner, "/v1/analytics/reports", Map.of("name", "Our costs", "template", "cost"))
        .statusCode(201)
        .body("template", equalTo("cost"))
        .body("query.metrics", equalTo(List.of("billing.invoice.total")))
        .body("format", equalTo("pdf"))
        .body("access", equalTo("manage"));
    badRequest(
        send("POST", owner, "/v1/analytics/reports", Map.of("name", "x", "template", "marketing")),
        "validation-failed");
    badRequest(
        send("POST", owner, "/v1/analytics/reports", Map.of("name", "x")), "validation-failed");
  }

  @Test
  void crudWithVersionsAndClearErrors() {
    UUID tenant = UUID.randomUUID();
    String analyst = user(tenant, UUID.randomUUID(), "analyst");
    ingest(analyst, points(point("orders", AT, 3, "eu", null, null))).statusCode(200);
    String id =
        send("POST", analyst, "/v1/analytics/reports", report("Orders"))
            .statusCode(201)
            .body("version", equalTo(1))
            .extract()
            .path("id");
    send("GET", analyst, "/v1/analytics/reports/" + id + "/result", null)
        .statusCode(200)
        .body("rows[0].groups.region", equalTo("eu"))
        .body("rows[0].values.sum", equalTo(3.0f));
    send("PUT", analyst, "/v1/analytics/reports/" + id, report("Orders by region"))
        .statusCode(200)
        .body("name", equalTo("Orders by region"))
        .body("version", equalTo(2));
    send("GET", analyst, "/v1/analytics/reports", null)
        .statusCode(200)
        .body("items.id", hasItem(id));
    problem(
        send(
            "POST",
            analyst,
            "/v1/analytics/reports",
            Map.of("name", "n", "query", spec("metrics", List.of("nothing.here"), "last", "P1D"))),
        422,
        "unknown-metric");
    badRequest(
        send(
            "POST",
            analyst,
            "/v1/analytics/reports",
            Map.of(
                "name",
                "n",
                "chart",
                "pie",
                "query",
                spec("metrics", List.of("orders"), "last", "P1D"))),
        "validation-failed");
    badRequest(
        send("POST", analyst, "/v1/analytics/reports", Map.of("name", 42, "query", "everything")),
        "validation-failed",
        "invalid-value");
    badRequest(send("POST", analyst, "/v1/analytics/reports", "{\"name\": "), "malformed-request");
    send("GET", analyst, "/v1/analytics/reports/not-a-uuid", null)
        .statusCode(404)
        .contentType("application/problem+json");
    problem(
        send("GET", analyst, "/v1/analytics/reports/" + UUID.randomUUID(), null), 404, "not-found");
    // Another tenant's owner, with this tenant's id: 404, never the report.
    String stranger = user(UUID.randomUUID(), UUID.randomUUID(), "owner");
    problem(send("GET", stranger, "/v1/analytics/reports/" + id, null), 404, "not-found");
    problem(send("PUT", stranger, "/v1/analytics/reports/" + id, report("mine")), 404, "not-found");
    problem(send("DELETE", stranger, "/v1/analytics/reports/" + id, null), 404, "not-found");
    problem(
        send("GET", stranger, "/v1/analytics/reports/" + id + "/export?format=csv", null),
        404,
        "not-found");
    send("DELETE", analyst, "/v1/analytics/reports/" + id, null).statusCode(204);
    problem(send("GET", analyst, "/v1/analytics/reports/" + id, null), 404, "not-found");
  }

  @Test
  void aReportsExportHasEveryRowWhileItsResultKeepsTheSavedLimit() {
    UUID tenant = UUID.randomUUID();
    String analyst = user(tenant, UUID.randomUUID(), "analyst");
    ingest(
            analyst,
            points(
                point("orders", AT, 3, "eu", null, null), point("orders", AT, 4, "us", null, null)))
        .statusCode(200);
    Map<String, Object> query =
        spec("metrics", List.of("orders"), "last", "P1D", "groupBy", List.of("region"), "limit", 1);
    String id =
        send(
                "POST",
                analyst,
                "/v1/analytics/reports",
                Map.of("name", "Orders by region", "query", query, "format", "csv"))
            .statusCode(201)
            .extract()
            .path("id");
    send("GET", analyst, "/v1/analytics/reports/" + id + "/result", null)
        .statusCode(200)
        .body("rowCount", equalTo(1))
        .body("truncated", equalTo(true));
    var export =
        send("GET", analyst, "/v1/analytics/reports/" + id + "/export", null)
            .statusCode(200)
            .extract();
    assertThat(export.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"Orders-by-region.csv\"");
    assertThat(export.asString().lines().toList())
        .hasSize(3)
        .anyMatch(l -> l.endsWith(",orders,eu,3.0"))
        .anyMatch(l -> l.endsWith(",orders,us,4.0"));
    assertThat(
            send("GET", analyst, "/v1/analytics/reports/" + id + "/export?format=json", null)
                .statusCode(200)
                .extract()
                .path("rowCount")
                .toString())
        .isEqualTo("2");
    badRequest(
        send("GET", analyst, "/v1/analytics/reports/" + id + "/export?format=doc", null),
        "validation-failed",
        "invalid-value");
  }

  @Test
  void sharingGivesViewOrEditToUsersAndRolesAndEachShareIsAudited() {
    UUID tenant = UUID.randomUUID();
    UUID alice = UUID.randomUUID();
    UUID bob = UUID.randomUUID();
    String creator = user(tenant, alice, "analyst");
    String bobViewer = user(tenant, bob, "viewer");
    String otherAnalyst = user(tenant, UUID.randomUUID(), "analyst");
    String admin = user(tenant, UUID.randomUUID(), "admin");
    ingest(creator, points(point("orders", AT, 1, null, null, null))).statusCode(200);
    String id =
        send("POST", creator, "/v1/analytics/reports", report("Private"))
            .statusCode(201)
            .extract()
            .path("id");
    String path = "/v1/analytics/reports/" + id;

    // Unshared: other users of the tenant do not know it exists; owners and admins see all.
    problem(send("GET", bobViewer, path, null), 404, "not-found");
    problem(send("GET", otherAnalyst, path + "/result", null), 404, "not-found");
    send("GET", bobViewer, "/v1/analytics/reports", null)
        .statusCode(200)
        .body("items.id", not(hasItem(id)));
    send("GET", admin, path, null).statusCode(200).body("access", equalTo("manage"));

    try (BrokerEvents audit = BrokerEvents.on("securebase.audit.events")) {
      send(
              "PUT",
              creator,
              path + "/shares",
              Map.of("principalType", "user", "principal", bob.toString(), "permission", "view"))
          .statusCode(200)
          .body("shares[0].principal", equalTo(bob.toString()));
      send("GET", bobViewer, path, null).statusCode(200).body("access", equalTo("view"));
      send("GET", bobViewer, path + "/result", null).statusCode(200);
      send("GET", bobViewer, path + "/export?format=csv", null).statusCode(200);
      send("GET", bobViewer, "/v1/analytics/reports", null)
          .statusCode(200)
          .body("items.id", hasItem(id));
      problem(send("PUT", bobViewer, path, report("Mine now")), 403, "report-access-denied");
      problem(send("DELETE", bobViewer, path, null), 403, "report-access-denied");
      problem(
          send(
              "PUT",
              bobViewer,
              path + "/shares",
              Map.of("principalType", "user", "principal", bob.toString(), "permission", "edit")),
          403,
          "report-access-denied");

      // Edit for the analyst role: another analyst edits but does not share or delete.
      send(
              "PUT",
              creator,
              path + "/shares",
              Map.of("principalType", "role", "principal", "analyst", "permission", "edit"))
          .statusCode(200);
      send("PUT", otherAnalyst, path, report("Edited")).statusCode(200).body("version", equalTo(2));
      problem(send("DELETE", otherAnalyst, path, null), 403, "report-access-denied");

      send("DELETE", creator, path + "/shares/user/" + bob, null).statusCode(204);
      problem(send("GET", bobViewer, path, null), 404, "not-found");
      problem(send("DELETE", creator, path + "/shares/user/" + bob, null), 404, "not-found");
      badRequest(
          send(
              "PUT",
              creator,
              path + "/shares",
              Map.of("principalType", "group", "principal", "x", "permission", "view")),
          "validation-failed");
      badRequest(
          send(
              "PUT",
              creator,
              path + "/shares",
              Map.of("principalType", "role", "principal", "superuser", "permission", "view")),
          "validation-failed");
      badRequest(
          send(
              "PUT",
              creator,
              path + "/shares",
              Map.of("principalType", "user", "principal", "bob", "permission", "view")),
          "validation-failed",
          "invalid-value");

      List<EventEnvelope> trail =
          audit.await(
              e ->
                  e.tenantId().equals(tenant.toString())
                          && e.data().path("action").asText().startsWith("report.s")
                      || e.tenantId().equals(tenant.toString())
                          && e.data().path("action").asText().equals("report.unshared"),
              3,
              Duration.ofSeconds(20));
      assertThat(trail)
          .extracting(e -> e.data().path("action").asText())
          .containsExactlyInAnyOrder("report.shared", "report.shared", "report.unshared");
    }
  }
}
