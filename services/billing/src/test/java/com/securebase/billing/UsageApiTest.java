package com.securebase.billing;

import static com.securebase.billing.BillingFixtures.problem;
import static com.securebase.billing.BillingFixtures.publish;
import static com.securebase.billing.BillingFixtures.record;
import static com.securebase.billing.BillingFixtures.token;
import static com.securebase.billing.BillingFixtures.until;
import static com.securebase.billing.BillingFixtures.usage;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.securebase.billing.domain.BillingPeriod;
import com.securebase.events.DomainEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Usage ingestion over the real Postgres and Kafka, through the API and the usage topic. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "billing"))
class UsageApiTest {
  private static final Instant LAST_MONTH =
      BillingPeriod.containing(Instant.now()).previous().start().plus(Duration.ofDays(3));

  private static long stored(UUID tenant) {
    return TestDatabase.count(
        "select count(*) from usage_event where tenant_id = ?::uuid", tenant.toString());
  }

  @Test
  void eachRecordIsAnsweredOnItsOwnAndRepeatsAreIdempotent() {
    UUID tenant = UUID.randomUUID();
    String billing = token(tenant, "billing");
    Instant now = Instant.now();
    usage(
            billing,
            record("t-1", "cloudtrail_events", "1200", now),
            record("t-2", "support_hours", "\"1.5\"", now),
            record("t-3", "no_such_metric", "1", now),
            record("t-4", "support_hours", "-1", now),
            record("t-5", "support_hours", "\"lots\"", now),
            record("t-6", "support_hours", "1", now.plus(Duration.ofMinutes(10))),
            record("t-7", "support_hours", "0.1234567", now),
            record("t-1", "cloudtrail_events", "1200.000", now))
        .statusCode(200)
        .body("accepted", equalTo(2))
        .body("duplicates", equalTo(1))
        .body("rejected", equalTo(5))
        .body(
            "results.status",
            equalTo(
                List.of(
                    "accepted",
                    "accepted",
                    "rejected",
                    "rejected",
                    "rejected",
                    "rejected",
                    "rejected",
                    "duplicate")))
        .body("results[2].error.type", equalTo("unknown-metric"))
        .body("results[3].error.field", equalTo("quantity"))
        .body("results[4].error.field", equalTo("quantity"))
        .body("results[5].error.type", equalTo("timestamp-in-future"))
        .body("results[6].error.field", equalTo("quantity"));
    assertThat(stored(tenant)).isEqualTo(2);
    // The same record again (1200 written as 1.2e3 is the same quantity): a duplicate, ignored.
    usage(billing, record("t-1", "cloudtrail_events", "1.2e3", now))
        .statusCode(200)
        .body("duplicates", equalTo(1));
    // A different payload under a recorded id is a 409 that names the id; nothing changes.
    problem(
            usage(billing, record("t-1", "cloudtrail_events", "999", now)),
            409,
            "transaction-id-conflict")
        .body("detail", org.hamcrest.Matchers.containsString("'t-1'"));
    assertThat(
            TestDatabase.rows(
                "select quantity::text as q from usage_event where tenant_id = ?::uuid and"
                    + " transaction_id = 't-1'",
                tenant.toString()))
        .extracting(r -> r.get("q"))
        .containsExactly("1200.000000");
    // Another tenant may use the same id: idempotency is per tenant.
    UUID other = UUID.randomUUID();
    usage(token(other, "owner"), record("t-1", "cloudtrail_events", "5", now))
        .statusCode(200)
        .body("accepted", equalTo(1));
  }

  @Test
  void usageFromTheTopicIsIdempotentOnTheTransactionId() {
    UUID tenant = UUID.randomUUID();
    DomainEvents billing = new DomainEvents("billing");
    Map<String, Object> data =
        Map.of(
            "tenantId",
            tenant.toString(),
            "metricCode",
            "nat_gateway_gb",
            "quantity",
            "12.5",
            "timestamp",
            Instant.now().toString(),
            "transactionId",
            "topic-1",
            "dimensions",
            Map.of("region", "eu-west-1"));
    var first =
        billing.create("securebase.billing.usage.recorded", tenant.toString(), "topic-1", data);
    publish(first);
    publish(first); // redelivered
    // The same transaction id in a new event (a producer retrying), and then another quantity.
    publish(
        billing.create("securebase.billing.usage.recorded", tenant.toString(), "topic-1", data));
    Map<String, Object> changed = new java.util.HashMap<>(data);
    changed.put("quantity", "99");
    publish(
        billing.create("securebase.billing.usage.recorded", tenant.toString(), "topic-1", changed));
    // A later record of the same tenant (same key, same partition) marks the point by which the
    // earlier ones were all taken.
    Map<String, Object> marker = new java.util.HashMap<>(data);
    marker.put("transactionId", "topic-2");
    publish(
        billing.create("securebase.billing.usage.recorded", tenant.toString(), "topic-2", marker));
    until(
        () ->
            TestDatabase.count(
                    "select count(*) from usage_event where tenant_id = ?::uuid and"
                        + " transaction_id = 'topic-2'",
                    tenant.toString())
                == 1,
        "the marker record");
    assertThat(stored(tenant)).isEqualTo(2);
    assertThat(
            TestDatabase.rows(
                "select quantity::text as q, properties->>'region' as region from usage_event"
                    + " where tenant_id = ?::uuid and transaction_id = 'topic-1'",
                tenant.toString()))
        .containsExactly(Map.of("q", "12.500000", "region", "eu-west-1"));
  }

