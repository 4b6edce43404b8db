package com.securebase.forecasting;

import static io.restassured.RestAssured.given;

import com.securebase.testkit.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tokens, cost imports and polling, shared by forecasting's tests. */
final class ForecastFixtures {
  private ForecastFixtures() {}

  static ValidatableResponse problem(ValidatableResponse r, int status, String slug) {
    return r.statusCode(status)
        .contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.equalTo("https://securebase.dev/problems/" + slug));
  }

  /** A 400 problem of one of {@code slugs} (the mapper names the kind of mistake). */
  static ValidatableResponse badRequest(ValidatableResponse r, String... slugs) {
    return r.statusCode(400)
        .contentType("application/problem+json")
        .body(
            "type",
            org.hamcrest.Matchers.oneOf(
                java.util.Arrays.stream(slugs)
                    .map(s -> "https://securebase.dev/problems/" + s)
                    .toArray()));
  }

  /** A user on the standard tier, whose token has no features claim (3 months' horizon). */
  static String token(UUID tenant, String... roles) {
    return TestTokens.user(tenant, UUID.randomUUID(), roles);
  }

  /** A user whose token carries the tier matrix row as the gateway signs it. */
  static String tierToken(UUID tenant, String tier, int horizonMonths, String... roles) {
    return TestTokens.sign(
        TestTokens.builder(tenant, UUID.randomUUID().toString(), roles)
            .claim("tier", tier)
            .claim("features", Map.of("forecastHorizonMonths", horizonMonths)));
  }

  static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** The first of the month {@code monthsAgo} months before this one. */
  static LocalDate monthsAgo(int monthsAgo) {
    return today().withDayOfMonth(1).minusMonths(monthsAgo);
  }

  /** Monthly rows of one service, the last value for last month. */
  static List<String> monthly(String service, double... values) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      rows.add(
          row(
              monthsAgo(values.length - i),
              service,
              String.format(java.util.Locale.ROOT, "%.2f", values[i])));
    }
    return rows;
  }

  static String row(LocalDate day, String service, String amount) {
    return "{\"date\":\""
        + day
        + "\",\"service\":\""
        + service
        + "\",\"amount\":\""
        + amount
        + "\",\"currency\":\"USD\"}";
  }

  static ValidatableResponse importCosts(String token, String granularity, List<String> rows) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(
            "{\"granularity\":\""
                + granularity
                + "\",\"records\":["
                + String.join(",", rows)
                + "]}")
        .post("/v1/forecasts/costs")
        .then();
  }

  static ValidatableResponse postCosts(String token, String contentType, String path, String body) {
    return given().auth().oauth2(token).contentType(contentType).body(body).post(path).then();
  }

  static ValidatableResponse forecast(String token, String body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/forecasts")
        .then();
  }

  /** A seasonal monthly series with a trend and small noise (fixed seed). */
  static double[] seasonal(int months, double base, double trend, double amplitude, long seed) {
    java.util.Random random = new java.util.Random(seed);
    double[] v = new double[months];
    for (int t = 0; t < months; t++) {
      v[t] =
          base
              + trend * t
              + amplitude * Math.sin(2 * Math.PI * t / 12.0)
              + random.nextGaussian() * base * 0.01;
    }
    return v;
  }

  /** Polls until {@code done}, failing the test with {@code what} on timeout. */
  static void until(java.util.function.BooleanSupplier done, String what) {
    com.securebase.testkit.Polling.until(done, what);
  }
}
