package com.securebase.analytics;

import static com.securebase.analytics.AnalyticsFixtures.badRequest;
import static com.securebase.analytics.AnalyticsFixtures.ingest;
import static com.securebase.analytics.AnalyticsFixtures.point;
import static com.securebase.analytics.AnalyticsFixtures.points;
import static com.securebase.analytics.AnalyticsFixtures.problem;
import static com.securebase.analytics.AnalyticsFixtures.query;
import static com.securebase.analytics.AnalyticsFixtures.spec;
import static com.securebase.analytics.AnalyticsFixtures.token;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Ingest and queries over the real Postgres, against answers worked out by hand. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "analytics"))
class QueryApiTest {
  private static final String M = "api.latency";

  /** Two days ago, midnight UTC: far enough back that every point is in the past. */
  private static final Instant BASE =
      LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant();

  /** Without a bucket, the one row of each group is labelled with the range's start. */
  private static final String ALL = BASE.atOffset(ZoneOffset.UTC).toString();

  private static Instant at(int minutes) {
    return BASE.plus(Duration.ofMinutes(minutes));
  }

  /**
   * eu: 10 (api, prod), 20 (web, prod), 50 (api, no tags) · us: 30 (api, dev), 40 (api, prod). On
   * the first day 10, 20, 30; on the second 40, 50.
   */
  private static String seeded() {
    UUID tenant = UUID.randomUUID();
    String token = token(tenant, "analyst");
    ingest(
            token,
            points(
                point(M, at(60), 10, "eu", "api", Map.of("env", "prod")),
                point(M, at(90), 20, "eu", "web", Map.of("env", "prod")),
                point(M, at(130), 30, "us", "api", Map.of("env", "dev")),
                point(M, at(25 * 60), 40, "us", "api", Map.of("env", "prod")),
                point(M, at(26 * 60), 50, "eu", "api", null)))
        .statusCode(200)
        .body("accepted", equalTo(5));
    return token;
  }

  private static JsonNode answer(String token, Map<String, Object> spec) {
    String body = query(token, spec).statusCode(200).extract().asString();
    try {
      return EventJson.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new AssertionError(body, e);
    }
  }

