package com.securebase.forecasting.messaging;

import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.forecasting.domain.Budget;
import com.securebase.forecasting.persistence.AnomalyStore.AnomalyRow;
import com.securebase.forecasting.persistence.BudgetStore.AlertRow;
import com.securebase.messaging.AuditTrail;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Forecasting's events, written to the outbox inside the transaction that recorded what they
 * announce (shaped as {@code kafka/schemas/forecasting/*.json}); the caller wakes the relay after
 * its commit.
 */
@ApplicationScoped
public class ForecastingEvents {
  private final DomainEvents events = new DomainEvents("forecasting");

  @Inject Outbox outbox;
  @Inject AuditTrail audit;

  /**
   * {@code cost.anomaly_detected} for each new anomaly and {@code budget.threshold_reached} for
   * each new alert.
   */
  public Uni<Void> detected(
      SqlClient sql,
      UUID tenant,
      List<AnomalyRow> anomalies,
      List<AlertRow> alerts,
      Map<UUID, Budget> budgets) {
    List<EventEnvelope> batch = new ArrayList<>(anomalies.size() + alerts.size());
    for (AnomalyRow a : anomalies) {
      batch.add(anomaly(tenant, a));
    }
    for (AlertRow a : alerts) {
      batch.add(threshold(tenant, budgets.get(a.budgetId()), a));
    }
    return outbox.append(sql, batch);
  }

  private EventEnvelope anomaly(UUID tenant, AnomalyRow a) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", tenant.toString());
    d.put("anomalyId", a.id().toString());
    d.put("service", a.service());
    d.put("granularity", a.granularity().code());
    d.put("periodStart", start(a.periodStart()));
    d.put("currency", a.currency());
    d.put("actualCost", a.actual().toPlainString());
    d.put("expectedCost", a.expected().toPlainString());
    d.put("lowerBound", a.lower().toPlainString());
    d.put("upperBound", a.upper().toPlainString());
    d.put("direction", a.actual().compareTo(a.expected()) > 0 ? "above" : "below");
    d.put("score", a.score());
    d.put("method", "mad");
    d.put("detectedAt", a.detectedAt().toString());
    return events.create(
        "securebase.forecasting.cost.anomaly_detected", tenant.toString(), a.id().toString(), d);
  }

  private EventEnvelope threshold(UUID tenant, Budget b, AlertRow a) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tenantId", tenant.toString());
    d.put("budgetId", b.id().toString());
    d.put("budgetName", b.name());
    d.put("service", b.service());
    d.put("periodStart", start(a.periodStart()));
    d.put("periodEnd", start(a.periodStart().plusMonths(1)));
    d.put("currency", b.currency());
    d.put("budgetAmount", b.amount().setScale(2, RoundingMode.HALF_EVEN).toPlainString());
    d.put("thresholdPercent", a.threshold());
    d.put("basis", a.basis());
    d.put("spendAmount", a.spend().setScale(2, RoundingMode.HALF_EVEN).toPlainString());
    d.put("percentUsed", b.percent(a.spend()));
    d.put("reachedAt", a.reachedAt().toString());
    return events.create(
        "securebase.forecasting.budget.threshold_reached", tenant.toString(), b.id().toString(), d);
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

  private static String start(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toString();
  }
}
