package com.securebase.billing.domain;

import com.securebase.billing.persistence.Accounts;
import com.securebase.billing.persistence.Catalogue;
import com.securebase.billing.persistence.UsageStore;
import com.securebase.tenancy.TenantConnections;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;

/** The current period's usage per metric, its charge so far and the charge projected to its end. */
@ApplicationScoped
public class UsageMeter {
  @Inject TenantConnections connections;
  @Inject Catalogue catalogue;
  @Inject Clock clock;

  public record MetricUsage(
      Metric metric,
      ChargeModel model,
      BigDecimal quantity,
      BigDecimal chargeSoFar,
      BigDecimal projectedQuantity,
      BigDecimal projectedCharge) {}

  public record Current(
      BillingPeriod period,
      String tier,
      String currency,
      BigDecimal baseFee,
      List<MetricUsage> metrics,
      BigDecimal totalSoFar,
      BigDecimal projectedTotal) {}

  public Uni<Current> current(UUID tenant) {
    Instant now = clock.instant();
    BillingPeriod period = BillingPeriod.containing(now);
    return connections.inTenant(
        tenant,
        sql ->
            catalogue
                .metrics()
                .chain(
                    metrics ->
                        Uni.combine()
                            .all()
                            .unis(
                                Accounts.of(sql, tenant),
                                Uni.createFrom().item(metrics),
                                catalogue.inForce(sql, period.end()),
                                UsageStore.aggregates(sql, metrics, tenant, period))
                            .asTuple())
                .map(
                    t -> {
                      var book = t.getItem3().get(t.getItem1().tier());
                      List<MetricUsage> usage = new ArrayList<>();
                      BigDecimal soFar = book.baseFee();
                      BigDecimal projected = book.baseFee();
                      for (Charge c : new TreeMap<>(book.charges()).values()) {
                        Metric m = t.getItem2().get(c.metricCode());
                        BigDecimal q = Quantities.of(m, t.getItem4().get(c.metricCode()));
                        BigDecimal pq = Quantities.projected(m, q, period, now);
                        BigDecimal charge = Money.cents(c.amount(q));
                        BigDecimal pcharge = Money.cents(c.amount(pq));
                        usage.add(new MetricUsage(m, c.model(), q, charge, pq, pcharge));
                        soFar = soFar.add(charge);
                        projected = projected.add(pcharge);
                      }
                      return new Current(
                          period,
                          book.tier(),
                          book.currency(),
                          book.baseFee(),
                          usage,
                          soFar,
                          projected);
                    }));
  }
}
