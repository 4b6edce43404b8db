package com.securebase.forecasting;

import static com.securebase.forecasting.ForecastFixtures.forecast;
import static com.securebase.forecasting.ForecastFixtures.importCosts;
import static com.securebase.forecasting.ForecastFixtures.monthly;
import static com.securebase.forecasting.ForecastFixtures.monthsAgo;
import static com.securebase.forecasting.ForecastFixtures.postCosts;
import static com.securebase.forecasting.ForecastFixtures.problem;
import static com.securebase.forecasting.ForecastFixtures.row;
import static com.securebase.forecasting.ForecastFixtures.seasonal;
import static com.securebase.forecasting.ForecastFixtures.tierToken;
import static com.securebase.forecasting.ForecastFixtures.today;
import static com.securebase.forecasting.ForecastFixtures.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** Cost imports, forecasts and their exports over the real Postgres. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "forecasting"))
class ForecastApiTest {

  /** 36 months of EC2 and RDS with a yearly season and a trend, imported for a new tenant. */
  private static UUID tenantWithHistory() {
    UUID tenant = UUID.randomUUID();
    List<String> rows = new ArrayList<>(monthly("EC2", seasonal(36, 5_000, 40, 800, 1)));
    rows.addAll(monthly("Amazon Relational Database Service", seasonal(36, 2_000, 10, 150, 2)));
    importCosts(token(tenant, "billing"), "month", rows)
        .statusCode(200)
        .body("records", equalTo(72))
        .body("inserted", equalTo(72))
        .body("services", equalTo(List.of("EC2", "RDS")));
    return tenant;
  }

  @Test
  void aForecastNamesItsModelAndAccuracyAndItsBreakdownAddsUpToTheTotal() {
    UUID tenant = tenantWithHistory();
    JsonPath f =
        forecast(
                tierToken(tenant, "fintech", 12, "analyst"),
                "{\"horizon\":12,\"granularity\":\"month\"}")
            .statusCode(201)
            .header("Location", org.hamcrest.Matchers.containsString("/v1/forecasts/"))
            .body("historyPeriods", equalTo(36))
            .body("historyEnd", equalTo(monthsAgo(1).toString()))
            .body("total.periods", hasSize(12))
            .body("services.service", equalTo(List.of("EC2", "RDS")))
            .body("reconciliation", equalTo("bottom_up"))
            .body("levels", equalTo(List.of(65, 80, 95)))
            .extract()
            .jsonPath();
    assertThat(f.getString("total.periods[0].periodStart")).isEqualTo(monthsAgo(0).toString());
    for (String line : List.of("total", "services[0]", "services[1]")) {
      assertThat(f.getString(line + ".model")).isNotBlank();
      // A seasonal series with a trend: the chosen model beats the seasonal naive benchmark.
      assertThat(f.getDouble(line + ".backtest.mase")).isLessThan(1.0);
      assertThat(f.getDouble(line + ".backtest.mape")).isPositive();
      assertThat(f.getMap(line + ".backtest.maseByModel")).containsKey("seasonal_naive");
      assertThat(f.getString(line + ".trend.test")).isEqualTo("mann_kendall");
    }
    assertThat(f.getString("services[0].trend.label")).isEqualTo("increasing");
    for (int h = 0; h < 12; h++) {
      BigDecimal sum =
          new BigDecimal(f.getString("services[0].periods[" + h + "].mean"))
              .add(new BigDecimal(f.getString("services[1].periods[" + h + "].mean")));
      assertThat(new BigDecimal(f.getString("total.periods[" + h + "].mean")))
          .isEqualByComparingTo(sum);
      double lastWidth = 0;
      for (String level : List.of("65", "80", "95")) {
        String b = "total.periods[" + h + "].bounds.'" + level + "'";
        double lower = Double.parseDouble(f.getString(b + ".lower"));
        double upper = Double.parseDouble(f.getString(b + ".upper"));
        double mean = Double.parseDouble(f.getString("total.periods[" + h + "].mean"));
        assertThat(lower).isLessThanOrEqualTo(mean);
        assertThat(upper).isGreaterThanOrEqualTo(mean);
        assertThat(upper - lower).as("wider at a higher level").isGreaterThan(lastWidth);
        lastWidth = upper - lower;
      }
    }
    // Bands widen with the horizon.
    assertThat(width(f, 11, "95")).isGreaterThan(width(f, 0, "95"));
    assertThat(f.getString("total.periods[1].changePercent")).isNotNull();

    // Stored as answered: the read and the JSON export are the same document.
    String id = f.getString("id");
    String read =
        given()
            .auth()
            .oauth2(token(tenant, "viewer"))
            .get("/v1/forecasts/" + id)
            .then()
            .statusCode(200)
            .extract()
            .asString();
    assertThat(JsonPath.from(read).getString("total.periods[5].mean"))
        .isEqualTo(f.getString("total.periods[5].mean"));
    given()
        .auth()
        .oauth2(token(tenant, "viewer"))
        .get("/v1/forecasts")
        .then()
        .statusCode(200)
        .body("items.id", equalTo(List.of(id)));
  }

