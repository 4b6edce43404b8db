package com.securebase.forecasting.persistence;

import com.securebase.forecasting.domain.CostPoint;
import com.securebase.forecasting.domain.Granularity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The cost history and the queue of tenants whose costs changed, in plain SQL. */
public final class CostStore {
  private CostStore() {}

  /** What an import did: rows new, rows whose amount it replaced, rows it found as they were. */
  public record ImportCounts(int inserted, int replaced, int unchanged) {}

  private static final String IMPORT =
      "insert into cost_point (tenant_id, source, service, granularity, period_start, currency,"
          + " amount, updated_at) select $1, 'import', s, g, d, c, a, $2 from"
          + " unnest($3::text[], $4::text[], $5::text[]::date[], $6::text[], $7::text[]::numeric[])"
          + " as t (s, g, d, c, a) on conflict (tenant_id, source, service, granularity,"
          + " period_start, source_ref) do update set amount = excluded.amount, currency ="
          + " excluded.currency, updated_at = excluded.updated_at where cost_point.amount <>"
          + " excluded.amount or cost_point.currency <> excluded.currency"
          + " returning (xmax = 0) as inserted";

  public static Uni<ImportCounts> importAll(
      SqlClient sql, UUID tenant, List<CostPoint> rows, Instant now) {
    int n = rows.size();
    String[] services = new String[n];
    String[] granularities = new String[n];
    String[] days = new String[n];
    String[] currencies = new String[n];
    String[] amounts = new String[n];
    for (int i = 0; i < n; i++) {
      CostPoint r = rows.get(i);
      services[i] = r.service();
      granularities[i] = r.granularity().code();
      days[i] = r.periodStart().toString();
      currencies[i] = r.currency();
      amounts[i] = r.amount().toPlainString();
    }
    return sql.preparedQuery(IMPORT)
        .execute(
            Tuple.from(
                new Object[] {
                  tenant, utc(now), services, granularities, days, currencies, amounts
                }))
        .map(
            result -> {
              int inserted = 0;
              int replaced = 0;
              for (Row r : result) {
                if (r.getBoolean(0)) {
                  inserted++;
                } else {
                  replaced++;
                }
              }
              return new ImportCounts(inserted, replaced, n - inserted - replaced);
            });
  }

  private static final String INVOICE =
      "insert into cost_point (tenant_id, source, source_ref, source_version, service,"
          + " granularity, period_start, currency, amount, updated_at) values ($1, 'billing', $2,"
          + " $3, $4, 'month', $5, $6, $7, $8) on conflict (tenant_id, source, service,"
          + " granularity, period_start, source_ref) do update set amount = excluded.amount,"
          + " currency = excluded.currency, source_version = excluded.source_version, updated_at ="
          + " excluded.updated_at where cost_point.source_version < excluded.source_version";

  /**
   * SecureBase's charge for a month from one invoice: its total, or zero once voided. An event
   * older than the stored version changes nothing.
   *
   * @return whether the stored history changed
   */
  public static Uni<Boolean> invoice(
      SqlClient sql,
      UUID tenant,
      String invoiceId,
      int version,
      String service,
      LocalDate month,
      String currency,
      BigDecimal amount,
      Instant now) {
    return sql.preparedQuery(INVOICE)
        .execute(
            Tuple.from(
                new Object[] {
                  tenant, invoiceId, version, service, month, currency, amount, utc(now)
                }))
        .map(r -> r.rowCount() > 0);
  }

  public static Uni<List<CostPoint>> all(SqlClient sql, UUID tenant) {
    return sql.preparedQuery(
            "select service, granularity, period_start, currency, amount from cost_point where"
                + " tenant_id = $1")
        .execute(Tuple.of(tenant))
        .map(
            rows -> {
              List<CostPoint> out = new ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(
                    new CostPoint(
                        r.getString(0),
                        Granularity.fromCode(r.getString(1)),
                        r.getLocalDate(2),
                        r.getString(3),
                        r.getBigDecimal(4)));
              }
              return out;
            });
  }

  /** Queues the tenant's anomaly and budget checks, in the transaction of the change. */
  public static Uni<Void> changed(SqlClient sql, UUID tenant, Instant now) {
    return sql.preparedQuery(
            "insert into cost_change (tenant_id, changed_at) values ($1, $2) on conflict"
                + " (tenant_id) do nothing")
        .execute(Tuple.of(tenant, utc(now)))
        .replaceWithVoid();
  }

  /** Queues every tenant with a budget (system scope): forecast spend moves with time. */
  public static Uni<Integer> budgetsChanged(SqlClient sql, Instant now) {
    return sql.preparedQuery(
            "insert into cost_change (tenant_id, changed_at) select distinct tenant_id, $1 from"
                + " budget on conflict (tenant_id) do nothing")
        .execute(Tuple.of(utc(now)))
        .map(r -> r.rowCount());
  }

  /**
   * Takes the oldest queued tenant off the queue (system scope), skipping one another checker
   * holds; the row's delete commits with what the check records, or returns with a rollback.
   *
   * @return the tenant, or null when none is queued
   */
  public static Uni<UUID> claimChanged(SqlClient sql) {
    return sql.preparedQuery(
            "delete from cost_change where tenant_id = (select tenant_id from cost_change order by"
                + " changed_at limit 1 for update skip locked) returning tenant_id")
        .execute()
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
  }

  static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
