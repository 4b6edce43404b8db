package com.securebase.billing.api;

import com.securebase.billing.api.BillingRequests.CurrentUsage;
import com.securebase.billing.api.BillingRequests.ThresholdRequest;
import com.securebase.billing.api.BillingRequests.ThresholdView;
import com.securebase.billing.domain.Money;
import com.securebase.billing.domain.UsageMeter;
import com.securebase.billing.persistence.Catalogue;
import com.securebase.problem.ConflictProblem;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Current-period usage with charges so far and projected, and the tenant's usage thresholds. */
@Path("/v1/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING})
public class MetricResource {
  @Inject CurrentCaller caller;
  @Inject UsageMeter meter;
  @Inject Catalogue catalogue;
  @Inject TenantConnections connections;
  @Inject Clock clock;

  @GET
  @Operation(
      summary = "Current-period usage",
      description =
          "Per metric of the tenant's price book: the quantity so far, its charge, and the"
              + " quantity and charge projected to period end (sums and counts at the rate so"
              + " far; maxima, latest values and distinct counts as they are).")
  public Uni<CurrentUsage> current() {
    return meter.current(caller.tenantId()).map(CurrentUsage::of);
  }

  @GET
  @Path("/thresholds")
  public Uni<List<ThresholdView>> thresholds() {
    UUID tenant = caller.tenantId();
    return connections.inTenant(
        tenant,
        sql ->
            sql.preparedQuery(
                    "select id, metric_code, threshold, created_at from usage_threshold where"
                        + " tenant_id = $1 order by metric_code, threshold")
                .execute(Tuple.of(tenant))
                .map(
                    rows -> {
                      List<ThresholdView> out = new ArrayList<>();
                      for (Row r : rows) {
                        out.add(view(r));
                      }
                      return out;
                    }));
  }

  @POST
  @Path("/thresholds")
  @Operation(
      summary = "Add a usage threshold",
      description =
          "usage.threshold_reached is emitted once per threshold and period when the metric's"
              + " aggregate reaches it.")
  public Uni<Response> addThreshold(@NotNull @Valid ThresholdRequest body) {
    UUID tenant = caller.tenantId();
    return catalogue
        .metrics()
        .chain(
            metrics -> {
              if (!metrics.containsKey(body.metricCode())) {
                throw new ProblemException(
                    422,
                    "unknown-metric",
                    "Unknown metric",
                    "'" + body.metricCode() + "' is not a billable metric");
              }
              return connections.inTenant(
                  tenant,
                  sql ->
                      sql.preparedQuery(
                              "insert into usage_threshold (id, tenant_id, metric_code, threshold,"
                                  + " created_at) values ($1, $2, $3, $4, $5) on conflict do"
                                  + " nothing returning id, metric_code, threshold, created_at")
                          .execute(
                              Tuple.from(
                                  new Object[] {
                                    UUID.randomUUID(),
                                    tenant,
                                    body.metricCode(),
                                    body.threshold(),
                                    clock.instant().atOffset(ZoneOffset.UTC)
                                  })));
            })
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                throw new ConflictProblem(
                    "duplicate-threshold",
                    "Threshold exists",
                    body.metricCode()
                        + " already has a threshold at "
                        + Money.quantityText(body.threshold()),
                    Map.of());
              }
              ThresholdView v = view(rows.iterator().next());
              return Response.created(URI.create("/v1/metrics/thresholds/" + v.id()))
                  .entity(v)
                  .build();
            });
  }

  @DELETE
  @Path("/thresholds/{id}")
  public Uni<Response> deleteThreshold(@PathParam("id") UUID id) {
    UUID tenant = caller.tenantId();
    return connections
        .inTenant(
            tenant,
            sql ->
                sql.preparedQuery("delete from usage_threshold where id = $1")
                    .execute(Tuple.of(id)))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                throw new NotFoundProblem("Threshold", id);
              }
              return Response.noContent().build();
            });
  }

  private static ThresholdView view(Row r) {
    return new ThresholdView(
        r.getUUID(0),
        r.getString(1),
        Money.quantityText(r.getBigDecimal(2)),
        r.getOffsetDateTime(3).toInstant());
  }
}
