package com.securebase.analytics.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.securebase.analytics.domain.MetricPoint;
import com.securebase.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Metric points, their hourly rollup, the tenant's metric names and the partitions, in SQL. */
public final class PointStore {
  private PointStore() {}

  /** A point stored now for the first time. */

  /**
   * Inserts the points that are new and, in the same statement, adds exactly those to the hourly
   * rollup and to the tenant's metric names. A point already stored (same tenant, time and id) is
   * skipped, so the rollup counts each point once however often it is sent.
   *
   * @return the points stored now
   */
  public static Uni<List<MetricPoint.Key>> insert(
      SqlClient sql, UUID tenant, List<MetricPoint> points, Instant now) {
    if (points.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    int n = points.size();
    OffsetDateTime[] ts = new OffsetDateTime[n];
    String[] ids = new String[n];
    String[] metrics = new String[n];
    Double[] values = new Double[n];
    String[] regions = new String[n];
    String[] services = new String[n];
    String[] accounts = new String[n];
    String[] tags = new String[n];
    for (int i = 0; i < n; i++) {
      MetricPoint p = points.get(i);
      ts[i] = p.timestamp().atOffset(ZoneOffset.UTC);
      ids[i] = p.id();
      metrics[i] = p.metric();
      values[i] = p.value();
      regions[i] = p.region();
      services[i] = p.service();
      accounts[i] = p.account();
      tags[i] = json(p);
    }
    return sql.preparedQuery(
            "with input as (select * from unnest($2::timestamptz[], $3::text[], $4::text[],"
                + " $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[]) as x (ts,"
                + " point_id, metric, value, region, service, account, tags)),"
                + " inserted as (insert into metric_point (tenant_id, ts, point_id, metric, value,"
                + " region, service, account, tags, received_at) select $1, ts, point_id, metric,"
                + " value, region, service, account, tags::jsonb, $10 from input on conflict do"
                + " nothing returning ts, point_id, metric, value, region, service, account),"
                + " rolled as (insert into metric_rollup_hour (tenant_id, metric, hour, region,"
                + " service, account, n, total, low, high) select $1, metric, date_trunc('hour',"
                + " ts, 'UTC'), region, service, account, count(*), sum(value), min(value),"
                + " max(value) from inserted group by 2, 3, 4, 5, 6 on conflict (tenant_id, metric,"
                + " hour, region, service, account) do update set n = metric_rollup_hour.n +"
                + " excluded.n, total = metric_rollup_hour.total + excluded.total, low ="
                + " least(metric_rollup_hour.low, excluded.low), high ="
                + " greatest(metric_rollup_hour.high, excluded.high)),"
                + " named as (insert into metric_name (tenant_id, metric, first_seen, last_seen)"
                + " select distinct $1, metric, $10::timestamptz, $10::timestamptz from inserted"
                + " on conflict (tenant_id, metric) do update set last_seen = excluded.last_seen)"
                + " select point_id, ts from inserted")
        .execute(
            Tuple.from(
                new Object[] {
                  tenant, ts, ids, metrics, values, regions, services, accounts, tags, utc(now)
                }))
        .map(
            rows -> {
              List<MetricPoint.Key> out = new java.util.ArrayList<>(rows.size());
              for (Row r : rows) {
                out.add(new MetricPoint.Key(r.getString(0), r.getOffsetDateTime(1).toInstant()));
              }
              return out;
            });
  }

  /** The first day of every month the points fall in. */
  public static Set<LocalDate> months(List<MetricPoint> points) {
    Set<LocalDate> months = new TreeSet<>();
    for (MetricPoint p : points) {
      months.add(p.timestamp().atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1));
    }
    return months;
  }

  /** Creates the month's partition unless it exists (the owner's function does it). */
  public static Uni<Boolean> ensurePartition(SqlClient sql, LocalDate month) {
    return sql.preparedQuery("select analytics_ensure_partition($1)")
        .execute(Tuple.of(month))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** Drops the months wholly before {@code cutoff} (and their rollup rows). */
  public static Uni<Integer> dropBefore(SqlClient sql, LocalDate cutoff) {
    return sql.preparedQuery("select analytics_drop_partitions_before($1)")
        .execute(Tuple.of(cutoff))
        .map(rows -> rows.iterator().next().getInteger(0));
  }

  /** The metric names the tenant has sent. */
  public static Uni<Set<String>> metricNames(SqlClient sql, UUID tenant) {
    return sql.preparedQuery("select metric from metric_name where tenant_id = $1")
        .execute(Tuple.of(tenant))
        .map(
            rows -> {
              Set<String> out = new HashSet<>();
              rows.forEach(r -> out.add(r.getString(0)));
              return out;
            });
  }

  public record MetricInfo(String metric, Instant firstSeen, Instant lastSeen) {}

  public static Uni<List<MetricInfo>> metrics(SqlClient sql, UUID tenant) {
    return sql.preparedQuery(
            "select metric, first_seen, last_seen from metric_name where tenant_id = $1 order by"
                + " metric")
        .execute(Tuple.of(tenant))
        .map(
            rows -> {
              List<MetricInfo> out = new java.util.ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new MetricInfo(
                              r.getString(0),
                              r.getOffsetDateTime(1).toInstant(),
                              r.getOffsetDateTime(2).toInstant())));
              return out;
            });
  }

  static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }

  private static String json(MetricPoint p) {
    try {
      return EventJson.MAPPER.writeValueAsString(p.tags());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
