package com.securebase.forecasting.messaging;

import com.securebase.forecasting.domain.Anomaly;
import com.securebase.forecasting.domain.AnomalyDetector;
import com.securebase.forecasting.domain.Budget;
import com.securebase.forecasting.domain.CostForecast;
import com.securebase.forecasting.domain.CostHistory;
import com.securebase.forecasting.domain.CostSeries;
import com.securebase.forecasting.domain.ForecastEngine;
import com.securebase.forecasting.domain.Granularity;
import com.securebase.forecasting.persistence.AnomalyStore;
import com.securebase.forecasting.persistence.AnomalyStore.AnomalyRow;
import com.securebase.forecasting.persistence.BudgetStore;
import com.securebase.forecasting.persistence.BudgetStore.AlertRow;
import com.securebase.forecasting.persistence.BudgetStore.BudgetRow;
import com.securebase.forecasting.persistence.CostStore;
import com.securebase.tenancy.TenantConnections;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Checks a tenant's anomalies and budgets after its costs or budgets changed. Each check takes the
 * tenant off the {@code cost_change} queue and records what it found (anomalies, reached
 * thresholds, their events) in one transaction, so a crash mid-check leaves the tenant queued, and
 * the unique keys on anomalies and alerts make each point and each threshold of a period announce
 * once, whichever replica or restart finds it.
 */
@ApplicationScoped
public class CostChecks {
  private static final Logger LOG = Logger.getLogger(CostChecks.class);
  private static final ForecastEngine ENGINE = new ForecastEngine();

  @Inject TenantConnections connections;
  @Inject ForecastingEvents events;
  @Inject Clock clock;
  @Inject MeterRegistry meters;

  @ConfigProperty(name = "securebase.forecasting.anomaly.band-sigmas")
  double sigmas;

  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean again;

  /** Starts draining the queue unless a drain is running (which then goes round once more). */
  public void wake() {
    again = true;
    if (!running.compareAndSet(false, true)) {
      return;
    }
    again = false;
    drain()
        .subscribe()
        .with(
            ignored -> finished(),
            failure -> {
              LOG.warnf(failure, "Cost checks failed; the tenant stays queued for the next poll");
              finished();
            });
  }

  private void finished() {
    running.set(false);
    if (again) {
      wake();
    }
  }

  @Scheduled(
      every = "${securebase.forecasting.evaluation.poll}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  void poll() {
    wake();
  }

  @Scheduled(
      cron = "${securebase.forecasting.evaluation.sweep.cron}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
      skipExecutionIf = Scheduled.ApplicationNotRunning.class)
  Uni<Void> daily() {
    return connections
        .asSystem(c -> CostStore.budgetsChanged(c, clock.instant()))
        .invoke(this::wake)
        .replaceWithVoid();
  }

  private Uni<Void> drain() {
    return checkNext().chain(found -> found ? drain() : Uni.createFrom().voidItem());
  }

  /** Checks the next queued tenant; false when the queue is empty. */
  public Uni<Boolean> checkNext() {
    Instant now = clock.instant();
    return connections
        .asSystem(
            c ->
                CostStore.claimChanged(c)
                    .chain(
                        tenant ->
                            tenant == null
                                ? Uni.createFrom().item(false)
                                : TenantConnections.rescope(c, tenant)
                                    .chain(() -> check(c, tenant, now))
                                    .replaceWith(true)))
        .invoke(
            found -> {
              if (found) {
                events.committed();
              }
            });
  }

  private Uni<Void> check(SqlConnection c, UUID tenant, Instant now) {
    return CostStore.all(c, tenant)
        .chain(
            points ->
                BudgetStore.all(c, tenant)
                    .emitOn(Infrastructure.getDefaultWorkerPool()) // model fits are CPU work
                    .map(budgets -> findings(new CostHistory(points), budgets, now)))
        .chain(
            f ->
                AnomalyStore.record(c, tenant, f.anomalies())
                    .chain(
                        anomalies ->
                            BudgetStore.recordAlerts(c, tenant, f.alerts())
                                .chain(
                                    alerts -> {
                                      meters
                                          .counter("securebase.forecasting.anomalies")
                                          .increment(anomalies.size());
                                      meters
                                          .counter("securebase.forecasting.budget.alerts")
                                          .increment(alerts.size());
                                      return events.detected(
                                          c, tenant, anomalies, alerts, f.budgets());
                                    })));
  }

  record Findings(List<AnomalyRow> anomalies, List<AlertRow> alerts, Map<UUID, Budget> budgets) {}

  Findings findings(CostHistory history, List<BudgetRow> budgets, Instant now) {
    LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
    List<AnomalyRow> anomalies = new ArrayList<>();
    for (String currency : history.currencies()) {
      for (Granularity g : Granularity.values()) {
        CostHistory.Series s = history.series(g, currency, today);
        if (s.total().values().length < ForecastEngine.minimumHistory(g.seasonLength())) {
          continue;
        }
        for (CostSeries series : s.services().values()) {
          anomalies(series, now, anomalies);
        }
        if (s.services().size() > 1) { // with one service the total is that service again
          anomalies(s.total(), now, anomalies);
        }
      }
    }
    List<AlertRow> alerts = new ArrayList<>();
    Map<UUID, Budget> byId = new LinkedHashMap<>();
    LocalDate month = today.withDayOfMonth(1);
    for (BudgetRow row : budgets) {
      Budget b = row.budget();
      byId.put(b.id(), b);
      BigDecimal actual =
          history
              .spend(b.service(), b.currency(), month, month.plusMonths(1))
              .setScale(2, RoundingMode.HALF_EVEN);
      BigDecimal forecast =
          b.forecastSpend(history, month, today, ENGINE).setScale(2, RoundingMode.HALF_EVEN);
      for (Budget.Reached r : b.reached(actual, forecast)) {
        alerts.add(new AlertRow(b.id(), month, r.threshold(), r.basis(), r.spend(), now));
      }
    }
    return new Findings(anomalies, alerts, byId);
  }

  private void anomalies(CostSeries series, Instant now, List<AnomalyRow> out) {
    for (Anomaly a :
        AnomalyDetector.detect(series.values(), series.granularity().seasonLength(), sigmas)) {
      double sigma = (a.upper() - a.expected()) / sigmas;
      out.add(
          new AnomalyRow(
              UUID.randomUUID(),
              series.service(),
              series.granularity(),
              series.periodStart(a.index()),
              series.currency(),
              CostForecast.money(a.actual()),
              CostForecast.money(a.expected()),
              CostForecast.money(a.lower()),
              CostForecast.money(a.upper()),
              sigma > 0 ? Math.round((a.actual() - a.expected()) / sigma * 100) / 100.0 : 0,
              now));
    }
  }
}
