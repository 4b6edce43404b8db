package com.securebase.analytics;

import static io.restassured.RestAssured.given;

import com.securebase.testkit.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;

/** Tokens, points and problem checks shared by analytics' tests. */
final class AnalyticsFixtures {
  private AnalyticsFixtures() {}

  static String token(UUID tenant, String... roles) {
    return TestTokens.user(tenant, UUID.randomUUID(), roles);
  }

  /** A user whose token carries the tier matrix row as the gateway signs it. */
  static String tierToken(UUID tenant, String tier, boolean scheduling, String... roles) {
    return TestTokens.sign(
        TestTokens.builder(tenant, UUID.randomUUID().toString(), roles)
            .claim("tier", tier)
            .claim("features", Map.of("reportScheduling", scheduling)));
  }

  static ValidatableResponse problem(ValidatableResponse r, int status, String slug) {
    return r.statusCode(status)
        .contentType("application/problem+json")
        .body("type", Matchers.equalTo("https://securebase.dev/problems/" + slug));
  }

  /** A 400 problem of one of {@code slugs}. */
  static ValidatableResponse badRequest(ValidatableResponse r, String... slugs) {
    return r.statusCode(400)
        .contentType("application/problem+json")
        .body(
            "type",
            Matchers.oneOf(
                Arrays.stream(slugs).map(s -> "https://securebase.dev/problems/" + s).toArray()));
  }

  /** One point as the API takes it; {@code dims} is region, service, account (null: absent). */
  static Map<String, Object> point(
      String metric,
      Instant at,
      double value,
      String region,
      String service,
      Map<String, String> tags) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("metric", metric);
    p.put("timestamp", at.toString());
    p.put("value", value);
    if (region != null) {
      p.put("region", region);
    }
    if (service != null) {
      p.put("service", service);
    }
    if (tags != null) {
      p.put("tags", tags);
    }
    return p;
  }

  static ValidatableResponse ingest(String token, List<Map<String, Object>> points) {
    return given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(Map.of("points", points))
        .post("/v1/analytics/metrics")
        .then();
  }

  static ValidatableResponse query(String token, Map<String, Object> spec) {
    return given()
        .header("Authorization", "Bearer " + token)
        .contentType(ContentType.JSON)
        .body(spec)
        .post("/v1/analytics/query")
        .then();
  }

  /** A query spec from alternating names and values. */
  static Map<String, Object> spec(Object... namesAndValues) {
    Map<String, Object> s = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      s.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return s;
  }

  static List<Map<String, Object>> points(Map<String, Object>... points) {
    return new ArrayList<>(List.of(points));
  }
}
