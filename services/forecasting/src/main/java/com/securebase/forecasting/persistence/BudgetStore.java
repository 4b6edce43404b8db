package com.securebase.forecasting.persistence;

import com.securebase.forecasting.domain.Budget;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Budgets and the thresholds they reached, in plain SQL. */
public final class BudgetStore {
  private BudgetStore() {}

  public record BudgetRow(Budget budget, Instant createdAt, Instant updatedAt, int version) {}

  public record AlertRow(
      UUID budgetId,
      LocalDate periodStart,
      int threshold,
      String basis,
      BigDecimal spend,
      Instant reachedAt) {}

  private static final String COLUMNS =
      "id, name, service, currency, amount, thresholds, created_at, updated_at, version";

  public static Uni<Void> insert(SqlClient sql, UUID tenant, Budget b, Instant now) {
    return sql.preparedQuery(
            "insert into budget (id, tenant_id, name, service, currency, amount, thresholds,"
                + " created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8)")
        .execute(
            Tuple.from(
                Arrays.asList(
                    b.id(),
                    tenant,
                    b.name(),
                    b.service(),
                    b.currency(),
                    b.amount(),
                    b.thresholds().toArray(Integer[]::new),
                    CostStore.utc(now))))
        .replaceWithVoid();
  }

  /**
   * @return whether the budget existed (and is now {@code b})
   */
  public static Uni<Boolean> update(SqlClient sql, UUID tenant, Budget b, Instant now) {
    return sql.preparedQuery(
            "update budget set name = $3, service = $4, currency = $5, amount = $6, thresholds ="
                + " $7, updated_at = $8, version = version + 1 where tenant_id = $1 and id = $2")
        .execute(
            Tuple.from(
                Arrays.asList(
                    tenant,
                    b.id(),
                    b.name(),
                    b.service(),
                    b.currency(),
                    b.amount(),
                    b.thresholds().toArray(Integer[]::new),
                    CostStore.utc(now))))
        .map(r -> r.rowCount() == 1);
  }

  public static Uni<Boolean> delete(SqlClient sql, UUID tenant, UUID id) {
    return sql.preparedQuery("delete from budget where tenant_id = $1 and id = $2")
        .execute(Tuple.of(tenant, id))
        .map(r -> r.rowCount() == 1);
  }

  public static Uni<BudgetRow> get(SqlClient sql, UUID tenant, UUID id) {
    return sql.preparedQuery("select " + COLUMNS + " from budget where tenant_id = $1 and id = $2")
        .execute(Tuple.of(tenant, id))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  /** Every budget of the tenant, oldest first (a tenant has few). */
  public static Uni<List<BudgetRow>> all(SqlClient sql, UUID tenant) {
    return sql.preparedQuery(
            "select " + COLUMNS + " from budget where tenant_id = $1 order by created_at, id")
        .execute(Tuple.of(tenant))
        .map(
            rows -> {
              List<BudgetRow> out = new ArrayList<>();
              rows.forEach(r -> out.add(row(r)));
              return out;
            });
  }

  private static BudgetRow row(Row r) {
    return new BudgetRow(
        new Budget(
            r.getUUID(0),
            r.getString(1),
            r.getString(2),
            r.getString(3),
            r.getBigDecimal(4),
            List.of(r.getArrayOfIntegers(5))),
        r.getOffsetDateTime(6).toInstant(),
        r.getOffsetDateTime(7).toInstant(),
        r.getInteger(8));
  }

  /**
   * Records reached thresholds; the primary key keeps each (budget, period, threshold, basis) to
   * one row, so only the first check to reach one gets it back.
   *
   * @return the alerts recorded now (not those recorded before)
   */
  public static Uni<List<AlertRow>> recordAlerts(
      SqlClient sql, UUID tenant, List<AlertRow> alerts) {
    if (alerts.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    int n = alerts.size();
    UUID[] budgets = new UUID[n];
    String[] periods = new String[n];
    Integer[] thresholds = new Integer[n];
    String[] bases = new String[n];
    String[] spends = new String[n];
    for (int i = 0; i < n; i++) {
      AlertRow a = alerts.get(i);
      budgets[i] = a.budgetId();
      periods[i] = a.periodStart().toString();
      thresholds[i] = a.threshold();
      bases[i] = a.basis();
      spends[i] = a.spend().toPlainString();
    }
    Instant at = alerts.getFirst().reachedAt();
    return sql.preparedQuery(
            "insert into budget_alert (tenant_id, budget_id, period_start, threshold, basis,"
                + " spend, reached_at) select $1, b, p, t, k, s, $2 from unnest($3::uuid[],"
                + " $4::text[]::date[], $5::int[], $6::text[], $7::text[]::numeric[]) as x (b, p,"
                + " t, k, s) on conflict do nothing returning budget_id, period_start, threshold,"
                + " basis, spend, reached_at")
        .execute(
            Tuple.from(
                new Object[] {
                  tenant, CostStore.utc(at), budgets, periods, thresholds, bases, spends
                }))
        .map(BudgetStore::alerts);
  }

  public static Uni<List<AlertRow>> alerts(SqlClient sql, UUID tenant, UUID budget) {
    return sql.preparedQuery(
            "select budget_id, period_start, threshold, basis, spend, reached_at from"
                + " budget_alert where tenant_id = $1 and budget_id = $2 order by period_start"
                + " desc, threshold, basis")
        .execute(Tuple.of(tenant, budget))
        .map(BudgetStore::alerts);
  }

  private static List<AlertRow> alerts(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
    List<AlertRow> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(alert(r));
    }
    return out;
  }

  private static AlertRow alert(Row r) {
    return new AlertRow(
        r.getUUID(0),
        r.getLocalDate(1),
        r.getInteger(2),
        r.getString(3),
        r.getBigDecimal(4),
        r.getOffsetDateTime(5).toInstant());
  }
}
