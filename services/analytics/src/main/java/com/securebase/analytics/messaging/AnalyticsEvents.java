package com.securebase.analytics.messaging;

import com.securebase.analytics.persistence.NoticeStore.Pending;
import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.messaging.AuditTrail;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Analytics' events, written to the outbox inside the transaction that recorded what they announce
 * (shaped as {@code kafka/schemas/analytics/*.json}); the caller wakes the relay after its commit.
 */
@ApplicationScoped
public class AnalyticsEvents {
  public static final String METRICS_UPDATED = "securebase.analytics.metrics.updated";

  private final DomainEvents events = new DomainEvents("analytics");

  @Inject Outbox outbox;
  @Inject AuditTrail audit;

  public Uni<Void> metricsUpdated(SqlClient sql, List<Pending> due, Instant now) {
    return outbox.append(
        sql,
        due.stream()
            .map(
                p ->
                    events.create(
                        METRICS_UPDATED,
                        p.tenant().toString(),
                        p.tenant().toString(),
                        Map.of(
                            "tenantId", p.tenant().toString(),
                            "metrics", p.metrics(),
                            "from", p.from().toString(),
                            "to", p.to().toString(),
                            "points", p.points(),
                            "updatedAt", now.toString())))
            .toList());
  }

  /** {@code report.<status>} with the run as {@code kafka/schemas/analytics/report.json} has it. */
  public Uni<Void> run(SqlClient sql, UUID tenant, String status, Map<String, Object> run) {
    EventEnvelope e =
        events.create(
            "securebase.analytics.report." + status,
            tenant.toString(),
            String.valueOf(run.get("runId")),
            run);
    return outbox.append(sql, e);
  }

  public Uni<Void> audited(
      SqlClient sql,
      UUID tenant,
      Actor actor,
      String action,
      String resourceType,
      String resourceId,
      Map<String, Object> details) {
    return audit.record(sql, tenant.toString(), actor, action, resourceType, resourceId, details);
  }

  public void committed() {
    outbox.wakeRelay();
  }
}