  /** The rows as "bucket|metric|group...=value..." lines, in the answer's order. */
  private static List<String> lines(JsonNode answer, String... aggregations) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : answer.path("rows")) {
      StringBuilder s = new StringBuilder();
      s.append(r.path("bucket").asText());
      r.path("groups").forEach(g -> s.append('|').append(g.isNull() ? "null" : g.asText()));
      for (String a : aggregations) {
        s.append('|').append(a).append('=').append(r.path("values").path(a).asText());
      }
      out.add(s.toString());
    }
    return out;
  }

  private static Map<String, Object> range(Object... more) {
    Map<String, Object> s =
        spec(
            "metrics",
            List.of(M),
            "from",
            BASE.toString(),
            "to",
            BASE.plus(Duration.ofDays(2)).toString());
    s.putAll(spec(more));
    return s;
  }

  @Test
  void everyAggregationGroupedByADimensionMatchesTheHandComputedAnswer() {
    String token = seeded();
    JsonNode a =
        answer(
            token,
            range(
                "aggregations", List.of("sum", "avg", "min", "max", "count", "p95"),
                "groupBy", List.of("region")));
    assertThat(a.path("source").asText()).isEqualTo("points"); // p95 needs every point
    JsonNode eu = a.path("rows").get(0).path("values");
    JsonNode us = a.path("rows").get(1).path("values");
    assertThat(a.path("rows").get(0).path("groups").path("region").asText()).isEqualTo("eu");
    assertThat(eu.path("sum").asDouble()).isEqualTo(80.0);
    assertThat(eu.path("avg").asDouble()).isCloseTo(80.0 / 3, within(1e-9));
    assertThat(eu.path("min").asDouble()).isEqualTo(10.0);
    assertThat(eu.path("max").asDouble()).isEqualTo(50.0);
    assertThat(eu.path("count").isIntegralNumber()).isTrue();
    assertThat(eu.path("count").asLong()).isEqualTo(3);
    // Linear interpolation over [10, 20, 50]: rank 0.95 * 2 = 1.9, so 20 + 0.9 * 30.
    assertThat(eu.path("p95").asDouble()).isCloseTo(47.0, within(1e-9));
    assertThat(us.path("sum").asDouble()).isEqualTo(70.0);
    assertThat(us.path("avg").asDouble()).isEqualTo(35.0);
    assertThat(us.path("count").asLong()).isEqualTo(2);
    assertThat(us.path("p95").asDouble()).isCloseTo(39.5, within(1e-9));
  }

  @Test
  void groupsByTwoDimensionsAndByATagWithNullForPointsWithoutIt() {
    String token = seeded();
    assertThat(lines(answer(token, range("groupBy", List.of("region", "service"))), "sum"))
        .containsExactly(
            ALL + "|eu|api|sum=60.0", ALL + "|eu|web|sum=20.0", ALL + "|us|api|sum=70.0");
    assertThat(lines(answer(token, range("groupBy", List.of("tags.env"))), "sum"))
        .containsExactly(ALL + "|dev|sum=30.0", ALL + "|prod|sum=70.0", ALL + "|null|sum=50.0");
  }

  @Test
  void filtersByEqualsInAndTag() {
    String token = seeded();
    assertThat(
            lines(
                answer(
                    token,
                    range(
                        "filters",
                        List.of(Map.of("field", "tags.env", "op", "equals", "value", "prod")),
                        "aggregations",
                        List.of("sum", "count"))),
                "sum",
                "count"))
        .containsExactly(ALL + "|sum=70.0|count=3");
    assertThat(
            lines(
                answer(
                    token,
                    range(
                        "groupBy",
                        List.of("service"),
                        "filters",
                        List.of(
                            Map.of("field", "region", "op", "in", "values", List.of("eu", "xx")),
                            Map.of("field", "service", "op", "equals", "value", "api")))),
                "sum"))
        .containsExactly(ALL + "|api|sum=60.0");
  }

  @Test
  void bucketsByHourAndDayFromTheRollupGiveWhatThePointsGive() {
    String token = seeded();
    JsonNode byRollup =
        answer(token, range("bucket", "day", "aggregations", List.of("sum", "count", "max")));
    assertThat(byRollup.path("source").asText()).isEqualTo("rollup");
    String day0 = BASE.atOffset(ZoneOffset.UTC).toString();
    String day1 = BASE.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC).toString();
    assertThat(lines(byRollup, "sum", "count", "max"))
        .containsExactly(day0 + "|sum=60.0|count=3|max=30.0", day1 + "|sum=90.0|count=2|max=50.0");
    // p95 forces the raw points; sum, count and max must not change with the source.
    JsonNode byPoints =
        answer(
            token, range("bucket", "day", "aggregations", List.of("sum", "count", "max", "p95")));
    assertThat(byPoints.path("source").asText()).isEqualTo("points");
    assertThat(lines(byPoints, "sum", "count", "max"))
        .isEqualTo(lines(byRollup, "sum", "count", "max"));
    assertThat(lines(answer(token, range("bucket", "hour")), "sum"))
        .containsExactly(
            at(60).atOffset(ZoneOffset.UTC) + "|sum=30.0",
            at(120).atOffset(ZoneOffset.UTC) + "|sum=30.0",
            at(25 * 60).atOffset(ZoneOffset.UTC) + "|sum=40.0",
            at(26 * 60).atOffset(ZoneOffset.UTC) + "|sum=50.0");
  }

  /**
   * Daily buckets in Europe/Paris across its latest clock change: the day of the change is 23 or 25
   * hours long, and a point late that evening belongs to it, not to the next day as a fixed offset
   * would have it.
   */
  @Test
  void dayBucketsFollowTheZonesClockChange() {
    ZoneId paris = ZoneId.of("Europe/Paris");
    var change = paris.getRules().previousTransition(Instant.now());
    LocalDate day = change.getDateTimeBefore().toLocalDate();
    Instant start = day.atStartOfDay(paris).toInstant();
    Instant next = day.plusDays(1).atStartOfDay(paris).toInstant();
    assertThat(Duration.between(start, next).toHours()).isIn(23L, 25L);
    UUID tenant = UUID.randomUUID();
    String token = token(tenant, "analyst");
    ingest(
            token,
            points(
                point("dst", start.plus(Duration.ofMinutes(30)), 1, null, null, null),
                point("dst", next.minus(Duration.ofMinutes(30)), 2, null, null, null),
                point("dst", next.plus(Duration.ofMinutes(30)), 4, null, null, null)))
        .statusCode(200);
    Map<String, Object> s =
        spec(
            "metrics", List.of("dst"),
            "from", start.minus(Duration.ofDays(1)).toString(),
            "to", next.plus(Duration.ofDays(1)).toString(),
            "bucket", "day",
            "timeZone", "Europe/Paris",
            "aggregations", List.of("sum"));
    assertThat(lines(answer(token, s), "sum"))
        .containsExactly(
            start.atZone(paris).toOffsetDateTime() + "|sum=3.0",
            next.atZone(paris).toOffsetDateTime() + "|sum=4.0");
    assertThat(start.atZone(paris).getOffset()).isNotEqualTo(next.atZone(paris).getOffset());
  }

  @Test
  void ingestAnswersPerRecordAndARepeatIsADuplicate() {
    UUID tenant = UUID.randomUUID();
    String token = token(tenant, "analyst");
    Map<String, Object> withId = point("jobs", at(5), 1, null, null, null);
    withId.put("id", "job-1");
    Map<String, Object> future =
        point("jobs", Instant.now().plus(Duration.ofDays(2)), 1, null, null, null);
    Map<String, Object> badValue = point("jobs", at(6), 1, null, null, null);
    badValue.put("value", "many");
    Map<String, Object> badMetric =
        point("jobs; drop table metric_point", at(7), 1, null, null, null);
    ingest(
            token,
            points(withId, point("jobs", at(6), 2, null, null, null), future, badValue, badMetric))
        .statusCode(200)
        .body("accepted", equalTo(2))
        .body("rejected", equalTo(3))
        .body("results[0].status", equalTo("accepted"))
        .body("results[0].id", equalTo("job-1"))
        .body("results[2].error.field", equalTo("timestamp"))
        .body("results[3].error.field", equalTo("value"))
        .body("results[4].error.field", equalTo("metric"));
    // Sent again: the same two points, by id and by content, are duplicates and count once.
    ingest(token, points(withId, point("jobs", at(6), 2, null, null, null)))
        .statusCode(200)
        .body("accepted", equalTo(0))
        .body("duplicates", equalTo(2));
    assertThat(
            TestDatabase.count(
                "select count(*) from analytics.metric_point where tenant_id = ?::uuid",
                tenant.toString()))
        .isEqualTo(2);
    problem(ingest(token, points(future)), 422, "points-rejected");
    badRequest(ingest(token, List.of()), "validation-failed");
    List<Map<String, Object>> tooMany = new ArrayList<>();
    for (int i = 0; i < 5_001; i++) {
      tooMany.add(point("jobs", at(i % 600), i, null, null, null));
    }
    badRequest(ingest(token, tooMany), "validation-failed");
    badRequest(
        given()
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body("{\"points\": [")
            .post("/v1/analytics/metrics")
            .then(),
        "malformed-request");
    // A viewer reads but does not write.
    problem(
        ingest(token(tenant, "viewer"), points(point("jobs", at(9), 1, null, null, null))),
        403,
        "forbidden");
  }

  @Test
  void badQueriesAreClearProblemsAndNamesNeverReachTheSql() {
    String token = seeded();
    problem(query(token, range("metrics", List.of("never.recorded"))), 422, "unknown-metric");
    badRequest(query(token, range("groupBy", List.of("colour"))), "validation-failed");
    badRequest(
        query(token, range("groupBy", List.of("tags.env); drop table x; --"))),
        "validation-failed");
    badRequest(query(token, range("metrics", List.of("x' or '1'='1"))), "validation-failed");
    badRequest(query(token, range("aggregations", List.of("median"))), "validation-failed");
    badRequest(query(token, range("bucket", "fortnight")), "validation-failed");
    badRequest(query(token, range("timeZone", "Mars/Olympus")), "validation-failed");
    badRequest(query(token, range("limit", 0)), "validation-failed");
    badRequest(query(token, range("limit", "ten")), "validation-failed", "invalid-value");
    badRequest(query(token, range("to", "2026-13-45T00:00:00Z")), "validation-failed");
    badRequest(query(token, range("from", "0001-01-01T00:00:00Z")), "validation-failed");
    badRequest(query(token, spec("metrics", List.of(M), "last", "P100000D")), "validation-failed");
    badRequest(query(token, range("colour", "red")), "unknown-field");
    problem(
        query(token, spec("metrics", List.of(M), "last", "P3000D", "bucket", "hour")),
        422,
        "query-too-large");
    // A value with SQL in it is only ever a bound value: it matches nothing.
    assertThat(
            answer(
                    token,
                    range(
                        "filters",
                        List.of(
                            Map.of("field", "region", "op", "equals", "value", "eu' or '1'='1"))))
                .path("rows"))
        .isEmpty();
    badRequest(
        given()
            .header("Authorization", "Bearer " + token)
            .contentType(ContentType.JSON)
            .body("{metrics: nope")
            .post("/v1/analytics/query")
            .then(),
        "malformed-request");
  }

  @Test
  void anotherTenantSeesNothingOfThisTenantsPoints() {
    seeded();
    String other = token(UUID.randomUUID(), "analyst");
    problem(query(other, range()), 422, "unknown-metric");
    given()
        .header("Authorization", "Bearer " + other)
        .get("/v1/analytics/metrics")
        .then()
        .statusCode(200)
        .body("items.metric", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(M)));
    given()
        .contentType(ContentType.JSON)
        .body(range())
        .post("/v1/analytics/query")
        .then()
        .statusCode(401);
  }

  @Test
  void cachedAnswersAreDroppedWhenPointsLandInTheirRange() {
    UUID tenant = UUID.randomUUID();
    String token = token(tenant, "analyst");
    ingest(token, points(point("orders", at(10), 5, null, null, null))).statusCode(200);
    Map<String, Object> s = range("metrics", List.of("orders"));
    assertThat(answer(token, s).path("cached").asBoolean()).isFalse();
    JsonNode again = answer(token, s);
    assertThat(again.path("cached").asBoolean()).isTrue();
    assertThat(again.path("rows").get(0).path("values").path("sum").asDouble()).isEqualTo(5.0);
    // A point outside the range leaves it cached; one inside drops it.
    ingest(token, points(point("orders", BASE.minus(Duration.ofDays(3)), 100, null, null, null)))
        .statusCode(200);
    assertThat(answer(token, s).path("cached").asBoolean()).isTrue();
    ingest(token, points(point("orders", at(20), 7, null, null, null))).statusCode(200);
    JsonNode fresh = answer(token, s);
    assertThat(fresh.path("cached").asBoolean()).isFalse();
    assertThat(fresh.path("rows").get(0).path("values").path("sum").asDouble()).isEqualTo(12.0);
  }

  @Test
  void rowLimitTruncatesAndSaysSo() {
    UUID tenant = UUID.randomUUID();
    String token = token(tenant, "analyst");
    List<Map<String, Object>> many = new ArrayList<>();
    for (int h = 0; h < 30; h++) {
      many.add(point("ticks", BASE.plus(h, ChronoUnit.HOURS), h, null, null, null));
    }
    ingest(token, many).statusCode(200).body("accepted", equalTo(30));
    JsonNode a = answer(token, range("metrics", List.of("ticks"), "bucket", "hour", "limit", 10));
    assertThat(a.path("rows")).hasSize(10);
    assertThat(a.path("truncated").asBoolean()).isTrue();
    assertThat(a.path("rowCount").asInt()).isEqualTo(10);
    assertThat(a.path("rows").get(9).path("bucket").asText())
        .isEqualTo(BASE.plus(9, ChronoUnit.HOURS).atOffset(ZoneOffset.UTC).toString());
  }
}
