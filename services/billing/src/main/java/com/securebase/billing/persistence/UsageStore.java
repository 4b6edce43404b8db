package com.securebase.billing.persistence;

import com.securebase.billing.domain.Aggregation;
import com.securebase.billing.domain.BillingPeriod;
import com.securebase.billing.domain.Metric;
import com.securebase.billing.domain.UsageRecord;
import com.securebase.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Usage rows on the plain SQL client: a batch is one multi-row insert of arrays (one prepared
 * statement whatever the batch size, so its plan stays cached), and a period's aggregates are one
 * range scan of the (tenant, metric, time) index. Callers run these inside a tenant transaction.
 */
public final class UsageStore {
  private UsageStore() {}

  private static final HexFormat HEX = HexFormat.of();

  private static final String INSERT =
      "insert into usage_event (tenant_id, transaction_id, metric_code, quantity, occurred_at,"
          + " properties, payload_hash, received_at) select $1, t.id, t.metric, t.qty, t.ts,"
          + " t.props, decode(t.hash, 'hex'), $2 from unnest($3::text[], $4::text[],"
          + " $5::text[]::numeric[], $6::timestamptz[], $7::text[]::jsonb[], $8::text[]) as"
          + " t(id, metric, qty, ts, props, hash) on conflict (tenant_id, transaction_id) do"
          + " nothing returning transaction_id";

  private static final String EXISTING =
      "select transaction_id, encode(payload_hash, 'hex') from usage_event"
          + " where tenant_id = $1 and transaction_id = any($2::text[])";

  private static final String OPEN_PERIODS =
      "insert into billing_period (tenant_id, period_start, period_end) select $1, s, s +"
          + " interval '1 month' from unnest($2::timestamptz[]) s on conflict do nothing";

  // FOR SHARE: concurrent ingests proceed together; a finalize (FOR UPDATE) waits for them.
  private static final String LOCK_PERIODS =
      "select period_start, closed from billing_period where tenant_id = $1"
          + " and period_start = any($2::timestamptz[]) for share";

  // Counts, sums and maxima hash-aggregate in one pass. A distinct count or a latest value needs
  // ordered input, so those run apart and only over the metrics that use them: folded into the
  // first query they made Postgres sort the whole period (1.7 s instead of 0.15 s per million).
  private static final String BASIC =
      "select u.tenant_id, u.metric_code, count(*), sum(u.quantity), max(u.quantity)"
          + " from usage_event u where %s group by u.tenant_id, u.metric_code";
  private static final String UNIQUE =
      "select u.tenant_id, u.metric_code, count(distinct u.properties ->> m.unique_field) from"
          + " usage_event u join billable_metric m on m.code = u.metric_code where"
          + " u.metric_code = any($%d::text[]) and %s group by u.tenant_id, u.metric_code";
  private static final String LATEST =
      "select distinct on (u.tenant_id, u.metric_code) u.tenant_id, u.metric_code, u.quantity"
          + " from usage_event u where u.metric_code = any($%d::text[]) and %s order by"
          + " u.tenant_id, u.metric_code, u.occurred_at desc, u.transaction_id desc";
  private static final String OF_TENANTS =
      "u.tenant_id = any($1::uuid[]) and u.occurred_at >= $2 and u.occurred_at < $3";
  private static final String OF_ALL = "u.occurred_at >= $1 and u.occurred_at < $2";

  /**
   * The periods among {@code periods} that are closed (their invoice is finalized), share-locked.
   */
  public static Uni<Set<Instant>> lockPeriods(SqlClient sql, UUID tenant, Set<Instant> periods) {
    OffsetDateTime[] starts =
        periods.stream().map(p -> p.atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new);
    return sql.preparedQuery(OPEN_PERIODS)
        .execute(Tuple.of(tenant, starts))
        .chain(() -> sql.preparedQuery(LOCK_PERIODS).execute(Tuple.of(tenant, starts)))
        .map(
            rows -> {
              Set<Instant> closed = new HashSet<>();
              for (Row r : rows) {
                if (r.getBoolean(1)) {
                  closed.add(r.getOffsetDateTime(0).toInstant());
                }
              }
              return closed;
            });
  }

  /**
   * Inserts the records that are new.
   *
   * @return the transaction ids that were inserted
   */
  public static Uni<Set<String>> insert(
      SqlClient sql, UUID tenant, List<UsageRecord> records, Instant receivedAt) {
    int n = records.size();
    String[] ids = new String[n];
    String[] metrics = new String[n];
    String[] quantities = new String[n];
    OffsetDateTime[] times = new OffsetDateTime[n];
    String[] properties = new String[n];
    String[] hashes = new String[n];
    for (int i = 0; i < n; i++) {
      UsageRecord r = records.get(i);
      ids[i] = r.transactionId();
      metrics[i] = r.metricCode();
      quantities[i] = r.quantity().toPlainString();
      times[i] = r.timestamp().atOffset(ZoneOffset.UTC);
      properties[i] = json(r.properties());
      hashes[i] = HEX.formatHex(r.payloadHash());
    }
    return sql.preparedQuery(INSERT)
        .execute(
            Tuple.from(
                new Object[] {
                  tenant,
                  receivedAt.atOffset(ZoneOffset.UTC),
                  ids,
                  metrics,
                  quantities,
                  times,
                  properties,
                  hashes
                }))
        .map(
            rows -> {
              Set<String> inserted = new HashSet<>();
              for (Row r : rows) {
                inserted.add(r.getString(0));
              }
              return inserted;
            });
  }

