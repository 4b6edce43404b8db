package com.securebase.analytics.api;

import com.securebase.analytics.api.AnalyticsRequests.AnswerRow;
import com.securebase.analytics.api.AnalyticsRequests.QueryAnswer;
import com.securebase.analytics.api.AnalyticsRequests.ResolvedQuery;
import com.securebase.analytics.config.AnalyticsSettings;
import com.securebase.analytics.domain.ExportFormat;
import com.securebase.analytics.domain.ExportWriters;
import com.securebase.analytics.domain.MetricQuery;
import com.securebase.analytics.domain.QuerySpec;
import com.securebase.analytics.persistence.BrandingStore;
import com.securebase.analytics.persistence.ExportRows;
import com.securebase.analytics.persistence.NoticeStore;
import com.securebase.analytics.persistence.QueryCache;
import com.securebase.analytics.persistence.QueryRunner;
import com.securebase.problem.RequestParams;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Ad-hoc queries and their exports. Answers are cached by the query's canonical form (TTL, and
 * dropped when points land in their range).
 */
@Path("/v1/analytics/query")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST, Roles.BILLING, Roles.VIEWER})
public class QueryResource {
  public static final int MAX_ANSWER_ROWS = 10_000;
  public static final int MAX_EXPORT_ROWS = 1_000_000;

  @Inject CurrentCaller caller;
  @Inject Answers answers;
  @Inject Exports exports;
  @Inject Clock clock;

  @POST
  @Operation(
      summary = "Run a query",
      description =
          "{metrics, aggregations? (sum, avg, min, max, count, p95; default sum), groupBy?"
              + " (region, service, account, tags.<name>), filters? ([{field, op: equals|in,"
              + " value|values}]), from and to (ISO 8601) or last (P30D, PT6H), bucket? (hour,"
              + " day, week, month), timeZone? (IANA, default UTC), limit? (1 to 10,000, default"
              + " 1,000)}. p95 is exact (linear interpolation). 422 unknown-metric for a metric"
              + " the tenant never recorded, query-too-large for more than 50,000 buckets,"
              + " query-too-long when it runs past 5 s.")
  public Uni<QueryAnswer> query(@NotNull QuerySpec spec) {
    UUID tenant = caller.tenantId();
    return answers.answer(tenant, spec.resolve(clock.instant(), MAX_ANSWER_ROWS));
  }

  @POST
  @Path("/export")
  @Blocking
  @Produces({
    "text/csv",
    MediaType.APPLICATION_JSON,
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/problem+json"
  })
  @Operation(
      summary = "Export a query",
      description =
          "The query's rows (limit up to 1,000,000) as format=csv, json, xlsx or pdf (a chart"
              + " and the first 2,000 rows), streamed as they are read. chart=line|bar|area|table"
              + " picks the PDF's chart.")
  public Response export(
      @NotNull QuerySpec spec,
      @QueryParam("format") String format,
      @QueryParam("chart") String chart) {
    UUID tenant = caller.tenantId();
    MetricQuery q = spec.resolve(clock.instant(), MAX_EXPORT_ROWS);
    ExportFormat f = Exports.format(format);
    String c = chart == null ? "line" : chart;
    if (!c.matches("^(line|bar|area|table)$")) {
      throw com.securebase.problem.ProblemException.invalidField(
          "chart", "must be one of line, bar, area, table");
    }
    return exports.response(tenant, q, f, "Query export", c, "query");
  }

  /** Answers a resolved query through the cache. */
  @ApplicationScoped
  public static class Answers {
    @Inject TenantConnections connections;
    @Inject QueryRunner runner;
    @Inject AnalyticsSettings settings;
    @Inject Clock clock;

    public Uni<QueryAnswer> answer(UUID tenant, MetricQuery q) {
      String key = QueryCache.key(q.canonical());
      Instant now = clock.instant();
      return connections.inTenant(
          tenant,
          c ->
              QueryRunner.checkMetrics(c, tenant, q.metrics())
                  .chain(() -> NoticeStore.version(c, tenant))
                  .chain(
                      version ->
                          (settings.cacheTtl().isZero()
                                  ? Uni.createFrom().<JsonObject>nullItem()
                                  : QueryCache.get(c, tenant, key, now))
                              .chain(
                                  hit -> {
                                    if (hit != null) {
                                      return Uni.createFrom()
                                          .item(hit.mapTo(QueryAnswer.class).asCached());
                                    }
                                    return runner
                                        .run(c, tenant, q)
                                        .map(
                                            rows ->
                                                new QueryAnswer(
                                                    ResolvedQuery.of(q),
                                                    rows.rows().stream()
                                                        .map(r -> AnswerRow.of(q, r))
                                                        .toList(),
                                                    rows.rows().size(),
                                                    rows.truncated(),
                                                    rows.source(),
                                                    false,
                                                    now))
                                        .call(
                                            a ->
                                                settings.cacheTtl().isZero()
                                                    ? Uni.createFrom().voidItem()
                                                    : QueryCache.put(
                                                        c,
                                                        tenant,
                                                        version,
                                                        key,
                                                        q.metrics(),
                                                        q.from(),
                                                        q.to(),
                                                        JsonObject.mapFrom(a),
                                                        now.plus(settings.cacheTtl())));
                                  })));
    }
  }

  /** Streams exports (blocking: worker threads only). */
  @ApplicationScoped
  public static class Exports {
    @Inject TenantConnections connections;
    @Inject QueryRunner runner;
    @Inject ExportRows rows;
    @Inject Clock clock;

    static ExportFormat format(String format) {
      return RequestParams.oneOf("format", format == null ? "csv" : format, ExportFormat.class);
    }

    /** Checks the query before the first byte goes out, then streams it. */
    public Response response(
        UUID tenant,
        MetricQuery q,
        ExportFormat format,
        String title,
        String chart,
        String fileName) {
      BrandingStore.Branding brand =
          connections
              .inTenant(
                  tenant,
                  c ->
                      QueryRunner.checkMetrics(c, tenant, q.metrics())
                          .chain(() -> BrandingStore.get(c, tenant)))
              .await()
              .atMost(Duration.ofSeconds(30));
      ExportWriters.Heading heading =
          new ExportWriters.Heading(
              title, brand.displayName(), brand.primaryColor(), chart, clock.instant());
      StreamingOutput body =
          out -> {
            ExportWriters.RowSink sink = ExportWriters.open(format, out, q, heading);
            rows.stream(tenant, q, sink::accept);
            sink.finish();
          };
      return Response.ok(body, format.mediaType)
          .header(
              "Content-Disposition",
              "attachment; filename=\"" + fileName + "." + format.extension + "\"")
          .header("Cache-Control", "no-store")
          .build();
    }
  }
}
