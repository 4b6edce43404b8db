package com.securebase.analytics.api;

import com.securebase.analytics.api.AnalyticsRequests.RecipientView;
import com.securebase.analytics.api.AnalyticsRequests.RunList;
import com.securebase.analytics.api.AnalyticsRequests.RunView;
import com.securebase.analytics.api.AnalyticsRequests.ScheduleList;
import com.securebase.analytics.api.AnalyticsRequests.ScheduleRequest;
import com.securebase.analytics.api.AnalyticsRequests.ScheduleView;
import com.securebase.analytics.config.SlackAllowlist;
import com.securebase.analytics.domain.CronSchedule;
import com.securebase.analytics.domain.Recipient;
import com.securebase.analytics.domain.ReportAccess;
import com.securebase.analytics.messaging.AnalyticsEvents;
import com.securebase.analytics.persistence.RunStore;
import com.securebase.analytics.persistence.RunStore.Run;
import com.securebase.analytics.persistence.ScheduleStore;
import com.securebase.analytics.persistence.ScheduleStore.Schedule;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.FeatureNotInTier;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Report schedules. Seeing one needs view access to its report; creating, changing, deleting or
 * running one needs edit access, and a tier with {@value #FEATURE} (403 feature-not-in-tier
 * otherwise).
 */
