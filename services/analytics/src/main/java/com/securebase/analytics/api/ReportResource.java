package com.securebase.analytics.api;

import com.securebase.analytics.api.AnalyticsRequests.QueryAnswer;
import com.securebase.analytics.api.AnalyticsRequests.ReportPage;
import com.securebase.analytics.api.AnalyticsRequests.ReportRequest;
import com.securebase.analytics.api.AnalyticsRequests.ReportView;
import com.securebase.analytics.api.AnalyticsRequests.ShareRequest;
import com.securebase.analytics.api.AnalyticsRequests.ShareView;
import com.securebase.analytics.api.AnalyticsRequests.TemplateList;
import com.securebase.analytics.api.AnalyticsRequests.TemplateView;
import com.securebase.analytics.domain.ExportFormat;
import com.securebase.analytics.domain.QuerySpec;
import com.securebase.analytics.domain.ReportAccess;
import com.securebase.analytics.domain.ReportAccess.Share;
import com.securebase.analytics.domain.ReportTemplates;
import com.securebase.analytics.messaging.AnalyticsEvents;
import com.securebase.analytics.persistence.QueryRunner;
import com.securebase.analytics.persistence.ReportStore;
import com.securebase.analytics.persistence.ReportStore.Report;
import com.securebase.analytics.persistence.ReportStore.ShareRow;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.KeysetCursor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Saved reports: CRUD, templates, sharing (every change audited), the latest answer and exports. A
 * report the caller may not see is a 404, whether it is another tenant's or an unshared one of this
 * tenant; one they may see but not change is a 403.
 */
@Path("/v1/analytics")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST, Roles.BILLING, Roles.VIEWER})
public class ReportResource {
  private static final String SORT = "created";

  @Inject CurrentCaller caller;
  @Inject TenantConnections connections;
  @Inject AnalyticsEvents events;
  @Inject QueryResource.Answers answers;
  @Inject QueryResource.Exports exports;
  @Inject Clock clock;

  @GET
  @Path("/templates")
  @Operation(summary = "List report templates", description = "cost, security and compliance.")
  public TemplateList templates() {
    return new TemplateList(
        ReportTemplates.ALL.values().stream()
            .sorted(java.util.Comparator.comparing(ReportTemplates.Template::template))
            .map(
                t ->
                    new TemplateView(
                        t.template(), t.name(), t.description(), t.query(), t.chart(), t.format()))
            .toList());
  }

