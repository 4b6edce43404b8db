package com.securebase.forecasting.api;

import com.securebase.forecasting.api.ForecastRequests.BudgetList;
import com.securebase.forecasting.api.ForecastRequests.BudgetRequest;
import com.securebase.forecasting.api.ForecastRequests.BudgetStatus;
import com.securebase.forecasting.api.ForecastRequests.BudgetView;
import com.securebase.forecasting.domain.Budget;
import com.securebase.forecasting.domain.CloudServices;
import com.securebase.forecasting.domain.CostHistory;
import com.securebase.forecasting.domain.ForecastEngine;
import com.securebase.forecasting.messaging.CostChecks;
import com.securebase.forecasting.messaging.ForecastingEvents;
import com.securebase.forecasting.persistence.BudgetStore;
import com.securebase.forecasting.persistence.BudgetStore.BudgetRow;
import com.securebase.forecasting.persistence.CostStore;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Monthly budgets of the tenant or of one service. Every change is audited and queues the tenant's
 * check, so a budget lowered below this month's spend alerts at once. Another tenant's budget, like
 * an unknown one, is a 404.
 */
@Path("/v1/budgets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING})
public class BudgetResource {
  private static final ForecastEngine ENGINE = new ForecastEngine();

  @Inject CurrentCaller caller;
  @Inject TenantConnections connections;
  @Inject ForecastingEvents events;
  @Inject CostChecks checks;
  @Inject Clock clock;

  @POST
  @Operation(
      summary = "Create a budget",
      description =
          "{name, service? (a service code; none for the whole tenant), currency, amount (per"
              + " month), thresholds? (percent, default [80, 100])}. Each threshold alerts once per"
              + " month on actual spend and once on forecast spend"
              + " (budget.threshold_reached).")
  public Uni<Response> create(@NotNull @Valid BudgetRequest body) {
    Caller who = caller.get();
    Budget b = budget(UUID.randomUUID(), body);
    Instant now = clock.instant();
    return change(
            who,
            c -> BudgetStore.insert(c, who.tenantId(), b, now).replaceWith(true),
            "budget.created",
            b,
            now)
        .chain(() -> view(who.tenantId(), b.id()))
        .map(v -> Response.created(URI.create("/v1/budgets/" + b.id())).entity(v).build());
  }

  @PUT
  @Path("/{id}")
  @Operation(summary = "Replace a budget", description = "Same body as the create.")
  public Uni<BudgetView> replace(@PathParam("id") UUID id, @NotNull @Valid BudgetRequest body) {
    Caller who = caller.get();
    Budget b = budget(id, body);
    Instant now = clock.instant();
    return change(who, c -> BudgetStore.update(c, who.tenantId(), b, now), "budget.updated", b, now)
        .chain(() -> view(who.tenantId(), id));
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Delete a budget", description = "Its alerts go with it.")
  public Uni<Response> delete(@PathParam("id") UUID id) {
    Caller who = caller.get();
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                BudgetStore.delete(c, who.tenantId(), id)
                    .chain(
                        found -> {
                          if (!found) {
                            throw new NotFoundProblem("Budget", id);
                          }
                          return events.audited(
                              c,
                              who.tenantId(),
                              Actor.of(who),
                              "budget.deleted",
                              "budget",
                              id.toString(),
                              Map.of());
                        }))
        .invoke(events::committed)
        .replaceWith(Response.noContent().build());
  }

  @GET
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING, Roles.ANALYST, Roles.VIEWER})
  @Operation(summary = "List budgets", description = "Oldest first, without this month's status.")
  public Uni<BudgetList> list() {
    UUID tenant = caller.tenantId();
    return connections
        .inTenant(tenant, c -> BudgetStore.all(c, tenant))
        .map(rows -> new BudgetList(rows.stream().map(r -> BudgetView.of(r, null, null)).toList()));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING, Roles.ANALYST, Roles.VIEWER})
  @Operation(
      summary = "Read a budget",
      description = "With this month's actual and forecast spend and every alert it raised.")
  public Uni<BudgetView> get(@PathParam("id") UUID id) {
    return view(caller.tenantId(), id);
  }

  private Uni<BudgetView> view(UUID tenant, UUID id) {
    Instant now = clock.instant();
    return connections
        .inTenant(
            tenant,
            c ->
                BudgetStore.get(c, tenant, id)
                    .chain(
                        row -> {
                          if (row == null) {
                            throw new NotFoundProblem("Budget", id);
                          }
                          return BudgetStore.alerts(c, tenant, id)
                              .chain(
                                  alerts ->
                                      CostStore.all(c, tenant)
                                          .map(
                                              points ->
                                                  new Loaded(
                                                      row, alerts, new CostHistory(points))));
                        }))
        .emitOn(Infrastructure.getDefaultWorkerPool()) // the forecast spend fits a model
        .map(l -> BudgetView.of(l.row(), status(l.row().budget(), l.history(), now), l.alerts()));
  }

  private record Loaded(BudgetRow row, List<BudgetStore.AlertRow> alerts, CostHistory history) {}

  private static BudgetStatus status(Budget b, CostHistory history, Instant now) {
    LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
    LocalDate month = today.withDayOfMonth(1);
    var actual =
        history
            .spend(b.service(), b.currency(), month, month.plusMonths(1))
            .setScale(2, RoundingMode.HALF_EVEN);
    var forecast =
        b.forecastSpend(history, month, today, ENGINE).setScale(2, RoundingMode.HALF_EVEN);
    return new BudgetStatus(
        month.toString(),
        actual.toPlainString(),
        forecast.toPlainString(),
        b.percent(actual),
        b.percent(forecast));
  }

  private Uni<Void> change(
      Caller who,
      java.util.function.Function<SqlConnection, Uni<Boolean>> write,
      String action,
      Budget b,
      Instant now) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("name", b.name());
    details.put("service", b.service());
    details.put("amount", b.amount().toPlainString());
    details.put("currency", b.currency());
    details.put("thresholds", b.thresholds());
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                write
                    .apply(c)
                    .chain(
                        found -> {
                          if (!found) {
                            throw new NotFoundProblem("Budget", b.id());
                          }
                          return CostStore.changed(c, who.tenantId(), now);
                        })
                    .chain(
                        () ->
                            events.audited(
                                c,
                                who.tenantId(),
                                Actor.of(who),
                                action,
                                "budget",
                                b.id().toString(),
                                details)))
        .invoke(
            () -> {
              events.committed();
              checks.wake();
            });
  }

  private static Budget budget(UUID id, BudgetRequest body) {
    String service = null;
    if (body.service() != null) {
      service =
          CloudServices.code(body.service())
              .orElseThrow(
                  () ->
                      ProblemException.invalidField(
                          "service",
                          "'"
                              + body.service()
                              + "' is not a known service; known: "
                              + String.join(", ", CloudServices.codes())));
    }
    List<Integer> thresholds =
        body.thresholds() == null ? Budget.DEFAULT_THRESHOLDS : body.thresholds();
    if (new TreeSet<>(thresholds).size() != thresholds.size()) {
      throw ProblemException.invalidField("thresholds", "must not repeat a threshold");
    }
    return new Budget(
        id,
        body.name().strip(),
        service,
        body.currency(),
        body.amount().setScale(2, RoundingMode.HALF_EVEN),
        List.copyOf(new TreeSet<>(thresholds)));
  }
}
