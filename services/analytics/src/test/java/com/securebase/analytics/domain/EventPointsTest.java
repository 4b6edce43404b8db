package com.securebase.analytics.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.securebase.events.EventJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each event type analytics reads, from the catalog's own example, as the point it becomes. */
class EventPointsTest {
  private static MetricPoint of(String type) throws Exception {
    JsonNode data =
        EventJson.MAPPER.readTree(
            Files.readString(Path.of("../../kafka/examples/" + type + ".json")));
    return EventPoints.of("evt-1", type, data).orElseThrow();
  }

  @Test
  void usageBecomesItsMetricWithItsDimensions() throws Exception {
    MetricPoint p = of("securebase.billing.usage.recorded");
    assertThat(p.metric()).isEqualTo("usage.cloudtrail_events");
    assertThat(p.value()).isEqualTo(125000.0);
    assertThat(p.timestamp()).isEqualTo(Instant.parse("2026-03-14T10:00:00Z"));
    assertThat(p.region()).isEqualTo("us-east-1");
    assertThat(p.service()).isEqualTo("cloudtrail");
    assertThat(p.account()).isEqualTo("123456789012");
    assertThat(p.id()).isEqualTo("evt-1");
  }

  @Test
  void invoicesTicketsBreachesAndDeadLettersBecomeTheirBuiltInMetrics() throws Exception {
    MetricPoint invoice = of("securebase.billing.invoice.finalized");
    assertThat(invoice.metric()).isEqualTo(EventPoints.INVOICE_TOTAL);
    assertThat(invoice.value()).isEqualTo(5570.54);
    assertThat(invoice.timestamp()).isEqualTo(Instant.parse("2026-04-01T09:15:03Z"));
    assertThat(invoice.tags()).isEqualTo(Map.of("currency", "USD", "tier", "fintech"));

    MetricPoint ticket = of("securebase.support.ticket.created");
    assertThat(ticket.metric()).isEqualTo(EventPoints.TICKETS_CREATED);
    assertThat(ticket.value()).isEqualTo(1.0);
    assertThat(ticket.tags())
        .containsEntry("priority", "high")
        .containsEntry("category", "data_ingestion");

    MetricPoint breach = of("securebase.support.ticket.sla_breached");
    assertThat(breach.metric()).isEqualTo(EventPoints.SLA_BREACHES);
    assertThat(breach.timestamp()).isEqualTo(Instant.parse("2026-03-21T23:41:00Z"));
    assertThat(breach.tags()).isEqualTo(Map.of("priority", "critical"));

    MetricPoint dead = of("securebase.webhooks.message.dead_lettered");
    assertThat(dead.metric()).isEqualTo(EventPoints.DEAD_LETTERED);
    assertThat(dead.tags())
        .isEqualTo(Map.of("eventType", "securebase.forecasting.cost.anomaly_detected"));
  }

  @Test
  void otherTypesAndEventsWithoutATimeAreNoPoint() throws Exception {
    assertThat(
            EventPoints.of(
                "e", "securebase.support.ticket.updated", EventJson.MAPPER.readTree("{}")))
        .isEmpty();
    assertThat(
            EventPoints.of(
                "e",
                "securebase.support.ticket.created",
                EventJson.MAPPER.readTree("{\"priority\":\"low\"}")))
        .isEmpty();
  }
}
