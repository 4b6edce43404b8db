package com.securebase.forecasting;

import static com.securebase.forecasting.ForecastFixtures.importCosts;
import static com.securebase.forecasting.ForecastFixtures.monthly;
import static com.securebase.forecasting.ForecastFixtures.monthsAgo;
import static com.securebase.forecasting.ForecastFixtures.problem;
import static com.securebase.forecasting.ForecastFixtures.row;
import static com.securebase.forecasting.ForecastFixtures.today;
import static com.securebase.forecasting.ForecastFixtures.token;
import static com.securebase.forecasting.ForecastFixtures.until;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.securebase.events.EventEnvelope;
import com.securebase.forecasting.messaging.CostChecks;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Budgets and anomalies over the real Postgres and Kafka: each threshold of a period and each
 * anomalous point is announced once, however often and by however many checkers the tenant is
 * checked again.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "forecasting"))
class BudgetAndAnomalyTest {
  private static final String TOPIC = "securebase.forecasting.events";
  private static final String THRESHOLD = "securebase.forecasting.budget.threshold_reached";
  private static final String ANOMALY = "securebase.forecasting.cost.anomaly_detected";

  @Inject CostChecks checks;

  private static Predicate<EventEnvelope> of(UUID tenant, String type) {
    return e -> e.tenantId().equals(tenant.toString()) && e.type().equals(type);
  }

  private static String budget(String token, String body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/budgets")
        .then()
        .statusCode(201)
        .extract()
        .path("id");
  }

  /** Queues the tenant again and runs two checks at once, as two replicas would. */
  private void checkAgainTwice(UUID tenant) {
    TestDatabase.execute(
        "insert into cost_change (tenant_id, changed_at) values (?::uuid, now()) on conflict do nothing",
        tenant.toString());
    Uni.join()
        .all(checks.checkNext(), checks.checkNext())
        .andFailFast()
        .await()
        .atMost(Duration.ofSeconds(30));
    until(
        () ->
            TestDatabase.count(
                    "select count(*) from cost_change where tenant_id = ?::uuid", tenant.toString())
                == 0,
        "the tenant's check");
  }

  @Test
  void eachThresholdOfAPeriodAlertsOnceOnActualAndOnForecastSpend() {
    UUID tenant = UUID.randomUUID();
    String billing = token(tenant, "billing");
    double[] history = new double[14];
    java.util.Arrays.fill(history, 1_000);
    importCosts(billing, "month", monthly("EC2", history)).statusCode(200);
    try (BrokerEvents broker = BrokerEvents.on(TOPIC)) {
      String id =
          budget(
              billing,
              "{\"name\":\"EC2 monthly\",\"service\":\"Amazon EC2\",\"currency\":\"USD\",\"amount\":1000.00}");
      // This month so far: 850 of 1,000 (85 %); the model expects about 1,000 for the month.
      importCosts(billing, "day", List.of(row(today().withDayOfMonth(1), "EC2", "850.00")))
          .statusCode(200);
      List<EventEnvelope> alerts = broker.await(of(tenant, THRESHOLD), 3, Duration.ofSeconds(30));
      assertThat(alerts)
          .extracting(
              e ->
                  e.data().path("basis").asText() + "-" + e.data().path("thresholdPercent").asInt())
          .containsExactlyInAnyOrder("actual-80", "forecast-80", "forecast-100");
      EventEnvelope actual80 =
          alerts.stream()
              .filter(e -> e.data().path("basis").asText().equals("actual"))
              .findFirst()
              .orElseThrow();
      assertThat(actual80.data().path("budgetId").asText()).isEqualTo(id);
      assertThat(actual80.data().path("service").asText()).isEqualTo("EC2");
      assertThat(actual80.data().path("spendAmount").asText()).isEqualTo("850.00");
      assertThat(actual80.data().path("budgetAmount").asText()).isEqualTo("1000.00");
      assertThat(actual80.data().path("periodStart").asText())
          .isEqualTo(today().withDayOfMonth(1) + "T00:00:00Z");

      checkAgainTwice(tenant);
      assertThat(broker.settle(of(tenant, THRESHOLD), Duration.ofSeconds(2))).hasSize(3);

      // More spend this month: only the actual 100 % threshold is new.
      importCosts(
              billing,
              "day",
              List.of(
                  row(today().withDayOfMonth(1), "S3", "5.00"),
                  row(today().withDayOfMonth(1), "EC2", "1000.00")))
          .statusCode(200);
      List<EventEnvelope> more = broker.await(of(tenant, THRESHOLD), 4, Duration.ofSeconds(30));
      assertThat(more).hasSize(4);
      assertThat(
              more.getLast().data().path("basis").asText()
                  + more.getLast().data().path("thresholdPercent").asInt())
          .isEqualTo("actual100");
      checkAgainTwice(tenant);
      assertThat(broker.settle(of(tenant, THRESHOLD), Duration.ofSeconds(2))).hasSize(4);

      given()
          .auth()
          .oauth2(token(tenant, "viewer"))
          .get("/v1/budgets/" + id)
          .then()
          .statusCode(200)
          .body("current.actualSpend", equalTo("1000.00"))
          .body("current.actualPercent", equalTo(100.0f))
          .body("alerts", hasSize(4))
          .body("thresholds", equalTo(List.of(80, 100)));
    }
  }