  @POST
  @Path("/reports")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST})
  @Operation(
      summary = "Create a report",
      description =
          "{name, description?, template? (cost, security, compliance: its query, chart and"
              + " format unless given), query (a query as POST /v1/analytics/query takes; a"
              + " relative range `last` keeps the report current), chart? (table, line, bar, area;"
              + " default line), format? (json, csv, pdf, xlsx; default pdf)}.")
  public Uni<Response> create(@NotNull @Valid ReportRequest body) {
    Caller who = caller.get();
    Instant now = clock.instant();
    Report r = report(UUID.randomUUID(), body, who.subject(), now, null);
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                QueryRunner.checkMetrics(c, who.tenantId(), r.query().metrics())
                    .chain(() -> ReportStore.insert(c, who.tenantId(), r))
                    .chain(() -> audit(c, who, "report.created", r.id(), Map.of("name", r.name()))))
        .invoke(events::committed)
        .chain(() -> view(who, r.id()))
        .map(
            v -> Response.created(URI.create("/v1/analytics/reports/" + r.id())).entity(v).build());
  }

  @GET
  @Path("/reports")
  @Operation(
      summary = "List reports",
      description =
          "The reports the caller may see (their own, shared with them or one of their roles; all for owners and admins), newest first.")
  public Uni<ReportPage> list(
      @QueryParam("cursor") @Size(max = 400) String cursor,
      @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(100) int limit) {
    Caller who = caller.get();
    KeysetCursor after = cursor == null ? null : KeysetCursor.decode(cursor, SORT, 1);
    boolean all = who.hasAnyRole(Roles.OWNER, Roles.ADMIN);
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                ReportStore.visible(
                    c,
                    who.tenantId(),
                    all,
                    who.subject(),
                    who.roles(),
                    after == null ? null : after.instant(0),
                    after == null ? null : after.id(),
                    limit + 1))
        .map(
            rows -> {
              KeysetCursor.Page<Report> page = KeysetCursor.page(rows, limit);
              return new ReportPage(
                  page.rows().stream()
                      .map(
                          r ->
                              view(
                                  r,
                                  null,
                                  ReportAccess.of(
                                      who.subject(), who.roles(), r.createdBy(), List.of())))
                      .toList(),
                  page.nextCursor(r -> KeysetCursor.of(SORT, r.id(), r.createdAt())));
            });
  }

  @GET
  @Path("/reports/{id}")
  @Operation(
      summary = "Read a report",
      description = "With its shares and the caller's access (view, edit, manage).")
  public Uni<ReportView> get(@PathParam("id") UUID id) {
    return view(caller.get(), id);
  }

  @PUT
  @Path("/reports/{id}")
  @Operation(
      summary = "Replace a report",
      description = "Same body as the create; needs edit access. The template stays as created.")
  public Uni<ReportView> replace(@PathParam("id") UUID id, @NotNull @Valid ReportRequest body) {
    Caller who = caller.get();
    Instant now = clock.instant();
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                load(c, who, id, ReportAccess.EDIT)
                    .chain(
                        loaded -> {
                          Report r =
                              report(id, body, loaded.report().createdBy(), now, loaded.report());
                          return QueryRunner.checkMetrics(c, who.tenantId(), r.query().metrics())
                              .chain(() -> ReportStore.update(c, who.tenantId(), r, now))
                              .chain(
                                  () ->
                                      audit(
                                          c, who, "report.updated", id, Map.of("name", r.name())));
                        }))
        .invoke(events::committed)
        .chain(() -> view(who, id));
  }

  @DELETE
  @Path("/reports/{id}")
  @Operation(
      summary = "Delete a report",
      description = "Its shares, schedules and runs go with it; needs manage access.")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    Caller who = caller.get();
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                load(c, who, id, ReportAccess.MANAGE)
                    .chain(() -> ReportStore.delete(c, who.tenantId(), id))
                    .chain(() -> audit(c, who, "report.deleted", id, Map.of())))
        .invoke(events::committed)
        .replaceWith(Response.noContent().build());
  }

  @PUT
  @Path("/reports/{id}/shares")
  @Operation(
      summary = "Share a report",
      description =
          "{principalType: user|role, principal: a user id of this tenant or a role, permission:"
              + " view|edit}; replaces that principal's permission. Needs manage access; audited"
              + " (report.shared).")
  public Uni<ReportView> share(@PathParam("id") UUID id, @NotNull @Valid ShareRequest body) {
    Caller who = caller.get();
    if (body.principalType().equals("role") && !Roles.ALL.contains(body.principal())) {
      throw ProblemException.invalidField(
          "principal", "must be one of " + String.join(", ", new java.util.TreeSet<>(Roles.ALL)));
    }
    if (body.principalType().equals("user")) {
      com.securebase.problem.RequestParams.uuid("principal", body.principal());
    }
    Share s = new Share(body.principalType(), body.principal(), body.permission());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("principalType", s.principalType());
    details.put("principal", s.principal());
    details.put("permission", s.permission());
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                load(c, who, id, ReportAccess.MANAGE)
                    .chain(
                        () ->
                            ReportStore.share(
                                c, who.tenantId(), id, s, who.subject(), clock.instant()))
                    .chain(() -> audit(c, who, "report.shared", id, details)))
        .invoke(events::committed)
        .chain(() -> view(who, id));
  }

  @DELETE
  @Path("/reports/{id}/shares/{type}/{principal}")
  @Operation(
      summary = "Stop sharing a report",
      description = "Needs manage access; audited (report.unshared).")
  public Uni<Response> unshare(
      @PathParam("id") UUID id,
      @PathParam("type") String type,
      @PathParam("principal") @Size(max = 100) String principal) {
    Caller who = caller.get();
    if (!type.equals("user") && !type.equals("role")) {
      throw ProblemException.invalidField("type", "must be user or role");
    }
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                load(c, who, id, ReportAccess.MANAGE)
                    .chain(() -> ReportStore.unshare(c, who.tenantId(), id, type, principal))
                    .chain(
                        found -> {
                          if (!found) {
                            throw new NotFoundProblem("Share", principal);
                          }
                          return audit(
                              c,
                              who,
                              "report.unshared",
                              id,
                              Map.of("principalType", type, "principal", principal));
                        }))
        .invoke(events::committed)
        .replaceWith(Response.noContent().build());
  }

  @GET
  @Path("/reports/{id}/result")
  @Operation(
      summary = "Run a report",
      description = "Its query's answer now (cached like any query).")
  public Uni<QueryAnswer> result(@PathParam("id") UUID id) {
    Caller who = caller.get();
    return connections
        .inTenant(who.tenantId(), c -> load(c, who, id, ReportAccess.VIEW))
        .chain(
            l ->
                answers.answer(
                    who.tenantId(),
                    l.report().query().resolve(clock.instant(), QueryResource.MAX_ANSWER_ROWS)));
  }

  @GET
  @Path("/reports/{id}/export")
  @Blocking
  @Produces({
    "text/csv",
    MediaType.APPLICATION_JSON,
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/problem+json"
  })
  @Operation(
      summary = "Export a report",
      description =
          "format=json|csv|pdf|xlsx (default the report's), streamed; all rows up to 1,000,000.")
  public Response export(@PathParam("id") UUID id, @QueryParam("format") String format) {
    Caller who = caller.get();
    Loaded l =
        connections
            .inTenant(who.tenantId(), c -> load(c, who, id, ReportAccess.VIEW))
            .await()
            .atMost(Duration.ofSeconds(30));
    Report r = l.report();
    ExportFormat f = QueryResource.Exports.format(format == null ? r.format() : format);
    var q = r.query().resolve(clock.instant(), QueryResource.MAX_EXPORT_ROWS);
    String file = r.name().replaceAll("[^A-Za-z0-9._-]+", "-");
    return exports.response(
        who.tenantId(), q.withLimit(QueryResource.MAX_EXPORT_ROWS), f, r.name(), r.chart(), file);
  }

  /** A report with its shares and the caller's access to it. */
  public record Loaded(Report report, List<ShareRow> shares, ReportAccess access) {}

  /**
   * @throws NotFoundProblem when the caller may not see it; 403 when they may not do {@code wanted}
   */
  public static Uni<Loaded> load(SqlConnection c, Caller who, UUID id, ReportAccess wanted) {
    return ReportStore.get(c, who.tenantId(), id)
        .chain(
            r -> {
              if (r == null) {
                throw new NotFoundProblem("Report", id);
              }
              return ReportStore.shares(c, who.tenantId(), id)
                  .map(
                      shares -> {
                        ReportAccess a =
                            ReportAccess.of(
                                who.subject(),
                                who.roles(),
                                r.createdBy(),
                                shares.stream().map(ShareRow::share).toList());
                        if (a == ReportAccess.NONE) {
                          throw new NotFoundProblem("Report", id);
                        }
                        if (!a.atLeast(wanted)) {
                          throw new ProblemException(
                              403,
                              "report-access-denied",
                              "Not allowed",
                              "Your access to this report is "
                                  + a.code()
                                  + "; this needs "
                                  + wanted.code());
                        }
                        return new Loaded(r, shares, a);
                      });
            });
  }

  private Uni<ReportView> view(Caller who, UUID id) {
    return connections
        .inTenant(who.tenantId(), c -> load(c, who, id, ReportAccess.VIEW))
        .map(l -> view(l.report(), l.shares(), l.access()));
  }

  private static ReportView view(Report r, List<ShareRow> shares, ReportAccess access) {
    return new ReportView(
        r.id(),
        r.name(),
        r.description(),
        r.template(),
        r.query(),
        r.chart(),
        r.format(),
        r.createdBy(),
        r.createdAt(),
        r.updatedAt(),
        r.version(),
        access == ReportAccess.NONE ? "view" : access.code(),
        shares == null
            ? null
            : shares.stream()
                .map(
                    s ->
                        new ShareView(
                            s.principalType(),
                            s.principal(),
                            s.permission(),
                            s.createdBy(),
                            s.createdAt()))
                .toList());
  }

  private Report report(UUID id, ReportRequest body, String createdBy, Instant now, Report old) {
    String template = old != null ? old.template() : body.template();
    ReportTemplates.Template t = template == null ? null : ReportTemplates.ALL.get(template);
    QuerySpec query = body.query() != null ? body.query() : t == null ? null : t.query();
    if (query == null) {
      throw ProblemException.invalidField("query", "is required without a template");
    }
    query.resolve(now, QueryResource.MAX_ANSWER_ROWS); // refuses a bad query when it is saved
    String chart = body.chart() != null ? body.chart() : t != null ? t.chart() : "line";
    String format = body.format() != null ? body.format() : t != null ? t.format() : "pdf";
    return new Report(
        id,
        body.name().strip(),
        body.description(),
        template,
        query,
        chart,
        format,
        createdBy,
        old == null ? now : old.createdAt(),
        now,
        old == null ? 1 : old.version() + 1);
  }

  private Uni<Void> audit(
      SqlConnection c, Caller who, String action, UUID report, Map<String, Object> details) {
    return events.audited(
        c, who.tenantId(), Actor.of(who), action, "report", report.toString(), details);
  }
}
