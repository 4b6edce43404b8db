package com.securebase.billing.domain;

import com.securebase.billing.messaging.BillingEvents;
import com.securebase.billing.persistence.Accounts;
import com.securebase.billing.persistence.Catalogue;
import com.securebase.billing.persistence.UsageStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A tenant's usage thresholds: when a metric's aggregate in a period reaches one, {@code
 * usage.threshold_reached} is written in the ingest's transaction, once per threshold and period
 * (the crossing row's primary key is the proof it fired).
 */
@ApplicationScoped
public class UsageThresholds {
  @Inject Catalogue catalogue;
  @Inject BillingEvents events;

  private static final String CROSS =
      "insert into threshold_crossing (tenant_id, threshold_id, period_start, reached_at)"
          + " values ($1, $2, $3, $4) on conflict do nothing";

  record Threshold(UUID id, String metricCode, BigDecimal threshold) {}

  Uni<Void> check(
      SqlClient sql, UUID tenant, List<UsageRecord> fresh, Set<String> inserted, Instant now) {
    Set<String> metrics = new TreeSet<>();
    Set<BillingPeriod> periods = new HashSet<>();
    for (UsageRecord r : fresh) {
      if (inserted.contains(r.transactionId())) {
        metrics.add(r.metricCode());
        periods.add(BillingPeriod.containing(r.timestamp()));
      }
    }
    return sql.preparedQuery(
            "select id, metric_code, threshold from usage_threshold where tenant_id = $1"
                + " and metric_code = any($2::text[]) order by threshold")
        .execute(Tuple.of(tenant, metrics.toArray(String[]::new)))
        .chain(
            rows -> {
              List<Threshold> found = new ArrayList<>();
              for (Row r : rows) {
                found.add(new Threshold(r.getUUID(0), r.getString(1), r.getBigDecimal(2)));
              }
              if (found.isEmpty()) {
                return Uni.createFrom().voidItem();
              }
              return Multi.createFrom()
                  .iterable(periods)
                  .onItem()
                  .transformToUniAndConcatenate(p -> checkPeriod(sql, tenant, p, found, now))
                  .collect()
                  .last()
                  .replaceWithVoid();
            });
  }

  private Uni<Void> checkPeriod(
      SqlClient sql, UUID tenant, BillingPeriod period, List<Threshold> found, Instant now) {
    return catalogue
        .metrics()
        .chain(
            metrics ->
                Uni.combine()
                    .all()
                    .unis(
                        Uni.createFrom().item(metrics),
                        UsageStore.aggregates(sql, metrics, tenant, period),
                        Accounts.of(sql, tenant)
                            .chain(
                                a ->
                                    catalogue.inForce(sql, period.end()).map(b -> b.get(a.tier()))))
                    .asTuple())
        .chain(
            t -> {
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (Threshold th : found) {
                Metric metric = t.getItem1().get(th.metricCode());
                BigDecimal quantity = Quantities.of(metric, t.getItem2().get(th.metricCode()));
                if (quantity.compareTo(th.threshold()) < 0) {
                  continue;
                }
                Charge charge = t.getItem3().charges().get(th.metricCode());
                BigDecimal projected =
                    charge == null
                        ? Money.ZERO
                        : Money.cents(
                            charge.amount(Quantities.projected(metric, quantity, period, now)));
                String currency = t.getItem3().currency();
                chain =
                    chain.chain(
                        () ->
                            sql.preparedQuery(CROSS)
                                .execute(
                                    Tuple.of(
                                        tenant,
                                        th.id(),
                                        period.start().atOffset(ZoneOffset.UTC),
                                        now.atOffset(ZoneOffset.UTC)))
                                .chain(
                                    r ->
                                        r.rowCount() == 0
                                            ? Uni.createFrom().voidItem()
                                            : events.thresholdReached(
                                                sql,
                                                tenant,
                                                th.id(),
                                                th.metricCode(),
                                                th.threshold(),
                                                quantity,
                                                projected,
                                                currency,
                                                period,
                                                now)));
              }
              return chain;
            });
  }
}