  @Test
  void anAnomalousPointIsListedAndAnnouncedOnce() {
    UUID tenant = UUID.randomUUID();
    String billing = token(tenant, "billing");
    double[] v = ForecastFixtures.seasonal(24, 2_000, 5, 300, 11);
    v[17] = v[17] * 3; // one month tripled
    importCosts(billing, "month", monthly("RDS", v)).statusCode(200);
    importCosts(billing, "month", monthly("S3", ForecastFixtures.seasonal(24, 500, 1, 50, 12)))
        .statusCode(200);
    String spike = monthsAgo(24 - 17).toString();
    try (BrokerEvents broker = BrokerEvents.on(TOPIC)) {
      List<EventEnvelope> found =
          broker.await(
              of(tenant, ANOMALY)
                  .and(e -> e.data().path("service").asText().equals("RDS"))
                  .and(e -> e.data().path("periodStart").asText().startsWith(spike)),
              1,
              Duration.ofSeconds(30));
      assertThat(found).as("the RDS spike").hasSize(1);
      EventEnvelope a = found.getFirst();
      assertThat(a.data().path("periodStart").asText()).isEqualTo(spike + "T00:00:00Z");
      assertThat(a.data().path("direction").asText()).isEqualTo("above");
      assertThat(a.data().path("score").asDouble()).isGreaterThan(2);
      assertThat(a.data().path("granularity").asText()).isEqualTo("month");
      checkAgainTwice(tenant);
      List<EventEnvelope> all = broker.settle(of(tenant, ANOMALY), Duration.ofSeconds(2));
      // Once per point: every stored anomaly announced exactly once, the RDS spike among them.
      List<String> points =
          all.stream()
              .map(
                  e ->
                      (e.data().path("service").isNull()
                              ? "total"
                              : e.data().path("service").asText())
                          + "@"
                          + e.data().path("periodStart").asText())
              .toList();
      assertThat(points).doesNotHaveDuplicates().contains("RDS@" + spike + "T00:00:00Z");
      assertThat(points)
          .hasSize(
              (int)
                  TestDatabase.count(
                      "select count(*) from anomaly where tenant_id = ?::uuid", tenant.toString()));
    }
    given()
        .auth()
        .oauth2(token(tenant, "analyst"))
        .get("/v1/anomalies?service=RDS")
        .then()
        .statusCode(200)
        .body("items.periodStart", org.hamcrest.Matchers.hasItem(spike))
        .body("items.service", org.hamcrest.Matchers.everyItem(equalTo("RDS")))
        .body("items[0].method", equalTo("mad"));
    given()
        .auth()
        .oauth2(token(tenant, "analyst"))
        .get("/v1/anomalies?service=total&granularity=month")
        .then()
        .statusCode(200)
        .body("items.periodStart", org.hamcrest.Matchers.hasItem(spike));
    given()
        .auth()
        .oauth2(token(UUID.randomUUID(), "owner"))
        .get("/v1/anomalies")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    problem(
        given().auth().oauth2(billing).get("/v1/anomalies?granularity=week").then(),
        400,
        "validation-failed");
    problem(
        given().auth().oauth2(billing).get("/v1/anomalies?from=yesterday").then(),
        400,
        "validation-failed");
    problem(
        given().auth().oauth2(billing).get("/v1/anomalies?service=EC3").then(),
        400,
        "validation-failed");
    problem(
        given().auth().oauth2(billing).get("/v1/anomalies?cursor=abc").then(),
        400,
        "validation-failed");
  }

