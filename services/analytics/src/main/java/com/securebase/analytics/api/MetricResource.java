package com.securebase.analytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.securebase.analytics.api.AnalyticsRequests.IngestResult;
import com.securebase.analytics.api.AnalyticsRequests.MetricList;
import com.securebase.analytics.api.AnalyticsRequests.MetricView;
import com.securebase.analytics.api.AnalyticsRequests.PointError;
import com.securebase.analytics.api.AnalyticsRequests.PointResult;
import com.securebase.analytics.config.AnalyticsSettings;
import com.securebase.analytics.domain.EventPoints;
import com.securebase.analytics.domain.MetricPoint;
import com.securebase.analytics.domain.PointRecord;
import com.securebase.analytics.persistence.PointIntake;
import com.securebase.analytics.persistence.PointStore;
import com.securebase.events.EventJson;
import com.securebase.problem.JsonBody;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.CurrentCaller;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Metric points in, and the catalog of the tenant's metrics out. */
@Path("/v1/analytics/metrics")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST})
public class MetricResource {
  public static final int MAX_BATCH = 5_000;
  private static final ObjectReader READER = EventJson.MAPPER.reader();

  @Inject CurrentCaller caller;
  @Inject TenantConnections connections;
  @Inject PointIntake intake;
  @Inject AnalyticsSettings settings;
  @Inject Clock clock;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Record metric points",
      description =
          "{\"points\": [{id?, metric, timestamp, value, region?, service?, account?, tags?}]}, at"
              + " most 5,000. A point is identified by its id and timestamp (without an id, by a"
              + " hash of its content): sending it again is a duplicate and changes nothing."
              + " Points more than an hour ahead or older than the retention are refused one by"
              + " one. 200 with a result per point while any was accepted or a duplicate; 422"
              + " when every point is refused, with the same results.")
  public Uni<Response> record(byte[] body) {
    UUID tenant = caller.tenantId();
    Instant now = clock.instant();
    List<JsonNode> records = records(body);
    Instant oldest = settings.oldestKept(now);
    List<PointRecord.Parsed> parsed = new ArrayList<>(records.size());
    List<MetricPoint> points = new ArrayList<>();
    for (JsonNode r : records) {
      PointRecord.Parsed p = PointRecord.parse(r, now, oldest);
      parsed.add(p);
      if (p.ok()) {
        points.add(p.point());
      }
    }
    if (points.isEmpty()) {
      return Uni.createFrom().item(answer(parsed, Set.of()));
    }
    return intake
        .ensurePartitions(PointStore.months(points))
        .chain(() -> connections.inTenant(tenant, c -> intake.store(c, tenant, points, now)))
        .map(stored -> answer(parsed, new HashSet<>(stored)));
  }

  @GET
  @RolesAllowed({Roles.OWNER, Roles.ADMIN, Roles.ANALYST, Roles.BILLING, Roles.VIEWER})
  @Operation(
      summary = "List metrics",
      description =
          "Every metric the tenant has points of, and the built-in ones fed from other services'"
              + " events, with when points were first and last stored.")
  public Uni<MetricList> list() {
    UUID tenant = caller.tenantId();
    return connections
        .inTenant(tenant, c -> PointStore.metrics(c, tenant))
        .map(
            rows -> {
              List<MetricView> out = new ArrayList<>();
              Set<String> seen = new HashSet<>();
              for (var r : rows) {
                seen.add(r.metric());
                out.add(
                    new MetricView(
                        r.metric(),
                        EventPoints.METRICS.contains(r.metric()),
                        r.firstSeen(),
                        r.lastSeen()));
              }
              EventPoints.METRICS.stream()
                  .filter(m -> !seen.contains(m))
                  .sorted()
                  .forEach(m -> out.add(new MetricView(m, true, null, null)));
              return new MetricList(out);
            });
  }

  private static List<JsonNode> records(byte[] body) {
    JsonNode root = JsonBody.object(READER, body, "points", "must be given as {\"points\": [...]}");
    for (var names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("points")) {
        throw ProblemException.invalidField(name, "is not a field of a metric batch");
      }
    }
    JsonNode list = root.get("points");
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw ProblemException.invalidField("points", "must be a non-empty array");
    }
    if (list.size() > MAX_BATCH) {
      throw ProblemException.invalidField(
          "points", "has " + list.size() + " points; at most " + MAX_BATCH);
    }
    List<JsonNode> out = new ArrayList<>(list.size());
    list.forEach(out::add);
    return out;
  }

  private static Response answer(List<PointRecord.Parsed> parsed, Set<MetricPoint.Key> fresh) {
    int accepted = 0;
    int duplicates = 0;
    int rejected = 0;
    List<PointResult> results = new ArrayList<>(parsed.size());
    Set<MetricPoint.Key> seenInBatch = new HashSet<>();
    for (int i = 0; i < parsed.size(); i++) {
      PointRecord.Parsed p = parsed.get(i);
      if (!p.ok()) {
        rejected++;
        results.add(
            new PointResult(
                i,
                null,
                "rejected",
                new PointError(422, "invalid-point", p.field(), p.field() + " " + p.detail())));
        continue;
      }
      MetricPoint.Key key = p.point().key();
      // A point repeated inside the batch is stored once: the first is accepted, the rest
      // duplicates.
      if (fresh.contains(key) && seenInBatch.add(key)) {
        accepted++;
        results.add(new PointResult(i, p.point().id(), "accepted", null));
      } else {
        duplicates++;
        results.add(new PointResult(i, p.point().id(), "duplicate", null));
      }
    }
    if (accepted + duplicates > 0) {
      return Response.ok(new IngestResult(accepted, duplicates, rejected, results)).build();
    }
    String detail =
        results.size() == 1
            ? results.getFirst().error().detail()
            : "All " + results.size() + " points were refused; see results";
    throw new ProblemException(
        422, "points-rejected", "Points refused", detail, Map.of("results", results));
  }
}