  private static double width(JsonPath f, int h, String level) {
    String b = "total.periods[" + h + "].bounds.'" + level + "'";
    return Double.parseDouble(f.getString(b + ".upper"))
        - Double.parseDouble(f.getString(b + ".lower"));
  }

  @Test
  void aServiceThatAppearsLateKeepsTheTotalsBandsInProportion() {
    UUID tenant = UUID.randomUUID();
    String owner = tierToken(tenant, "fintech", 12, "owner");
    importCosts(owner, "month", monthly("EC2", seasonal(36, 5_000, 40, 800, 4))).statusCode(200);
    // A first, large cost last month only: a level shift in the total.
    importCosts(owner, "month", List.of(row(monthsAgo(1), "Support", "50000.00"))).statusCode(200);
    JsonPath f = forecast(owner, "{\"horizon\":12}").statusCode(201).extract().jsonPath();
    for (int h = 0; h < 12; h++) {
      double mean = Double.parseDouble(f.getString("total.periods[" + h + "].mean"));
      double upper = Double.parseDouble(f.getString("total.periods[" + h + "].bounds.'95'.upper"));
      double servicesUpper = 0;
      for (int s = 0; s < 2; s++) {
        servicesUpper +=
            Double.parseDouble(
                f.getString("services[" + s + "].periods[" + h + "].bounds.'95'.upper"));
      }
      assertThat(upper).isGreaterThanOrEqualTo(mean).isLessThanOrEqualTo(servicesUpper + 0.01);
    }
  }

