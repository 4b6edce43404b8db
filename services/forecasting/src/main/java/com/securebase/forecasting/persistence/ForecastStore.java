package com.securebase.forecasting.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Forecasts as answered, kept so they can be read and exported again without recomputing. */
public final class ForecastStore {
  private ForecastStore() {}

  /** A stored forecast; {@code body} is the answer's JSON as it was sent. */
  public record StoredForecast(
      UUID id,
      Instant createdAt,
      String createdBy,
      String granularity,
      int horizonMonths,
      String currency,
      String body) {}

  public static Uni<Void> insert(SqlClient sql, UUID tenant, StoredForecast f) {
    return sql.preparedQuery(
            "insert into forecast (id, tenant_id, created_at, created_by, granularity,"
                + " horizon_months, currency, body) values ($1, $2, $3, $4, $5, $6, $7, $8)")
        .execute(
            Tuple.from(
                Arrays.asList(
                    f.id(),
                    tenant,
                    CostStore.utc(f.createdAt()),
                    f.createdBy(),
                    f.granularity(),
                    f.horizonMonths(),
                    f.currency(),
                    new JsonObject(f.body()))))
        .replaceWithVoid();
  }

  private static final String COLUMNS =
      "id, created_at, created_by, granularity, horizon_months, currency, body::text";

  public static Uni<StoredForecast> get(SqlClient sql, UUID tenant, UUID id) {
    return sql.preparedQuery(
            "select " + COLUMNS + " from forecast where tenant_id = $1 and id = $2")
        .execute(Tuple.of(tenant, id))
        .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
  }

  /** Newest first, after the (created_at, id) of the cursor; one row more than asked. */
  public static Uni<List<StoredForecast>> page(
      SqlClient sql, UUID tenant, Instant beforeTime, UUID beforeId, int limit) {
    return sql.preparedQuery(
            "select "
                + COLUMNS
                + " from forecast where tenant_id = $1 and ($2::timestamptz is null or"
                + " (created_at, id) < ($2, $3)) order by created_at desc, id desc limit $4")
        .execute(
            Tuple.from(
                Arrays.asList(
                    tenant,
                    beforeTime == null ? null : CostStore.utc(beforeTime),
                    beforeId,
                    limit + 1)))
        .map(
            rows -> {
              List<StoredForecast> out = new ArrayList<>();
              rows.forEach(r -> out.add(row(r)));
              return out;
            });
  }

  private static StoredForecast row(Row r) {
    return new StoredForecast(
        r.getUUID(0),
        r.getOffsetDateTime(1).toInstant(),
        r.getString(2),
        r.getString(3),
        r.getInteger(4),
        r.getString(5),
        r.getString(6));
  }
}
