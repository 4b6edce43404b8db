package com.securebase.analytics.persistence;

import com.securebase.analytics.domain.Aggregation;
import com.securebase.analytics.domain.Field;
import com.securebase.analytics.domain.Filter;
import com.securebase.analytics.domain.MetricQuery;
import com.securebase.analytics.domain.ResultRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of a {@link MetricQuery}: from the hourly rollup when it answers exactly, from the points
 * otherwise. Only fixed text is concatenated (column names chosen from a closed set, aggregate
 * functions, bucket units of an enum); every name and value from the request is a bound parameter,
 * numbered in the order it appears so the same text serves the reactive client ({@code $n}) and
 * JDBC ({@code ?}).
 *
 * <p>Columns: the bucket (when the query has one), the metric, one per group, one per aggregation.
 */
public final class QuerySql {
  private final StringBuilder sql = new StringBuilder();
  private final List<Object> params = new ArrayList<>();
  private final MetricQuery query;
  private final boolean rollup;

  private QuerySql(MetricQuery query, boolean rollup) {
    this.query = query;
    this.rollup = rollup;
  }

  /**
   * @param limit rows to read (one more than the answer's limit tells whether it was cut)
   */
  public static QuerySql of(UUID tenant, MetricQuery q, int limit) {
    QuerySql s = new QuerySql(q, q.rollupAnswers());
    s.build(tenant, limit);
    return s;
  }

  public String reactiveSql() {
    return sql.toString();
  }

  public String jdbcSql() {
    return sql.toString().replaceAll("\\$[0-9]+", "?");
  }

  public List<Object> params() {
    return params;
  }

  /** Whether it reads the rollup ({@code rollup}) or the points ({@code points}). */
  public String source() {
    return rollup ? "rollup" : "points";
  }

  private String bind(Object value, String type) {
    params.add(value);
    return "$" + params.size() + "::" + type;
  }

  private void build(UUID tenant, int limit) {
    String time = rollup ? "hour" : "ts";
    List<String> select = new ArrayList<>();
    if (query.bucket() != null) {
      select.add(
          "date_trunc('"
              + query.bucket().code()
              + "', "
              + time
              + ", "
              + bind(query.zone().getId(), "text")
              + ")");
    }
    select.add("metric");
    for (Field f : query.groupBy()) {
      select.add(column(f));
    }
    int keys = select.size();
    for (Aggregation a : query.aggregations()) {
      select.add(aggregate(a));
    }
    sql.append("select ").append(String.join(", ", select));
    sql.append(rollup ? " from metric_rollup_hour" : " from metric_point");
    sql.append(" where tenant_id = ").append(bind(tenant, "uuid"));
    sql.append(" and metric = any(")
        .append(bind(query.metrics().toArray(String[]::new), "text[]"))
        .append(')');
    sql.append(" and ").append(time).append(" >= ").append(bind(utc(query.from()), "timestamptz"));
    sql.append(" and ").append(time).append(" < ").append(bind(utc(query.to()), "timestamptz"));
    for (Filter f : query.filters()) {
      sql.append(" and ")
          .append(column(f.field()))
          .append(" = any(")
          .append(bind(f.values().toArray(String[]::new), "text[]"))
          .append(')');
    }
    StringBuilder positions = new StringBuilder();
    for (int i = 1; i <= keys; i++) {
      positions.append(i == 1 ? "" : ", ").append(i);
    }
    sql.append(" group by ").append(positions);
    sql.append(" order by ").append(positions);
    sql.append(" limit ").append(bind(limit, "int"));
  }

  private String column(Field f) {
    if (!f.isTag()) {
      return switch (f.dimension()) {
        case "region" -> "region";
        case "service" -> "service";
        case "account" -> "account";
        default -> throw new IllegalArgumentException(f.dimension());
      };
    }
    return "tags ->> " + bind(f.tag(), "text");
  }

  private String aggregate(Aggregation a) {
    if (rollup) {
      return switch (a) {
        case SUM -> "sum(total)";
        case AVG -> "sum(total) / sum(n)";
        case MIN -> "min(low)";
        case MAX -> "max(high)";
        case COUNT -> "sum(n)::float8";
        case P95 -> throw new IllegalStateException("p95 is not in the rollup");
      };
    }
    return switch (a) {
      case SUM -> "sum(value)";
      case AVG -> "avg(value)";
      case MIN -> "min(value)";
      case MAX -> "max(value)";
      case COUNT -> "count(*)::float8";
      case P95 -> "percentile_cont(0.95) within group (order by value)";
    };
  }

  /** Reads one row, whichever client fetched it. */
  public ResultRow row(Columns c) {
    int i = 0;
    Instant bucket = query.bucket() == null ? query.from() : c.time(i++);
    String metric = c.text(i++);
    List<String> groups = new ArrayList<>(query.groupBy().size());
    for (int g = 0; g < query.groupBy().size(); g++) {
      groups.add(c.text(i++));
    }
    double[] values = new double[query.aggregations().size()];
    for (int v = 0; v < values.length; v++) {
      values[v] = c.number(i++);
    }
    return new ResultRow(bucket, metric, groups, values);
  }

  /** A fetched row's columns by position (0-based). */
  public interface Columns {
    Instant time(int i);

    String text(int i);

    double number(int i);
  }

  static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