  @Test
  void exportsAreCsvJsonAndAPdfWithTheChart() throws Exception {
    UUID tenant = tenantWithHistory();
    String owner = tierToken(tenant, "fintech", 12, "owner");
    String id = forecast(owner, "{\"horizon\":6}").statusCode(201).extract().path("id");
    String csv =
        given()
            .auth()
            .oauth2(owner)
            .get("/v1/forecasts/" + id + "/export?format=csv")
            .then()
            .statusCode(200)
            .contentType(org.hamcrest.Matchers.startsWith("text/csv"))
            .header("Content-Disposition", org.hamcrest.Matchers.containsString(".csv"))
            .extract()
            .asString();
    String[] lines = csv.split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "series,model,period_start,mean,lower_65,upper_65,lower_80,upper_80,lower_95,upper_95,change_percent,currency");
    assertThat(lines).hasSize(1 + 3 * 6); // total, EC2, RDS × 6 months
    assertThat(lines[1]).startsWith("total,");
    given()
        .auth()
        .oauth2(owner)
        .get("/v1/forecasts/" + id + "/export?format=json")
        .then()
        .statusCode(200)
        .body("id", equalTo(id))
        .body("total.periods", hasSize(6));
    byte[] pdf =
        given()
            .auth()
            .oauth2(owner)
            .get("/v1/forecasts/" + id + "/export?format=pdf")
            .then()
            .statusCode(200)
            .contentType("application/pdf")
            .extract()
            .asByteArray();
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text)
          .contains("Cost forecast, 6 months by month")
          .contains("95 % high")
          .contains("EC2");
      int images = 0;
      for (var name : doc.getPage(0).getResources().getXObjectNames()) {
        if (doc.getPage(0).getResources().getXObject(name) instanceof PDImageXObject image) {
          assertThat(image.getWidth()).isEqualTo(1000);
          images++;
        }
      }
      assertThat(images).as("the chart").isEqualTo(1);
    }
    problem(
        given().auth().oauth2(owner).get("/v1/forecasts/" + id + "/export?format=xlsx").then(),
        400,
        "validation-failed");
  }

  @Test
  void aHorizonBeyondTheTierIsA403NamingTheFeature() {
    UUID tenant = tenantWithHistory();
    problem(forecast(token(tenant, "owner"), "{\"horizon\":6}"), 403, "feature-not-in-tier")
        .body("feature", equalTo("forecastHorizonMonths"))
        .body("limit", equalTo(3))
        .body("tier", equalTo("standard"));
    problem(
            forecast(tierToken(tenant, "fintech", 12, "owner"), "{\"horizon\":24}"),
            403,
            "feature-not-in-tier")
        .body("limit", equalTo(12));
    forecast(tierToken(tenant, "government", 24, "owner"), "{\"horizon\":24}")
        .statusCode(201)
        .body("total.periods", hasSize(24));
    forecast(token(tenant, "owner"), "{\"horizon\":3}").statusCode(201);
  }

  @Test
  void tooLittleHistoryIsA422NamingTheMinimum() {
    UUID tenant = UUID.randomUUID();
    String owner = token(tenant, "owner");
    problem(forecast(owner, "{\"horizon\":3}"), 422, "insufficient-history");
    importCosts(owner, "month", monthly("S3", 100, 110, 120, 130, 140)).statusCode(200);
    problem(forecast(owner, "{\"horizon\":3}"), 422, "insufficient-history")
        .body("available", equalTo(5))
        .body("minimum", org.hamcrest.Matchers.greaterThan(5))
        .body("detail", org.hamcrest.Matchers.containsString("at least"));
    problem(
        forecast(owner, "{\"horizon\":3,\"granularity\":\"day\"}"), 422, "insufficient-history");
  }

  @Test
  void aPureLinearHistoryIsForecastExactly() {
    UUID tenant = UUID.randomUUID();
    double[] v = new double[24];
    for (int t = 0; t < v.length; t++) {
      v[t] = 1_000 + 25 * t;
    }
    String owner = token(tenant, "owner");
    importCosts(owner, "month", monthly("Lambda", v)).statusCode(200);
    JsonPath f = forecast(owner, "{\"horizon\":3}").statusCode(201).extract().jsonPath();
    for (int h = 0; h < 3; h++) {
      assertThat(f.getString("total.periods[" + h + "].mean"))
          .isEqualTo(new BigDecimal(1_000 + 25 * (24 + h)).setScale(2).toPlainString());
    }
    assertThat(f.getString("total.trend.label")).isEqualTo("increasing");
  }

  @Test
  void dailyForecastsUseTheWeek() {
    UUID tenant = UUID.randomUUID();
    List<String> rows = new ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int d = 120; d >= 1; d--) {
      var day = today().minusDays(d);
      double weekday = day.getDayOfWeek().getValue() >= 6 ? 40 : 100;
      rows.add(
          row(
              day,
              "EC2",
              String.format(java.util.Locale.ROOT, "%.2f", weekday + random.nextGaussian())));
    }
    String owner = token(tenant, "owner");
    importCosts(owner, "day", rows).statusCode(200);
    JsonPath f =
        forecast(owner, "{\"horizon\":3,\"granularity\":\"day\"}")
            .statusCode(201)
            .extract()
            .jsonPath();
    int days = (int) java.time.temporal.ChronoUnit.DAYS.between(today(), today().plusMonths(3));
    assertThat(f.getList("total.periods")).hasSize(days);
    assertThat(f.getString("total.periods[0].periodStart")).isEqualTo(today().toString());
    assertThat(f.getString("total.model"))
        .as("a weekly season")
        .isIn(
            "seasonal_naive",
            "holt_winters_additive",
            "holt_winters_multiplicative",
            "holt_winters_damped");
    for (int h = 0; h < 7; h++) {
      var day = today().plusDays(h);
      double mean = Double.parseDouble(f.getString("total.periods[" + h + "].mean"));
      assertThat(mean)
          .isCloseTo(
              day.getDayOfWeek().getValue() >= 6 ? 40 : 100,
              org.assertj.core.data.Offset.offset(5.0));
    }
  }

  @Test
  void importsAreIdempotentAndCsvExportsImportAsThey() {
    UUID tenant = UUID.randomUUID();
    String billing = token(tenant, "billing");
    String csv =
        "Date,Service,Amount,Currency,Usage Type\r\n"
            + monthsAgo(2)
            + ",Amazon Elastic Compute Cloud - Compute,1200.123456,USD,BoxUsage\r\n"
            + monthsAgo(1)
            + ",\"Amazon Simple Storage Service\",300.5,USD,Storage\r\n";
    postCosts(billing, "text/csv", "/v1/forecasts/costs?granularity=month", csv)
        .statusCode(200)
        .body("inserted", equalTo(2))
        .body("services", equalTo(List.of("EC2", "S3")));
    postCosts(billing, "text/csv", "/v1/forecasts/costs?granularity=month", csv)
        .statusCode(200)
        .body("inserted", equalTo(0))
        .body("unchanged", equalTo(2));
    importCosts(billing, "month", List.of(row(monthsAgo(1), "S3", "310.00")))
        .statusCode(200)
        .body("replaced", equalTo(1));
    assertThat(
            TestDatabase.rows(
                "select service, amount::text as amount from cost_point where tenant_id = ?::uuid order by service",
                tenant.toString()))
        .containsExactly(
            Map.of("service", "EC2", "amount", "1200.12"),
            Map.of("service", "S3", "amount", "310.00"));
  }

  @Test
  void badImportsAreRefusedWholeWithEveryBadRowNamed() {
    UUID tenant = UUID.randomUUID();
    String billing = token(tenant, "billing");
    var d = monthsAgo(3);
    problem(
            importCosts(
                billing,
                "month",
                List.of(
                    row(d, "EC2", "10"),
                    row(d, "EC2", "11"),
                    row(d, "EC3", "1"),
                    row(d.plusMonths(1), "S3", "-5"),
                    row(d.plusMonths(1), "RDS", "NaN"),
                    row(d.plusDays(3), "RDS", "1"),
                    row(today().plusDays(40).withDayOfMonth(1), "RDS", "1"),
                    "{\"date\":\"2026-13-01\",\"service\":\"RDS\",\"amount\":\"1\",\"currency\":\"usd\"}",
                    row(d, "SecureBase", "1"))),
            422,
            "invalid-cost-records")
        .body("invalidRows", equalTo(9 - 1))
        .body("errors.row", equalTo(List.of(2, 3, 4, 5, 6, 7, 8, 8, 9)))
        .body(
            "errors.field",
            equalTo(
                List.of(
                    "date",
                    "service",
                    "amount",
                    "amount",
                    "date",
                    "date",
                    "date",
                    "currency",
                    "service")));
    assertThat(
            TestDatabase.count(
                "select count(*) from cost_point where tenant_id = ?::uuid", tenant.toString()))
        .isZero();
    problem(importCosts(billing, "month", List.of()), 400, "validation-failed");
    problem(
        postCosts(billing, "application/json", "/v1/forecasts/costs", "{\"records\":[{\"date\":"),
        400,
        "malformed-request");
    problem(
        postCosts(
            billing, "application/json", "/v1/forecasts/costs", "{\"records\":[],\"extra\":1}"),
        400,
        "validation-failed");
    problem(
        postCosts(
            billing,
            "application/json",
            "/v1/forecasts/costs",
            "{\"granularity\":\"week\",\"records\":[]}"),
        400,
        "validation-failed");
    problem(
        postCosts(
            billing,
            "application/json",
            "/v1/forecasts/costs",
            "{\"records\":[{\"date\":\""
                + d
                + "\",\"service\":\"EC2\",\"amount\":1,\"currency\":\"USD\",\"note\":\"x\"}]}"),
        400,
        "validation-failed");
    problem(
        postCosts(billing, "text/csv", "/v1/forecasts/costs", "day,what\r\n1,2\r\n"),
        400,
        "validation-failed");
    problem(
        postCosts(
            billing,
            "application/json",
            "/v1/forecasts/costs",
            "{\"records\":[],\"pad\":\"" + "x".repeat(4_300_000) + "\"}"),
        413,
        "payload-too-large");
  }

  @Test
  void badForecastRequestsAreProblemsNot500s() {
    UUID tenant = tenantWithHistory();
    String owner = tierToken(tenant, "government", 24, "owner");
    problem(forecast(owner, "{\"horizon\":5}"), 400, "validation-failed");
    problem(forecast(owner, "{\"horizon\":\"twelve\"}"), 400, "invalid-value");
    problem(forecast(owner, "{\"horizon\":12,\"granularity\":\"week\"}"), 400, "invalid-value");
    problem(forecast(owner, "{}"), 400, "validation-failed");
    problem(forecast(owner, "{\"horizon\":12,\"colour\":1}"), 400, "unknown-field");
    problem(forecast(owner, "{\"horizon\":"), 400, "malformed-request");
    problem(forecast(owner, "{\"horizon\":12,\"currency\":\"EUR\"}"), 422, "insufficient-history");
    importCosts(
            token(tenant, "billing"),
            "month",
            List.of(
                "{\"date\":\""
                    + monthsAgo(1)
                    + "\",\"service\":\"S3\",\"amount\":\"1\",\"currency\":\"EUR\"}"))
        .statusCode(200);
    problem(forecast(owner, "{\"horizon\":12}"), 422, "currency-required")
        .body("currencies", equalTo(List.of("EUR", "USD")));
    forecast(owner, "{\"horizon\":12,\"currency\":\"USD\"}").statusCode(201);
  }

  @Test
  void otherTenantsForecastsAreNotFoundAndRolesAreEnforced() {
    UUID tenant = tenantWithHistory();
    String id =
        forecast(token(tenant, "owner"), "{\"horizon\":3}").statusCode(201).extract().path("id");
    String stranger = token(UUID.randomUUID(), "owner");
    for (String path :
        List.of(
            "/v1/forecasts/" + id,
            "/v1/forecasts/" + id + "/export?format=pdf",
            "/v1/forecasts/not-a-uuid",
            "/v1/forecasts/" + UUID.randomUUID())) {
      problem(given().auth().oauth2(stranger).get(path).then(), 404, "not-found");
    }
    given()
        .auth()
        .oauth2(stranger)
        .get("/v1/forecasts")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
    problem(forecast(token(tenant, "support"), "{\"horizon\":3}"), 403, "forbidden");
    problem(forecast(token(tenant, "viewer"), "{\"horizon\":3}"), 403, "forbidden");
    problem(importCosts(token(tenant, "analyst"), "month", monthly("S3", 1)), 403, "forbidden");
    problem(given().get("/v1/forecasts").then(), 401, "unauthorized");
  }
}