  /** The payload hashes (hex) stored under these transaction ids. */
  public static Uni<Map<String, String>> storedHashes(
      SqlClient sql, UUID tenant, Set<String> transactionIds) {
    return sql.preparedQuery(EXISTING)
        .execute(Tuple.of(tenant, transactionIds.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, String> found = new HashMap<>();
              for (Row r : rows) {
                found.put(r.getString(0), r.getString(1));
              }
              return found;
            });
  }

  /** One metric's aggregates over a period, every aggregation at once. */
  public record Aggregates(
      BigDecimal count, BigDecimal sum, BigDecimal max, BigDecimal unique, BigDecimal latest) {
    public static final Aggregates NONE =
        new Aggregates(
            BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
  }

  /** Every tenant's aggregates per metric over a period, in one pass over the period's usage. */
  public static Uni<Map<UUID, Map<String, Aggregates>>> aggregates(
      SqlClient sql, Map<String, Metric> metrics, BillingPeriod period) {
    return aggregates(sql, metrics, OF_ALL, 3, List.of(utc(period.start()), utc(period.end())));
  }

  /** The listed tenants' aggregates per metric over a period, from the (tenant, …) index. */
  public static Uni<Map<UUID, Map<String, Aggregates>>> aggregates(
      SqlClient sql, Map<String, Metric> metrics, List<UUID> tenants, BillingPeriod period) {
    return aggregates(
        sql,
        metrics,
        OF_TENANTS,
        4,
        List.of(tenants.toArray(UUID[]::new), utc(period.start()), utc(period.end())));
  }

  public static Uni<Map<String, Aggregates>> aggregates(
      SqlClient sql, Map<String, Metric> metrics, UUID tenant, BillingPeriod period) {
    return aggregates(sql, metrics, List.of(tenant), period)
        .map(all -> all.getOrDefault(tenant, Map.of()));
  }

  private static Uni<Map<UUID, Map<String, Aggregates>>> aggregates(
      SqlClient sql,
      Map<String, Metric> metrics,
      String where,
      int codesParam,
      List<Object> params) {
    String[] unique = codes(metrics, Aggregation.UNIQUE_COUNT);
    String[] latest = codes(metrics, Aggregation.LATEST);
    Uni<Map<UUID, Map<String, BigDecimal>>> uniques =
        unique.length == 0
            ? Uni.createFrom().item(Map.of())
            : levels(sql, String.format(UNIQUE, codesParam, where), params, unique);
    Uni<Map<UUID, Map<String, BigDecimal>>> latests =
        latest.length == 0
            ? Uni.createFrom().item(Map.of())
            : levels(sql, String.format(LATEST, codesParam, where), params, latest);
    return Uni.combine()
        .all()
        .unis(
            sql.preparedQuery(String.format(BASIC, where)).execute(Tuple.from(params)),
            uniques,
            latests)
        .asTuple()
        .map(
            t -> {
              Map<UUID, Map<String, Aggregates>> byTenant = new HashMap<>();
              for (Row r : t.getItem1()) {
                UUID tenant = r.getUUID(0);
                String metric = r.getString(1);
                byTenant
                    .computeIfAbsent(tenant, k -> new HashMap<>())
                    .put(
                        metric,
                        new Aggregates(
                            BigDecimal.valueOf(r.getLong(2)),
                            r.getBigDecimal(3),
                            r.getBigDecimal(4),
                            level(t.getItem2(), tenant, metric),
                            level(t.getItem3(), tenant, metric)));
              }
              return byTenant;
            });
  }

  private static Uni<Map<UUID, Map<String, BigDecimal>>> levels(
      SqlClient sql, String query, List<Object> params, String[] codes) {
    List<Object> all = new ArrayList<>(params);
    all.add(codes);
    return sql.preparedQuery(query)
        .execute(Tuple.from(all))
        .map(
            rows -> {
              Map<UUID, Map<String, BigDecimal>> found = new HashMap<>();
              for (Row r : rows) {
                Object value = r.getValue(2);
                found
                    .computeIfAbsent(r.getUUID(0), k -> new HashMap<>())
                    .put(
                        r.getString(1),
                        value instanceof Number n && !(value instanceof BigDecimal)
                            ? BigDecimal.valueOf(n.longValue())
                            : r.getBigDecimal(2));
              }
              return found;
            });
  }

  private static BigDecimal level(
      Map<UUID, Map<String, BigDecimal>> levels, UUID tenant, String metric) {
    return levels.getOrDefault(tenant, Map.of()).getOrDefault(metric, BigDecimal.ZERO);
  }

  private static String[] codes(Map<String, Metric> metrics, Aggregation aggregation) {
    return metrics.values().stream()
        .filter(m -> m.aggregation() == aggregation)
        .map(Metric::code)
        .toArray(String[]::new);
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }

  private static String json(Map<String, String> properties) {
    try {
      return EventJson.MAPPER.writeValueAsString(properties);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
