package com.securebase.analytics.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.securebase.analytics.domain.Aggregation;
import com.securebase.analytics.domain.Field;
import com.securebase.analytics.domain.MetricQuery;
import com.securebase.analytics.domain.QuerySpec;
import com.securebase.analytics.domain.ResultRow;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of the analytics API. */
public final class AnalyticsRequests {
  private AnalyticsRequests() {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  // In IngestResult and in the points-rejected problem's extensions.
  @RegisterForReflection
  public record PointResult(int index, String id, String status, PointError error) {}

  // Nested in PointResult.
  @RegisterForReflection
  public record PointError(int status, String type, String field, String detail) {}

  // Response.ok entity of MetricResource.record.
  @RegisterForReflection
  public record IngestResult(
      int accepted, int duplicates, int rejected, List<PointResult> results) {}

  public record MetricView(String metric, boolean builtIn, Instant firstSeen, Instant lastSeen) {}

  public record MetricList(List<MetricView> items) {}

  /** The query as it ran: a relative range shows the window it resolved to. */
  // Nested in QueryAnswer.
  @RegisterForReflection
  public record ResolvedQuery(
      List<String> metrics,
      List<String> aggregations,
      List<String> groupBy,
      Instant from,
      Instant to,
      String bucket,
      String timeZone,
      int limit) {
    static ResolvedQuery of(MetricQuery q) {
      return new ResolvedQuery(
          q.metrics(),
          q.aggregations().stream().map(Aggregation::code).toList(),
          q.groupBy().stream().map(Field::name).toList(),
          q.from(),
          q.to(),
          q.bucket() == null ? null : q.bucket().code(),
          q.zone().getId(),
          q.limit());
    }
  }

  /**
   * One row: {@code bucket} is the bucket's start in the query's zone (with its offset), {@code
   * groups} the value of each groupBy field (null for a tag a point lacks), {@code values} one per
   * aggregation (count as an integer).
   */
  // Nested in QueryAnswer.
  @RegisterForReflection
  public record AnswerRow(
      String bucket, String metric, Map<String, String> groups, Map<String, Number> values) {
    static AnswerRow of(MetricQuery q, ResultRow r) {
      Map<String, String> groups = new LinkedHashMap<>();
      for (int i = 0; i < q.groupBy().size(); i++) {
        groups.put(q.groupBy().get(i).name(), r.groups().get(i));
      }
      Map<String, Number> values = new LinkedHashMap<>();
      for (int i = 0; i < q.aggregations().size(); i++) {
        values.put(q.aggregations().get(i).code(), q.aggregations().get(i).number(r.values()[i]));
      }
      return new AnswerRow(q.bucketText(r.bucket()), r.metric(), groups, values);
    }
  }

  /**
   * {@code source}: {@code rollup} (hourly rollup) or {@code points}; {@code cached}: served from
   * the result cache; {@code truncated}: there were more rows than the limit.
   */
  // Cached through JsonObject.mapFrom/mapTo (QueryResource.Answers).
  @RegisterForReflection
  public record QueryAnswer(
      ResolvedQuery query,
      List<AnswerRow> rows,
      int rowCount,
      boolean truncated,
      String source,
      boolean cached,
      Instant computedAt) {
    QueryAnswer asCached() {
      return new QueryAnswer(query, rows, rowCount, truncated, source, true, computedAt);
    }
  }

  public record ReportRequest(
      @NotBlank @Size(max = 200) String name,
      @Size(max = 2000) String description,
      @Pattern(
              regexp = "^(cost|security|compliance)$",
              message = "must be one of cost, security, compliance")
          String template,
      @Valid QuerySpec query,
      @Pattern(
              regexp = "^(table|line|bar|area)$",
              message = "must be one of table, line, bar, area")
          String chart,
      @Pattern(regexp = "^(json|csv|pdf|xlsx)$", message = "must be one of json, csv, pdf, xlsx")
          String format) {}

  // Nested in ReportView.
  @RegisterForReflection
  public record ShareView(
      String principalType,
      String principal,
      String permission,
      String createdBy,
      Instant createdAt) {}

  // Response.created entity of ReportResource.create.
  @RegisterForReflection
  public record ReportView(
      UUID id,
      String name,
      String description,
      String template,
      QuerySpec query,
      String chart,
      String format,
      String createdBy,
      Instant createdAt,
      Instant updatedAt,
      int version,
      String access,
      List<ShareView> shares) {}

  public record ReportPage(List<ReportView> items, String nextCursor) {}

  public record ShareRequest(
      @NotNull @Pattern(regexp = "^(user|role)$", message = "must be user or role")
          String principalType,
      @NotBlank @Size(max = 100) String principal,
      @NotNull @Pattern(regexp = "^(view|edit)$", message = "must be view or edit")
          String permission) {}

  public record TemplateView(
      String template,
      String name,
      String description,
      QuerySpec query,
      String chart,
      String format) {}

  public record TemplateList(List<TemplateView> items) {}

  /**
   * {@code type} email (with {@code address}), slack (with {@code url}, an incoming-webhook URL),
   * or webhook (the run's report events reach the tenant's webhook endpoints).
   */
  public record RecipientSpec(
      @NotNull
          @Pattern(
              regexp = "^(email|slack|webhook)$",
              message = "must be one of email, slack, webhook")
          String type,
      @Size(max = 320) String address,
      @Size(max = 500) String url) {}

  public record ScheduleRequest(
      @NotNull UUID reportId,
      @NotBlank @Size(max = 120) String cron,
      @NotBlank @Size(max = 64) String timeZone,
      @NotNull @Size(min = 1, max = 20) List<@NotNull @Valid RecipientSpec> recipients,
      Boolean enabled) {}

  /** A recipient as shown back: a Slack URL is a secret and is never shown. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  // Nested in ScheduleView.
  @RegisterForReflection
  public record RecipientView(String type, String address, Boolean urlSet) {}

  // Response.created entity of ScheduleResource.create.
  @RegisterForReflection
  public record ScheduleView(
      UUID id,
      UUID reportId,
      String cron,
      String timeZone,
      List<RecipientView> recipients,
      boolean enabled,
      Instant nextRunAt,
      String createdBy,
      Instant createdAt,
      Instant updatedAt) {}

  public record ScheduleList(List<ScheduleView> items) {}

  // Response.accepted entity of ScheduleResource.runNow.
  @RegisterForReflection
  public record RunView(
      UUID id,
      UUID reportId,
      UUID scheduleId,
      String trigger,
      Instant scheduledFor,
      String status,
      int attempts,
      Instant startedAt,
      Instant finishedAt,
      Integer rowCount,
      Integer outputSizeBytes,
      Object deliveries,
      Object error,
      Instant createdAt) {}

  public record RunList(List<RunView> items) {}
}
