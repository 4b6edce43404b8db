package com.securebase.forecasting.persistence;

import com.securebase.forecasting.domain.Granularity;
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

/** Detected anomalies, one per point, in plain SQL. */
public final class AnomalyStore {
  private AnomalyStore() {}

  /** {@code service} null is the tenant's total (stored as ''). */
  public record AnomalyRow(
      UUID id,
      String service,
      Granularity granularity,
      LocalDate periodStart,
      String currency,
      BigDecimal actual,
      BigDecimal expected,
      BigDecimal lower,
      BigDecimal upper,
      double score,
      Instant detectedAt) {}

  private static final String COLUMNS =
      "id, service, granularity, period_start, currency, actual, expected, lower_bound,"
          + " upper_bound, score, detected_at";

  /**
   * Records anomalies; the unique point key keeps a point to one row, so only the check that
   * records a point first gets it back (and emits its event).
   */
  public static Uni<List<AnomalyRow>> record(SqlClient sql, UUID tenant, List<AnomalyRow> found) {
    if (found.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    int n = found.size();
    UUID[] ids = new UUID[n];
    String[] services = new String[n];
    String[] granularities = new String[n];
    String[] periods = new String[n];
    String[] currencies = new String[n];
    String[] actual = new String[n];
    String[] expected = new String[n];
    String[] lower = new String[n];
    String[] upper = new String[n];
    Double[] scores = new Double[n];
    for (int i = 0; i < n; i++) {
      AnomalyRow a = found.get(i);
      ids[i] = a.id();
      services[i] = a.service() == null ? "" : a.service();
      granularities[i] = a.granularity().code();
      periods[i] = a.periodStart().toString();
      currencies[i] = a.currency();
      actual[i] = a.actual().toPlainString();
      expected[i] = a.expected().toPlainString();
      lower[i] = a.lower().toPlainString();
      upper[i] = a.upper().toPlainString();
      scores[i] = a.score();
    }
    return sql.preparedQuery(
            "insert into anomaly (tenant_id, detected_at, id, service, granularity, period_start,"
                + " currency, actual, expected, lower_bound, upper_bound, score) select $1, $2, *"
                + " from unnest($3::uuid[], $4::text[], $5::text[], $6::text[]::date[],"
                + " $7::text[], $8::text[]::numeric[], $9::text[]::numeric[],"
                + " $10::text[]::numeric[], $11::text[]::numeric[], $12::float8[]) on conflict do"
                + " nothing returning "
                + COLUMNS)
        .execute(
            Tuple.from(
                new Object[] {
                  tenant,
                  CostStore.utc(found.getFirst().detectedAt()),
                  ids,
                  services,
                  granularities,
                  periods,
                  currencies,
                  actual,
                  expected,
                  lower,
                  upper,
                  scores
                }))
        .map(AnomalyStore::rows);
  }

  /** Newest period first, after the cursor's (period, id); one row more than asked. */
  public static Uni<List<AnomalyRow>> page(
      SqlClient sql,
      UUID tenant,
      String service,
      Granularity granularity,
      LocalDate from,
      LocalDate to,
      LocalDate beforePeriod,
      UUID beforeId,
      int limit) {
    return sql.preparedQuery(
            "select "
                + COLUMNS
                + " from anomaly where tenant_id = $1 and ($2::text is null or service = $2) and"
                + " ($3::text is null or granularity = $3) and ($4::date is null or period_start"
                + " >= $4) and ($5::date is null or period_start < $5) and ($6::date is null or"
                + " (period_start, id) < ($6, $7)) order by period_start desc, id desc limit $8")
        .execute(
            Tuple.from(
                Arrays.asList(
                    tenant,
                    service,
                    granularity == null ? null : granularity.code(),
                    from,
                    to,
                    beforePeriod,
                    beforeId,
                    limit + 1)))
        .map(AnomalyStore::rows);
  }

  /** The tenant's anomalies of the last year, for the recurring-anomaly rule. */
  public static Uni<List<AnomalyRow>> since(SqlClient sql, UUID tenant, LocalDate since) {
    return sql.preparedQuery(
            "select " + COLUMNS + " from anomaly where tenant_id = $1 and period_start >= $2")
        .execute(Tuple.of(tenant, since))
        .map(AnomalyStore::rows);
  }

  private static List<AnomalyRow> rows(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
    List<AnomalyRow> out = new ArrayList<>();
    for (Row r : rows) {
      String service = r.getString(1);
      out.add(
          new AnomalyRow(
              r.getUUID(0),
              service.isEmpty() ? null : service,
              Granularity.fromCode(r.getString(2)),
              r.getLocalDate(3),
              r.getString(4),
              r.getBigDecimal(5),
              r.getBigDecimal(6),
              r.getBigDecimal(7),
              r.getBigDecimal(8),
              r.getDouble(9),
              r.getOffsetDateTime(10).toInstant()));
    }
    return out;
  }
}