  @Test
  void badBatchesAreProblemsAndChangeNothing() {
    UUID tenant = UUID.randomUUID();
    String owner = token(tenant, "owner");
    String[] bodies = {
      "{not json",
      "[]",
      "{\"records\":[]}",
      "{\"records\":{}}",
      "{\"records\":[],\"extra\":1}",
      "\"x\""
    };
    for (String body : bodies) {
      given()
          .auth()
          .oauth2(owner)
          .contentType(ContentType.JSON)
          .body(body)
          .post("/v1/usage")
          .then()
          .log()
          .ifValidationFails()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      many.add(record("m-" + i, "support_hours", "1", Instant.now()));
    }
    problem(usage(owner, many.toArray(String[]::new)), 400, "validation-failed")
        .body("errors[0].field", equalTo("records"));
    StringBuilder huge = new StringBuilder("{\"records\":[");
    huge.append(
        record("h", "support_hours", "1", Instant.now())
            .replace("}", ",\"properties\":{\"p\":\"" + "x".repeat(1_100_000) + "\"}}"));
    huge.append("]}");
    given()
        .auth()
        .oauth2(owner)
        .contentType(ContentType.JSON)
        .body(huge.toString())
        .post("/v1/usage")
        .then()
        .statusCode(413)
        .contentType("application/problem+json");
    // A single refused record is the problem of that record.
    problem(usage(owner, record("u", "no_such_metric", "1", Instant.now())), 422, "unknown-metric");
    problem(
            usage(
                owner,
                "{\"transactionId\":\"v\",\"metricCode\":\"support_hours\",\"quantity\":1,\"timestamp\":\""
                    + Instant.now()
                    + "\",\"colour\":\"red\"}"),
            422,
            "invalid-usage-record")
        .body("results[0].error.field", equalTo("colour"));
    assertThat(stored(tenant)).isZero();
    // Roles: viewers, analysts and support staff may not post usage; nobody anonymous.
    for (String role : List.of("viewer", "analyst", "support")) {
      problem(
          usage(token(tenant, role), record("r", "support_hours", "1", Instant.now())),
          403,
          "forbidden");
    }
    given()
        .contentType(ContentType.JSON)
        .body("{\"records\":[]}")
        .post("/v1/usage")
        .then()
        .statusCode(401);
    assertThat(stored(tenant)).isZero();
  }

  @Test
  void aMonthsUsageShowsInTheMetricsWithItsCharge() {
    UUID tenant = UUID.randomUUID();
    String billing = token(tenant, "billing");
    Instant now = Instant.now();
    usage(
            billing,
            record("a-1", "support_hours", "2", now),
            record("a-2", "support_hours", "\"0.5\"", now),
            record("a-3", "accounts", "12", now),
            record("a-4", "accounts", "11", now),
            record("old", "support_hours", "100", LAST_MONTH))
        .statusCode(200)
        .body("accepted", equalTo(5));
    var metrics =
        given()
            .auth()
            .oauth2(billing)
            .get("/v1/metrics")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(metrics.getString("period"))
        .isEqualTo(BillingPeriod.containing(Instant.now()).toString());
    assertThat(metrics.getString("tier")).isEqualTo("standard");
    assertThat(metrics.getString("baseFee")).isEqualTo("2000.00");
    assertThat(metrics.getList("metrics.code"))
        .containsExactly(
            "accounts",
            "cloudtrail_events",
            "guardduty_findings",
            "log_storage_gb",
            "nat_gateway_gb",
            "support_hours");
    Map<String, Object> hours = metrics.getMap("metrics.find { it.code == 'support_hours' }");
    // sum of 2 + 0.5 this month (last month's 100 is not in it) × 150.00 = 375.00
    assertThat(hours.get("quantity")).isEqualTo("2.5");
    assertThat(hours.get("chargeSoFar")).isEqualTo("375.00");
    Map<String, Object> accounts = metrics.getMap("metrics.find { it.code == 'accounts' }");
    // max(12, 11) = 12: graduated 10 free + 2 × 20.00 = 40.00; a level, so projected as it is
    assertThat(accounts.get("quantity")).isEqualTo("12");
    assertThat(accounts.get("chargeSoFar")).isEqualTo("40.00");
    assertThat(accounts.get("projectedCharge")).isEqualTo("40.00");
    // 2,000.00 + 40.00 + 375.00 + zero charges
    assertThat(metrics.getString("totalSoFar")).isEqualTo("2415.00");
    problem(
        given().auth().oauth2(token(tenant, "viewer")).get("/v1/metrics").then(), 403, "forbidden");
  }

