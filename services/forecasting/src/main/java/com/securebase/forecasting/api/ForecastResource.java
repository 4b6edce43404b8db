package com.securebase.forecasting.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.securebase.forecasting.api.ForecastRequests.ForecastPage;
import com.securebase.forecasting.api.ForecastRequests.ForecastRequest;
import com.securebase.forecasting.api.ForecastRequests.ForecastSummary;
import com.securebase.forecasting.api.ForecastRequests.ForecastView;
import com.securebase.forecasting.api.ForecastRequests.RecommendationList;
import com.securebase.forecasting.domain.Budget;
import com.securebase.forecasting.domain.CostForecast;
import com.securebase.forecasting.domain.CostHistory;
import com.securebase.forecasting.domain.ForecastEngine;
import com.securebase.forecasting.domain.Granularity;
import com.securebase.forecasting.domain.Recommendations;
import com.securebase.forecasting.persistence.AnomalyStore;
import com.securebase.forecasting.persistence.BudgetStore;
import com.securebase.forecasting.persistence.CostStore;
import com.securebase.forecasting.persistence.ForecastStore;
import com.securebase.forecasting.persistence.ForecastStore.StoredForecast;
import com.securebase.problem.KeysetCursor;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.problem.RequestParams;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.FeatureNotInTier;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Cost forecasts: computed from the tenant's history on a worker thread (model fits are CPU work),
 * stored as answered so they can be read and exported again, and recommendations drawn from the
 * history, budgets and anomalies. Another tenant's forecast, like an unknown one, is a 404.
 */
