package com.securebase.analytics;

import static com.securebase.analytics.AnalyticsFixtures.ingest;
import static com.securebase.analytics.AnalyticsFixtures.point;
import static com.securebase.analytics.AnalyticsFixtures.points;
import static com.securebase.analytics.AnalyticsFixtures.query;
import static com.securebase.analytics.AnalyticsFixtures.spec;
import static com.securebase.analytics.AnalyticsFixtures.token;
import static com.securebase.testkit.Polling.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.catalog.EventCatalog;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Other services' events from the real broker become points once; new points are announced. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "analytics"))
class EventFeedTest {
  private static final Instant AT =
      Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

  /** The catalog's example of {@code type}, for {@code tenant}, with {@code changes} applied. */
  private static EventEnvelope example(
      String service, String type, UUID tenant, Map<String, Object> changes) {
    try {
      ObjectNode d =
          (ObjectNode)
              EventJson.MAPPER.readTree(
                  Files.readString(Path.of("../../kafka/examples/" + type + ".json")));
      d.put("tenantId", tenant.toString());
      changes.forEach((k, v) -> d.set(k, EventJson.MAPPER.valueToTree(v)));
      return new DomainEvents(service).create(type, tenant.toString(), tenant.toString(), d);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void publish(EventEnvelope e) {
    BrokerEvents.publish(EventCatalog.load().type(e.type()).topic(), e);
  }

  private static long stored(UUID tenant, String metric) {
    return TestDatabase.count(
        "select count(*) from analytics.metric_point where tenant_id = ?::uuid and metric = ?",
        tenant.toString(),
        metric);
  }

  @Test
  void usageAndTicketEventsBecomePointsOnceAndTheirDimensionsCanBeGroupedBy() {
    UUID tenant = UUID.randomUUID();
    EventEnvelope usage =
        example(
            "billing",
            "securebase.billing.usage.recorded",
            tenant,
            Map.of("timestamp", AT.toString(), "quantity", "125000"));
    EventEnvelope ticket =
        example(
            "support",
            "securebase.support.ticket.created",
            tenant,
            Map.of("createdAt", AT.toString(), "priority", "critical"));
    publish(usage);
    publish(ticket);
    until(
        () ->
            stored(tenant, "usage.cloudtrail_events") == 1
                && stored(tenant, "support.tickets.created") == 1,
        "both points");
    publish(usage); // redelivered: still one point
    EventEnvelope second =
        example(
            "billing",
            "securebase.billing.usage.recorded",
            tenant,
            Map.of("timestamp", AT.plusSeconds(60).toString(), "quantity", "5"));
    publish(second);
    until(
        () ->
            TestDatabase.count(
                    "select count(*) from analytics.processed_event where event_id = ?",
                    second.id())
                == 1,
        "the second usage event");
    assertThat(stored(tenant, "usage.cloudtrail_events")).isEqualTo(2);
    String token = token(tenant, "viewer");
    String body =
        query(
                token,
                spec(
                    "metrics", List.of("usage.cloudtrail_events", "support.tickets.created"),
                    "last", "P1D",
                    "groupBy", List.of("region", "tags.priority")))
            .statusCode(200)
            .extract()
            .asString();
    assertThat(body)
        .contains(
            "\"metric\":\"support.tickets.created\",\"groups\":{\"region\":\"\",\"tags.priority\":\"critical\"},\"values\":{\"sum\":1.0}")
        .contains(
            "\"metric\":\"usage.cloudtrail_events\",\"groups\":{\"region\":\"us-east-1\",\"tags.priority\":null},\"values\":{\"sum\":125005.0}");
  }

  @Test
  void theGatewaysTenantEventsBrandTheReportsAndAnOlderVersionChangesNothing() {
    UUID tenant = UUID.randomUUID();
    publish(
        example(
            "gateway",
            "securebase.gateway.tenant.updated",
            tenant,
            Map.of(
                "version",
                3,
                "branding",
                Map.of("displayName", "Acme Cloud", "primaryColor", "#0A7E3B"))));
    publish(
        example(
            "gateway",
            "securebase.gateway.tenant.updated",
            tenant,
            Map.of(
                "version",
                2,
                "branding",
                Map.of("displayName", "Old Name", "primaryColor", "#000000"))));
    until(
        () ->
            TestDatabase.rows(
                    "select display_name, primary_color, version from analytics.tenant_branding where tenant_id = ?::uuid",
                    tenant.toString())
                .equals(
                    List.of(
                        Map.of(
                            "display_name",
                            "Acme Cloud",
                            "primary_color",
                            "#0A7E3B",
                            "version",
                            3))),
        "version 3's branding, kept over the older version 2");
  }

  /** The test profile's window is 3 s (flushed every second). */
  @Test
  void newPointsAreAnnouncedAtMostOncePerWindowWithWhatLanded() {
    UUID tenant = UUID.randomUUID();
    String token = token(tenant, "analyst");
    java.util.function.Predicate<EventEnvelope> mine =
        e ->
            e.type().equals("securebase.analytics.metrics.updated")
                && e.tenantId().equals(tenant.toString());
    try (BrokerEvents events = BrokerEvents.on("securebase.analytics.events")) {
      ingest(token, points(point("cpu", AT, 1, null, null, null))).statusCode(200);
      var first = events.await(mine, 1, Duration.ofSeconds(20)).getFirst().data();
      assertThat(first.path("points").asLong()).isEqualTo(1);
      assertThat(first.path("from").asText()).isEqualTo(AT.toString());
      assertThat(first.path("metrics").toString()).contains("cpu");
      // Two more ingests right after the announcement: one announcement for both, a window later.
      ingest(token, points(point("mem", AT.plusSeconds(30), 2, null, null, null))).statusCode(200);
      ingest(token, points(point("disk", AT.plusSeconds(60), 3, null, null, null))).statusCode(200);
      List<EventEnvelope> both = events.await(mine, 2, Duration.ofSeconds(20));
      var second = both.get(1).data();
      assertThat(second.path("points").asLong()).isEqualTo(2);
      assertThat(second.path("metrics").toString()).contains("mem").contains("disk");
      assertThat(second.path("to").asText()).isEqualTo(AT.plusSeconds(60).toString());
      assertThat(
              Duration.between(
                  Instant.parse(first.path("updatedAt").asText()),
                  Instant.parse(second.path("updatedAt").asText())))
          .isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
      // A duplicate lands nothing and announces nothing.
      ingest(token, points(point("cpu", AT, 1, null, null, null)))
          .statusCode(200)
          .body("duplicates", org.hamcrest.Matchers.equalTo(1));
      assertThat(events.settle(mine, Duration.ofSeconds(5))).hasSize(2);
    }
  }
}
