package com.securebase.forecasting.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.securebase.events.EventJson;
import com.securebase.forecasting.api.ForecastRequests.ImportResult;
import com.securebase.forecasting.domain.CostImport;
import com.securebase.forecasting.domain.CostPoint;
import com.securebase.forecasting.domain.Granularity;
import com.securebase.forecasting.messaging.CostChecks;
import com.securebase.forecasting.messaging.ForecastingEvents;
import com.securebase.forecasting.persistence.CostStore;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.JsonBody;
import com.securebase.problem.ProblemException;
import com.securebase.problem.RequestParams;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Imports cloud costs the tenant brings (a JSON batch or a cost-explorer CSV export), so it can
 * forecast its cloud bill and not only SecureBase's charges. Importing the same rows again changes
 * nothing; a row naming a period already imported replaces its amount (a corrected export).
 */
@Path("/v1/forecasts/costs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.BILLING})
public class CostResource {
  private static final ObjectReader JSON =
      EventJson.MAPPER.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> ROW_FIELDS =
      Set.of("date", "service", "amount", "currency", "granularity");
  private static final CsvMapper CSV = new CsvMapper();

  @Inject CurrentCaller caller;
  @Inject TenantConnections connections;
  @Inject ForecastingEvents events;
  @Inject CostChecks checks;
  @Inject Clock clock;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Import costs (JSON)",
      description =
          "{\"granularity\": \"day\"|\"month\" (default day), \"records\": [{date, service, amount,"
              + " currency, granularity?}]}, at most 50,000 records. All or nothing: any invalid"
              + " record (unknown service, negative or non-numeric amount, future or malformed"
              + " date, a monthly cost not dated the 1st, the same service and period twice) refuses"
              + " the import with 422 listing the bad records.")
  @Blocking // parsing and checking up to 50,000 rows is CPU work the event loop must not do
  public Uni<ImportResult> importJson(byte[] body) {
    JsonNode root = JsonBody.object(JSON, body, "records", "must be given as {\"records\": [...]}");
    Granularity g = Granularity.DAY;
    for (var names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("records") && !name.equals("granularity")) {
        throw ProblemException.invalidField(name, "is not a field of a cost import");
      }
    }
    if (root.has("granularity")) {
      g = RequestParams.oneOf("granularity", root.get("granularity").asText(), Granularity.class);
    }
    JsonNode list = root.get("records");
    if (list == null || !list.isArray()) {
      throw ProblemException.invalidField("records", "must be an array of costs");
    }
    List<Map<String, Object>> rows = new ArrayList<>(list.size());
    int row = 0;
    for (JsonNode r : list) {
      row++;
      if (!r.isObject()) {
        throw ProblemException.invalidField("records[" + (row - 1) + "]", "must be an object");
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      for (var e : r.properties()) {
        if (!ROW_FIELDS.contains(e.getKey())) {
          throw ProblemException.invalidField(
              "records[" + (row - 1) + "]." + e.getKey(), "is not a field of a cost");
        }
        JsonNode v = e.getValue();
        fields.put(
            e.getKey(),
            v.isNull()
                ? null
                : v.isNumber() ? v.decimalValue() : v.isTextual() ? v.asText() : v.toString());
      }
      rows.add(fields);
    }
    return save(rows, g);
  }

  @POST
  @Consumes({"text/csv", "application/csv"})
  @Operation(
      summary = "Import costs (CSV)",
      description =
          "A cost-explorer style export with a header row naming at least date, service, amount"
              + " and currency (any order, any case; other columns are ignored); the query"
              + " parameter granularity (day, month) applies to rows without a granularity column."
              + " Same rules as the JSON import.")
  @Blocking
  public Uni<ImportResult> importCsv(byte[] body, @QueryParam("granularity") String granularity) {
    Granularity g =
        granularity == null
            ? Granularity.DAY
            : RequestParams.oneOf("granularity", granularity, Granularity.class);
    List<Map<String, Object>> rows = new ArrayList<>();
    try (MappingIterator<Map<String, String>> it =
        CSV.readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(body == null ? new byte[0] : body)) {
      while (it.hasNext()) {
        Map<String, Object> fields = new LinkedHashMap<>();
        it.next().forEach((k, v) -> fields.put(k.strip().toLowerCase(Locale.ROOT), v));
        rows.add(fields);
        if (rows.size() == 1
            && !fields.keySet().containsAll(List.of("date", "service", "amount", "currency"))) {
          throw ProblemException.invalidField(
              "header", "must name the columns date, service, amount and currency");
        }
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ProblemException p) {
        throw p;
      }
      throw new ProblemException(
          400,
          "malformed-request",
          "Malformed request",
          "The body is not valid CSV: " + e.getMessage());
    }
    return save(rows, g);
  }

  private Uni<ImportResult> save(List<Map<String, Object>> rows, Granularity g) {
    var now = clock.instant();
    List<CostPoint> points = CostImport.points(rows, g, now.atOffset(ZoneOffset.UTC).toLocalDate());
    Caller who = caller.get();
    Set<String> services = new TreeSet<>();
    points.forEach(p -> services.add(p.service()));
    return connections
        .inTenant(
            who.tenantId(),
            c ->
                CostStore.importAll(c, who.tenantId(), points, now)
                    .chain(
                        counts -> {
                          Map<String, Object> details = new LinkedHashMap<>();
                          details.put("records", points.size());
                          details.put("inserted", counts.inserted());
                          details.put("replaced", counts.replaced());
                          details.put("services", List.copyOf(services));
                          Uni<Void> queued =
                              counts.inserted() + counts.replaced() > 0
                                  ? CostStore.changed(c, who.tenantId(), now)
                                  : Uni.createFrom().voidItem();
                          return queued
                              .chain(
                                  () ->
                                      events.audited(
                                          c,
                                          who.tenantId(),
                                          Actor.of(who),
                                          "cost.imported",
                                          "cost_history",
                                          who.tenantId().toString(),
                                          details))
                              .replaceWith(counts);
                        }))
        .invoke(
            () -> {
              events.committed();
              checks.wake();
            })
        .map(
            counts ->
                new ImportResult(
                    points.size(),
                    counts.inserted(),
                    counts.replaced(),
                    counts.unchanged(),
                    List.copyOf(services)));
  }
}
