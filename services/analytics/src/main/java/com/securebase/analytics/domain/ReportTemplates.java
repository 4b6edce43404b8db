package com.securebase.analytics.domain;

import java.util.List;
import java.util.Map;

/**
 * The report templates a tenant can instantiate, over the metrics analytics feeds itself from other
 * services' events (so they show data without any set-up).
 */
public final class ReportTemplates {
  private ReportTemplates() {}

  public record Template(
      String template,
      String name,
      String description,
      QuerySpec query,
      String chart,
      String format) {}

  public static final Map<String, Template> ALL =
      Map.of(
          "cost",
          new Template(
              "cost",
              "Monthly cost",
              "Invoice totals per month over the last year, by currency.",
              new QuerySpec(
                  List.of(EventPoints.INVOICE_TOTAL),
                  List.of("sum", "count"),
                  List.of("tags.currency"),
                  List.of(),
                  null,
                  null,
                  "P12M",
                  "month",
                  "UTC",
                  null),
              "bar",
              "pdf"),
          "security",
          new Template(
              "security",
              "Weekly security signals",
              "Tickets opened by priority and webhook messages given up, per week over 12 weeks.",
              new QuerySpec(
                  List.of(EventPoints.TICKETS_CREATED, EventPoints.DEAD_LETTERED),
                  List.of("count"),
                  List.of("tags.priority"),
                  List.of(),
                  null,
                  null,
                  "P84D",
                  "week",
                  "UTC",
                  null),
              "line",
              "pdf"),
          "compliance",
          new Template(
              "compliance",
              "SLA compliance",
              "First-response SLA breaches per month by priority over the last year.",
              new QuerySpec(
                  List.of(EventPoints.SLA_BREACHES),
                  List.of("count"),
                  List.of("tags.priority"),
                  List.of(),
                  null,
                  null,
                  "P12M",
                  "month",
                  "UTC",
                  null),
              "bar",
              "pdf"));
}