  @Test
  void budgetsAreValidatedAuditedAndInvisibleToOtherTenants() {
    UUID tenant = UUID.randomUUID();
    String owner = token(tenant, "owner");
    try (BrokerEvents audit = BrokerEvents.on("securebase.audit.events")) {
      String id =
          budget(
              owner,
              "{\"name\":\"All\",\"currency\":\"USD\",\"amount\":500,\"thresholds\":[50,90,100]}");
      given()
          .auth()
          .oauth2(owner)
          .contentType(ContentType.JSON)
          .body("{\"name\":\"All cloud\",\"currency\":\"USD\",\"amount\":600.00}")
          .put("/v1/budgets/" + id)
          .then()
          .statusCode(200)
          .body("name", equalTo("All cloud"))
          .body("amount", equalTo("600.00"))
          .body("thresholds", equalTo(List.of(80, 100)))
          .body("version", equalTo(2));
      given()
          .auth()
          .oauth2(owner)
          .get("/v1/budgets")
          .then()
          .statusCode(200)
          .body("items.id", equalTo(List.of(id)));
      String stranger = token(UUID.randomUUID(), "owner");
      problem(given().auth().oauth2(stranger).get("/v1/budgets/" + id).then(), 404, "not-found");
      problem(
          given()
              .auth()
              .oauth2(stranger)
              .contentType(ContentType.JSON)
              .body("{\"name\":\"x\",\"currency\":\"USD\",\"amount\":1}")
              .put("/v1/budgets/" + id)
              .then(),
          404,
          "not-found");
      problem(given().auth().oauth2(stranger).delete("/v1/budgets/" + id).then(), 404, "not-found");
      problem(given().auth().oauth2(owner).get("/v1/budgets/nope").then(), 404, "not-found");
      given()
          .auth()
          .oauth2(stranger)
          .get("/v1/budgets")
          .then()
          .statusCode(200)
          .body("items", hasSize(0));
      problem(
          given().auth().oauth2(token(tenant, "viewer")).delete("/v1/budgets/" + id).then(),
          403,
          "forbidden");
      given().auth().oauth2(owner).delete("/v1/budgets/" + id).then().statusCode(204);
      problem(given().auth().oauth2(owner).get("/v1/budgets/" + id).then(), 404, "not-found");
      assertThat(
              audit.await(e -> e.tenantId().equals(tenant.toString()), 3, Duration.ofSeconds(30)))
          .extracting(e -> e.data().path("action").asText())
          .containsExactly("budget.created", "budget.updated", "budget.deleted");
    }
    for (String bad :
        List.of(
            "{\"currency\":\"USD\",\"amount\":1}",
            "{\"name\":\"x\",\"currency\":\"usd\",\"amount\":1}",
            "{\"name\":\"x\",\"currency\":\"USD\",\"amount\":-1}",
            "{\"name\":\"x\",\"currency\":\"USD\",\"amount\":\"lots\"}",
            "{\"name\":\"x\",\"currency\":\"USD\",\"amount\":1,\"service\":\"EC3\"}",
            "{\"name\":\"x\",\"currency\":\"USD\",\"amount\":1,\"thresholds\":[80,80]}",
            "{\"name\":\"x\",\"currency\":\"USD\",\"amount\":1,\"thresholds\":[0]}",
            "{\"name\":\"x\",\"currency\":\"USD\",\"amount\":1,\"thresholds\":\"80\"}",
            "{\"name\":\"x\",\"currency\":\"USD\",\"amount\":1,\"period\":\"year\"}")) {
      ForecastFixtures.badRequest(
          given()
              .auth()
              .oauth2(owner)
              .contentType(ContentType.JSON)
              .body(bad)
              .post("/v1/budgets")
              .then(),
          "validation-failed",
          "invalid-value",
          "unknown-field");
    }
    problem(
        given()
            .auth()
            .oauth2(owner)
            .contentType(ContentType.JSON)
            .body("{\"name\":")
            .post("/v1/budgets")
            .then(),
        400,
        "malformed-request");
  }

  @Test
  void recommendationsExplainARisingServiceAndABudgetAtRisk() {
    UUID tenant = UUID.randomUUID();
    String billing = token(tenant, "billing");
    double[] rising = new double[18];
    double[] flat = new double[18];
    java.util.Random random = new java.util.Random(3);
    for (int t = 0; t < 18; t++) {
      rising[t] = 1_000 + 60 * t + random.nextGaussian() * 10;
      flat[t] = 400 + random.nextGaussian() * 10;
    }
    importCosts(billing, "month", monthly("EC2", rising)).statusCode(200);
    importCosts(billing, "month", monthly("S3", flat)).statusCode(200);
    budget(
        billing,
        "{\"name\":\"Compute\",\"service\":\"EC2\",\"currency\":\"USD\",\"amount\":2400.00}");
    var found =
        given()
            .auth()
            .oauth2(token(tenant, "viewer"))
            .get("/v1/forecasts/recommendations")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(found.getList("items.kind", String.class))
        .containsExactlyInAnyOrder("rising_trend", "budget_at_risk");
    assertThat(found.getString("items.find { it.kind == 'rising_trend' }.service"))
        .isEqualTo("EC2");
    assertThat(found.getString("items.find { it.kind == 'rising_trend' }.explanation"))
        .contains("Mann-Kendall");
    assertThat(found.getString("items.find { it.kind == 'budget_at_risk' }.figures.month"))
        .matches("\\d{4}-\\d{2}");
    assertThat(
            found.getDouble("items.find { it.kind == 'budget_at_risk' }.figures.percentOfBudget"))
        .isGreaterThanOrEqualTo(100.0);
    given()
        .auth()
        .oauth2(token(UUID.randomUUID(), "owner"))
        .get("/v1/forecasts/recommendations")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
  }
}
