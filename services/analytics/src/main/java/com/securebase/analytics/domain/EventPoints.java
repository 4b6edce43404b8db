package com.securebase.analytics.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The points other services' events become. Each point's id is the event's id, and its time the
 * event's own time, so a redelivered event is the same point again.
 *
 * <ul>
 *   <li>{@code usage.<metric code>}: billing's usage records, the quantity;
 *   <li>{@code billing.invoice.total}: each finalized invoice's total (tags currency, tier);
 *   <li>{@code support.tickets.created}: 1 per ticket (tags priority, category);
 *   <li>{@code support.sla.breaches}: 1 per breached first-response SLA (tag priority);
 *   <li>{@code webhooks.deliveries.dead_lettered}: 1 per message given up (tag eventType).
 * </ul>
 */
public final class EventPoints {
  private EventPoints() {}

  public static final String INVOICE_TOTAL = "billing.invoice.total";
  public static final String TICKETS_CREATED = "support.tickets.created";
  public static final String SLA_BREACHES = "support.sla.breaches";
  public static final String DEAD_LETTERED = "webhooks.deliveries.dead_lettered";

  /** The built-in metrics (usage metrics are named by billing's metric codes). */
  public static final Set<String> METRICS =
      Set.of(INVOICE_TOTAL, TICKETS_CREATED, SLA_BREACHES, DEAD_LETTERED);

  public static Optional<MetricPoint> of(String eventId, String type, JsonNode d) {
    return Optional.ofNullable(
        switch (type) {
          case "securebase.billing.usage.recorded" -> usage(eventId, d);
          case "securebase.billing.invoice.finalized" ->
              point(
                  eventId,
                  d.path("finalizedAt").asText(),
                  INVOICE_TOTAL,
                  d.path("total").asDouble(),
                  tags("currency", d.path("currency"), "tier", d.path("tier")));
          case "securebase.support.ticket.created" ->
              point(
                  eventId,
                  d.path("createdAt").asText(),
                  TICKETS_CREATED,
                  1,
                  tags("priority", d.path("priority"), "category", d.path("category")));
          case "securebase.support.ticket.sla_breached" ->
              point(
                  eventId,
                  d.path("breachedAt").asText(),
                  SLA_BREACHES,
                  1,
                  tags("priority", d.path("priority"), null, null));
          case "securebase.webhooks.message.dead_lettered" ->
              point(
                  eventId,
                  d.path("deadLetteredAt").asText(),
                  DEAD_LETTERED,
                  1,
                  tags("eventType", d.path("eventType"), null, null));
          default -> null;
        });
  }

  /** The event types read (their topics are the consumer's). */
  public static final List<String> TYPES =
      List.of(
          "securebase.billing.usage.recorded",
          "securebase.billing.invoice.finalized",
          "securebase.support.ticket.created",
          "securebase.support.ticket.sla_breached",
          "securebase.webhooks.message.dead_lettered");

  /** A billing metric code as a metric name: lower case, anything else than [a-z0-9_.-] as _. */
  static String metricName(String code) {
    String name = code.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "_");
    return name.isEmpty() ? "unnamed" : name.substring(0, Math.min(name.length(), 90));
  }

  /**
   * A usage record's dimensions region, service and account are the point's; its other string
   * dimensions with tag-shaped names become tags (at most {@value PointRecord#MAX_TAGS}).
   */
  private static MetricPoint usage(String eventId, JsonNode d) {
    MetricPoint p =
        point(
            eventId,
            d.path("timestamp").asText(),
            "usage." + metricName(d.path("metricCode").asText()),
            d.path("quantity").asDouble(),
            Map.of());
    if (p == null) {
      return null;
    }
    JsonNode dims = d.path("dimensions");
    Map<String, String> tags = new LinkedHashMap<>();
    for (var it = dims.fields(); it.hasNext() && tags.size() < PointRecord.MAX_TAGS; ) {
      var e = it.next();
      if (e.getValue().isTextual()
          && !Set.of("region", "service", "account").contains(e.getKey())
          && Field.TAG_NAME.matcher(e.getKey()).matches()) {
        tags.put(e.getKey(), cut(e.getValue().asText()));
      }
    }
    return new MetricPoint(
        p.id(),
        p.timestamp(),
        p.metric(),
        p.value(),
        cut(dims.path("region").asText("")),
        cut(dims.path("service").asText("")),
        cut(dims.path("account").asText("")),
        tags);
  }

  private static String cut(String v) {
    return v.length() <= QuerySpec.MAX_VALUE_LENGTH
        ? v
        : v.substring(0, QuerySpec.MAX_VALUE_LENGTH);
  }

  private static MetricPoint point(
      String id, String time, String metric, double value, Map<String, String> tags) {
    Instant ts;
    try {
      ts = OffsetDateTime.parse(time).toInstant();
    } catch (DateTimeParseException e) {
      return null; // not in the shape its schema gives: not a point (nothing to retry)
    }
    return new MetricPoint(id, ts, metric, value, "", "", "", tags);
  }

  private static Map<String, String> tags(String k1, JsonNode v1, String k2, JsonNode v2) {
    Map<String, String> t = new LinkedHashMap<>();
    if (v1 != null && v1.isTextual()) {
      t.put(k1, v1.asText());
    }
    if (k2 != null && v2 != null && v2.isTextual()) {
      t.put(k2, v2.asText());
    }
    return t;
  }
}