@Path("/v1/analytics/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST, Roles.BILLING, Roles.VIEWER})
public class ScheduleResource {
  static final String FEATURE = "reportScheduling";

  @Inject CurrentCaller caller;
  @Inject TenantConnections connections;
  @Inject AnalyticsEvents events;
  @Inject SlackAllowlist slack;
  @Inject Clock clock;

  @POST
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST})
  @Operation(
      summary = "Schedule a report",
      description =
          "{reportId, cron (five fields: minute hour day-of-month month day-of-week, at most every"
              + " 5 minutes), timeZone (IANA; a time skipped by a clock change runs as the clocks"
              + " change, a repeated one runs once), recipients: [{type: email, address} |"
              + " {type: slack, url} | {type: webhook}], enabled?}. One run per slot across"
              + " replicas; slots missed while the service was down run once.")
  public Uni<Response> create(@NotNull @Valid ScheduleRequest body) {
    Caller who = allowedToSchedule();
    Instant now = clock.instant();
    Schedule s = schedule(UUID.randomUUID(), who.tenantId(), body, who.subject(), now, now);
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                ReportResource.load(c, who, body.reportId(), ReportAccess.EDIT)
                    .chain(() -> ScheduleStore.insert(c, s))
                    .chain(() -> audit(c, who, "report.schedule.created", s)))
        .invoke(events::committed)
        .map(
            v ->
                Response.created(URI.create("/v1/analytics/schedules/" + s.id()))
                    .entity(view(s))
                    .build());
  }

  @GET
  @Operation(
      summary = "List schedules",
      description =
          "The schedules of the reports the caller may see, oldest first; reportId narrows to one report.")
  public Uni<ScheduleList> list(
      @QueryParam("reportId") UUID report,
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit) {
    Caller who = caller.get();
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                ScheduleStore.visible(
                    c,
                    who.tenantId(),
                    who.hasAnyRole(Roles.OWNER, Roles.ADMIN),
                    who.subject(),
                    who.roles(),
                    report,
                    limit))
        .map(all -> new ScheduleList(all.stream().map(ScheduleResource::view).toList()));
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "Get a schedule")
  public Uni<ScheduleView> get(@PathParam("id") UUID id) {
    Caller who = caller.get();
    return connections
        .inTenant(who.tenantId(), c -> load(c, who, id, ReportAccess.VIEW))
        .map(ScheduleResource::view);
  }

  @PUT
  @Path("/{id}")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST})
  @Operation(summary = "Replace a schedule", description = "As create; the report cannot change.")
  public Uni<ScheduleView> replace(@PathParam("id") UUID id, @NotNull @Valid ScheduleRequest body) {
    Caller who = allowedToSchedule();
    Instant now = clock.instant();
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                load(c, who, id, ReportAccess.EDIT)
                    .chain(
                        old -> {
                          if (!old.reportId().equals(body.reportId())) {
                            throw com.securebase.problem.ProblemException.invalidField(
                                "reportId",
                                "cannot change: create a schedule for the other report");
                          }
                          Schedule s =
                              schedule(
                                  id, who.tenantId(), body, old.createdBy(), old.createdAt(), now);
                          return ScheduleStore.update(c, s)
                              .chain(() -> audit(c, who, "report.schedule.updated", s))
                              .replaceWith(s);
                        }))
        .invoke(events::committed)
        .map(ScheduleResource::view);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST})
  @Operation(summary = "Delete a schedule", description = "Its run history stays with the report.")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    Caller who = caller.get();
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                load(c, who, id, ReportAccess.EDIT)
                    .chain(
                        s ->
                            ScheduleStore.delete(c, who.tenantId(), id)
                                .chain(() -> audit(c, who, "report.schedule.deleted", s))))
        .invoke(events::committed)
        .replaceWith(Response.noContent().build());
  }

  @POST
  @Path("/{id}/run")
  @Consumes(MediaType.WILDCARD) // no body
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST})
  @Operation(
      summary = "Run a schedule now",
      description =
          "Queues a manual run to the schedule's recipients (202); its progress is in the run history.")
  public Uni<Response> runNow(@PathParam("id") UUID id) {
    Caller who = allowedToSchedule();
    Instant now = clock.instant();
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                load(c, who, id, ReportAccess.EDIT)
                    .chain(
                        s ->
                            RunStore.enqueue(
                                c, who.tenantId(), s.reportId(), s.id(), "manual", null, now))
                    .chain(run -> RunStore.ofSchedule(c, who.tenantId(), id, 1)))
        .map(runs -> Response.accepted(view(runs.getFirst())).build());
  }

  @GET
  @Path("/{id}/runs")
  @Operation(
      summary = "Run history",
      description =
          "Newest first: status, attempts, row count, size, per-recipient results, error.")
  public Uni<RunList> runs(
      @PathParam("id") UUID id,
      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
    Caller who = caller.get();
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                load(c, who, id, ReportAccess.VIEW)
                    .chain(() -> RunStore.ofSchedule(c, who.tenantId(), id, limit)))
        .map(runs -> new RunList(runs.stream().map(ScheduleResource::view).toList()));
  }

  private Caller allowedToSchedule() {
    Caller who = caller.get();
    if (!caller.hasFeature(FEATURE, false)) {
      throw FeatureNotInTier.missing(FEATURE, who.tier());
    }
    return who;
  }

  /** The schedule, when the caller has {@code wanted} access to its report; 404 otherwise. */
  private static Uni<Schedule> load(SqlConnection c, Caller who, UUID id, ReportAccess wanted) {
    return ScheduleStore.get(c, who.tenantId(), id)
        .chain(
            s -> {
              if (s == null) {
                throw new NotFoundProblem("Schedule", id);
              }
              // Not allowed to see the report: not allowed to know of its schedules.
              return ReportResource.load(c, who, s.reportId(), wanted)
                  .onFailure(NotFoundProblem.class)
                  .transform(e -> new NotFoundProblem("Schedule", id))
                  .replaceWith(s);
            });
  }

  private Schedule schedule(
      UUID id, UUID tenant, ScheduleRequest body, String by, Instant created, Instant now) {
    CronSchedule cron = CronSchedule.of(body.cron(), body.timeZone(), now);
    List<Recipient> recipients =
        Recipient.check(
            body.recipients().stream()
                .map(r -> new Recipient(r.type(), r.address(), r.url()))
                .toList(),
            slack::allows);
    boolean enabled = body.enabled() == null || body.enabled();
    return new Schedule(
        id,
        tenant,
        body.reportId(),
        cron.expression(),
        cron.zone().getId(),
        recipients,
        enabled,
        enabled ? cron.nextAfter(now).orElse(null) : null,
        by,
        created,
        now);
  }

  private Uni<Void> audit(SqlConnection c, Caller who, String action, Schedule s) {
    return events.audited(
        c,
        who.tenantId(),
        Actor.of(who),
        action,
        "report_schedule",
        s.id().toString(),
        Map.of("reportId", s.reportId().toString(), "cron", s.cron(), "timeZone", s.timeZone()));
  }

  static ScheduleView view(Schedule s) {
    return new ScheduleView(
        s.id(),
        s.reportId(),
        s.cron(),
        s.timeZone(),
        s.recipients().stream()
            .map(
                r ->
                    new RecipientView(
                        r.type(),
                        r.address(),
                        Recipient.SLACK.equals(r.type()) ? Boolean.TRUE : null))
            .toList(),
        s.enabled(),
        s.nextRunAt(),
        s.createdBy(),
        s.createdAt(),
        s.updatedAt());
  }

  static RunView view(Run r) {
    return new RunView(
        r.id(),
        r.reportId(),
        r.scheduleId(),
        r.trigger(),
        r.scheduledFor(),
        r.status(),
        r.attempts(),
        r.startedAt(),
        r.finishedAt(),
        r.rowCount(),
        r.outputSize(),
        r.deliveryList(),
        r.errorMap(),
        r.createdAt());
  }
}