  @Test
  void thresholdsFireOncePerPeriodOnTheBroker() {
    UUID tenant = UUID.randomUUID();
    String owner = token(tenant, "owner");
    String id =
        given()
            .auth()
            .oauth2(owner)
            .contentType(ContentType.JSON)
            .body("{\"metricCode\":\"support_hours\",\"threshold\":10}")
            .post("/v1/metrics/thresholds")
            .then()
            .statusCode(201)
            .body("threshold", equalTo("10"))
            .extract()
            .path("id");
    problem(
        given()
            .auth()
            .oauth2(owner)
            .contentType(ContentType.JSON)
            .body("{\"metricCode\":\"support_hours\",\"threshold\":10}")
            .post("/v1/metrics/thresholds")
            .then(),
        409,
        "duplicate-threshold");
    problem(
        given()
            .auth()
            .oauth2(owner)
            .contentType(ContentType.JSON)
            .body("{\"metricCode\":\"nope\",\"threshold\":10}")
            .post("/v1/metrics/thresholds")
            .then(),
        422,
        "unknown-metric");
    for (String bad :
        List.of(
            "{\"metricCode\":\"support_hours\",\"threshold\":-1}",
            "{\"metricCode\":\"support_hours\",\"threshold\":\"x\"}",
            "{\"metricCode\":\"support_hours\"}",
            "{bad")) {
      given()
          .auth()
          .oauth2(owner)
          .contentType(ContentType.JSON)
          .body(bad)
          .post("/v1/metrics/thresholds")
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    try (var broker = com.securebase.testkit.BrokerEvents.on("securebase.billing.events")) {
      Instant now = Instant.now();
      usage(owner, record("h-1", "support_hours", "6", now)).statusCode(200);
      usage(owner, record("h-2", "support_hours", "5", now)).statusCode(200); // 11: crosses 10
      usage(owner, record("h-3", "support_hours", "5", now)).statusCode(200); // 16: already fired
      // The invoice of last month, a later event of this tenant (same key, same partition).
      usage(owner, record("late", "support_hours", "1", LAST_MONTH)).statusCode(200);
      BillingFixtures.runFor(owner, BillingPeriod.containing(now).previous().toString())
          .statusCode(201);
      var events =
          broker.await(
              e -> e.tenantId().equals(tenant.toString()) && e.type().endsWith("invoice.created"),
              1,
              Duration.ofSeconds(30));
      assertThat(events).hasSize(1);
      var crossings =
          broker.await(
              e -> e.tenantId().equals(tenant.toString()) && e.type().endsWith("threshold_reached"),
              1,
              Duration.ZERO);
      assertThat(crossings).hasSize(1);
      var data = crossings.getFirst().data();
      assertThat(data.path("thresholdId").asText()).isEqualTo(id);
      assertThat(data.path("threshold").asText()).isEqualTo("10");
      assertThat(data.path("currentQuantity").asText()).isEqualTo("11");
      assertThat(
              com.securebase.catalog.EventCatalog.load()
                  .violations(crossings.getFirst().type(), data))
          .isEmpty();
    }
    given()
        .auth()
        .oauth2(owner)
        .get("/v1/metrics/thresholds")
        .then()
        .statusCode(200)
        .body("", hasSize(1));
    problem(
        given()
            .auth()
            .oauth2(token(UUID.randomUUID(), "owner"))
            .delete("/v1/metrics/thresholds/" + id)
            .then(),
        404,
        "not-found");
    given().auth().oauth2(owner).delete("/v1/metrics/thresholds/" + id).then().statusCode(204);
    problem(
        given().auth().oauth2(owner).delete("/v1/metrics/thresholds/" + id).then(),
        404,
        "not-found");
  }
}
