package com.securebase.forecasting.api;

import com.securebase.forecasting.api.ForecastRequests.AnomalyPage;
import com.securebase.forecasting.api.ForecastRequests.AnomalyView;
import com.securebase.forecasting.domain.CloudServices;
import com.securebase.forecasting.domain.Granularity;
import com.securebase.forecasting.persistence.AnomalyStore;
import com.securebase.forecasting.persistence.AnomalyStore.AnomalyRow;
import com.securebase.problem.KeysetCursor;
import com.securebase.problem.ProblemException;
import com.securebase.problem.RequestParams;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Cost points found outside their robust band, newest period first. */
@Path("/v1/anomalies")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING, Roles.ANALYST, Roles.VIEWER})
public class AnomalyResource {
  private static final String SORT = "-period";

  /** The filter value that selects the tenant's total rather than a service. */
  static final String TOTAL = "total";

  @Inject CurrentCaller caller;
  @Inject TenantConnections connections;

  @GET
  @Operation(
      summary = "List anomalies",
      description =
          "Filters: service (a service code, or total), granularity (day, month), from and to"
              + " (YYYY-MM-DD, to exclusive). Each anomaly is a point whose cost is more than 2"
              + " robust standard deviations (1.4826 × MAD of the residuals) from its expected"
              + " value, announced once as cost.anomaly_detected.")
  public Uni<AnomalyPage> list(
      @QueryParam("service") @Size(max = 64) String service,
      @QueryParam("granularity") String granularity,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("cursor") @Size(max = 400) String cursor,
      @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(100) int limit) {
    String wantedService = null;
    if (service != null) {
      wantedService =
          service.equalsIgnoreCase(TOTAL)
              ? ""
              : CloudServices.code(service)
                  .orElseThrow(
                      () -> ProblemException.invalidField("service", "is not a known service"));
    }
    Granularity g = RequestParams.oneOf("granularity", granularity, Granularity.class);
    LocalDate fromDay = day("from", from);
    LocalDate toDay = day("to", to);
    KeysetCursor after = cursor == null ? null : KeysetCursor.decode(cursor, SORT, 1);
    LocalDate afterDay = after == null ? null : cursorDay(after);
    UUID tenant = caller.tenantId();
    String s = wantedService;
    return connections
        .inTenant(
            tenant,
            c ->
                AnomalyStore.page(
                    c,
                    tenant,
                    s,
                    g,
                    fromDay,
                    toDay,
                    afterDay,
                    after == null ? null : after.id(),
                    limit))
        .map(
            rows -> {
              KeysetCursor.Page<AnomalyRow> page = KeysetCursor.page(rows, limit);
              return new AnomalyPage(
                  page.rows().stream().map(AnomalyView::of).toList(),
                  page.nextCursor(a -> KeysetCursor.of(SORT, a.id(), a.periodStart().toString())));
            });
  }

  private static LocalDate day(String field, String value) {
    try {
      return value == null ? null : LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidField(field, "must be a date (YYYY-MM-DD)");
    }
  }

  private static LocalDate cursorDay(KeysetCursor c) {
    try {
      return LocalDate.parse(c.keys().get(0));
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidField("cursor", "is not a cursor this API returned");
    }
  }
}