@Path("/v1/forecasts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING, Roles.ANALYST, Roles.VIEWER})
public class ForecastResource {
  static final String HORIZON_FEATURE = "forecastHorizonMonths";

  /** The standard tier's horizon: what a token without the features claim is allowed. */
  static final int LEAST_HORIZON = 3;

  private static final Set<Integer> HORIZONS = Set.of(3, 6, 12, 24);
  private static final String SORT = "-created";
  private static final ForecastEngine ENGINE = new ForecastEngine();

  @Inject CurrentCaller caller;
  @Inject TenantConnections connections;
  @Inject ObjectMapper json;
  @Inject Clock clock;

  @POST
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING, Roles.ANALYST})
  @Operation(
      summary = "Forecast costs",
      description =
          "Forecasts the total and each service for 3, 6, 12 or 24 months (up to the tier's"
              + " forecastHorizonMonths: beyond it 403 feature-not-in-tier), by month or by day."
              + " Per series the model is chosen by a rolling-origin backtest (MASE against the"
              + " seasonal naive) among linear trend, simple, Holt, damped Holt and Holt-Winters"
              + " (additive, multiplicative, damped) exponential smoothing and seasonal naive; each"
              + " period has the mean and 65/80/95 % prediction intervals. Too little history is"
              + " 422 insufficient-history naming the minimum.")
  public Uni<Response> create(@NotNull @Valid ForecastRequest body) {
    if (!HORIZONS.contains(body.horizon())) {
      throw ProblemException.invalidField("horizon", "must be 3, 6, 12 or 24 (months)");
    }
    Caller who = caller.get();
    int allowed = caller.featureLimit(HORIZON_FEATURE, LEAST_HORIZON);
    if (body.horizon() > allowed) {
      throw FeatureNotInTier.limitReached(HORIZON_FEATURE, who.tier(), allowed);
    }
    Granularity g = body.granularity() == null ? Granularity.MONTH : body.granularity();
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    return connections
        .inTenant(who.tenantId(), c -> CostStore.all(c, who.tenantId()))
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            points -> {
              CostHistory history = new CostHistory(points);
              String currency = currency(history, body.currency());
              CostForecast.Result r =
                  CostForecast.of(
                      history.series(g, currency, now.atOffset(ZoneOffset.UTC).toLocalDate()),
                      body.horizon(),
                      ENGINE);
              return ForecastView.of(id, now, r);
            })
        .chain(
            view -> {
              StoredForecast stored =
                  new StoredForecast(
                      id,
                      now,
                      who.subject(),
                      g.code(),
                      body.horizon(),
                      view.currency(),
                      write(view));
              return connections
                  .inTenant(who.tenantId(), c -> ForecastStore.insert(c, who.tenantId(), stored))
                  .replaceWith(
                      Response.created(URI.create("/v1/forecasts/" + id))
                          .type(MediaType.APPLICATION_JSON)
                          .entity(stored.body())
                          .build());
            });
  }

  /** The currency to forecast in: the one asked for, or the only one the history has. */
  private static String currency(CostHistory history, String asked) {
    Set<String> have = history.currencies();
    if (asked != null) {
      if (!have.contains(asked)) {
        throw insufficient("There are no costs in " + asked + "; the history has " + have);
      }
      return asked;
    }
    if (have.size() > 1) {
      throw new ProblemException(
          422,
          "currency-required",
          "Currency required",
          "The history holds costs in " + have + "; name the one to forecast",
          Map.of("currencies", List.copyOf(have)));
    }
    if (have.isEmpty()) {
      throw insufficient("There is no cost history yet: import costs or wait for an invoice");
    }
    return have.iterator().next();
  }

  private static ProblemException insufficient(String detail) {
    return new ProblemException(422, "insufficient-history", "Not enough cost history", detail);
  }

  private String write(ForecastView view) {
    try {
      return json.writeValueAsString(view);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A forecast could not be written as JSON", e);
    }
  }

  @GET
  @Operation(summary = "List forecasts", description = "Newest first, without their periods.")
  public Uni<ForecastPage> list(
      @QueryParam("cursor") @Size(max = 400) String cursor,
      @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(100) int limit) {
    KeysetCursor after = cursor == null ? null : KeysetCursor.decode(cursor, SORT, 1);
    UUID tenant = caller.tenantId();
    return connections
        .inTenant(
            tenant,
            c ->
                ForecastStore.page(
                    c,
                    tenant,
                    after == null ? null : after.instant(0),
                    after == null ? null : after.id(),
                    limit))
        .map(
            rows -> {
              KeysetCursor.Page<StoredForecast> page = KeysetCursor.page(rows, limit);
              return new ForecastPage(
                  page.rows().stream()
                      .map(
                          f ->
                              new ForecastSummary(
                                  f.id(),
                                  f.createdAt(),
                                  f.createdBy(),
                                  f.granularity(),
                                  f.horizonMonths(),
                                  f.currency()))
                      .toList(),
                  page.nextCursor(f -> KeysetCursor.of(SORT, f.id(), f.createdAt())));
            });
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "Read a forecast", description = "As it was answered when created.")
  public Uni<Response> get(@PathParam("id") UUID id) {
    return stored(id).map(f -> Response.ok(f.body(), MediaType.APPLICATION_JSON).build());
  }

  @GET
  @Path("/{id}/export")
  @Produces({MediaType.APPLICATION_JSON, "text/csv", "application/pdf"})
  @Operation(
      summary = "Export a forecast",
      description =
          "format=json, csv (one row per series and period with the bounds of each level) or pdf"
              + " (a chart of history, forecast and bands, and the table).")
  public Uni<Response> export(
      @PathParam("id") UUID id, @QueryParam("format") @DefaultValue("json") String format) {
    ExportFormat f = RequestParams.oneOf("format", format, ExportFormat.class);
    return stored(id)
        .emitOn(Infrastructure.getDefaultWorkerPool()) // OpenPDF and JFreeChart block
        .map(
            stored -> {
              ForecastView view = read(stored.body());
              String name = "forecast-" + stored.id();
              return switch (f) {
                case JSON -> attachment(stored.body(), MediaType.APPLICATION_JSON, name + ".json");
                case CSV -> attachment(ForecastExports.csv(view), "text/csv", name + ".csv");
                case PDF -> attachment(ForecastExports.pdf(view), "application/pdf", name + ".pdf");
              };
            });
  }

  enum ExportFormat {
    JSON,
    CSV,
    PDF
  }

  private static Response attachment(Object body, String type, String filename) {
    return Response.ok(body, type)
        .header("Content-Disposition", "attachment; filename=\"" + filename + "\"")
        .build();
  }

  private ForecastView read(String body) {
    try {
      return json.readValue(body, ForecastView.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A stored forecast could not be read", e);
    }
  }

  private Uni<StoredForecast> stored(UUID id) {
    UUID tenant = caller.tenantId();
    return connections
        .inTenant(tenant, c -> ForecastStore.get(c, tenant, id))
        .map(
            f -> {
              if (f == null) {
                throw new NotFoundProblem("Forecast", id);
              }
              return f;
            });
  }

  @GET
  @Path("/recommendations")
  @Operation(
      summary = "Recommendations",
      description =
          "Explained findings: services whose monthly cost rises significantly over the last 12"
              + " months (Mann-Kendall, with Sen's slope), budgets the forecast exceeds within 12"
              + " months (and the first such month), services with 3 or more anomalies in a year.")
  public Uni<RecommendationList> recommendations() {
    UUID tenant = caller.tenantId();
    LocalDate today = clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
    return connections
        .inTenant(
            tenant,
            c ->
                CostStore.all(c, tenant)
                    .chain(
                        points ->
                            BudgetStore.all(c, tenant)
                                .chain(
                                    budgets ->
                                        AnomalyStore.since(c, tenant, today.minusYears(1))
                                            .map(
                                                anomalies ->
                                                    new Inputs(
                                                        new CostHistory(points),
                                                        budgets.stream()
                                                            .map(BudgetStore.BudgetRow::budget)
                                                            .toList(),
                                                        anomalies.stream()
                                                            .map(
                                                                a ->
                                                                    new Recommendations
                                                                        .AnomalyPoint(
                                                                        a.service(),
                                                                        a.granularity(),
                                                                        a.periodStart()))
                                                            .toList())))))
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            in ->
                new RecommendationList(
                    Recommendations.of(in.history(), in.budgets(), in.anomalies(), today, ENGINE)));
  }

  private record Inputs(
      CostHistory history, List<Budget> budgets, List<Recommendations.AnomalyPoint> anomalies) {}
}
