package com.securebase.analytics.domain;

import com.securebase.problem.ProblemException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A query as a client writes it and a report stores it: a fixed range ({@code from}, {@code to}) or
 * a relative one ({@code last}, an ISO 8601 period or duration ending with the current bucket).
 * {@link #resolve} checks every part and returns the query to run; a relative range is resolved
 * against the clock each time, so a saved report always shows its latest window.
 */
// Stored in report.query through JsonObject.mapFrom/mapTo (ReportStore).
@RegisterForReflection
public record QuerySpec(
    List<String> metrics,
    List<String> aggregations,
    List<String> groupBy,
    List<FilterSpec> filters,
    String from,
    String to,
    String last,
    String bucket,
    String timeZone,
    Integer limit) {

  /** {@code op} is {@code equals} (one {@code value}) or {@code in} (a list of {@code values}). */
  // Part of QuerySpec's stored JSON.
  @RegisterForReflection
  public record FilterSpec(String field, String op, String value, List<String> values) {}

  public static final Pattern METRIC = Pattern.compile("^[a-z][a-z0-9_.-]{0,99}$");
  public static final int MAX_METRICS = 10;
  public static final int MAX_GROUP_BY = 5;
  public static final int MAX_FILTERS = 10;
  public static final int MAX_FILTER_VALUES = 100;
  public static final int MAX_VALUE_LENGTH = 200;
  public static final int DEFAULT_LIMIT = 1_000;

  /** More buckets than this in one range is a query too large to answer. */
  public static final long MAX_BUCKETS = 50_000;

  public static final Duration MAX_SPAN = Duration.ofDays(3_660);
  private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

  /**
   * @param maxLimit the largest row limit allowed (an answer or an export)
   * @throws ProblemException 400 naming the field at fault, 422 {@code query-too-large}
   */
  public MetricQuery resolve(Instant now, int maxLimit) {
    List<String> ms = metrics == null ? List.of() : metrics;
    if (ms.isEmpty() || ms.size() > MAX_METRICS) {
      throw ProblemException.invalidField(
          "metrics", "must name between 1 and " + MAX_METRICS + " metrics");
    }
    for (int i = 0; i < ms.size(); i++) {
      if (ms.get(i) == null || !METRIC.matcher(ms.get(i)).matches()) {
        throw ProblemException.invalidField(
            "metrics[" + i + "]", "must match " + METRIC.pattern() + " (a metric name)");
      }
    }
    if (new HashSet<>(ms).size() != ms.size()) {
      throw ProblemException.invalidField("metrics", "must not repeat a metric");
    }
    List<Aggregation> aggs = new ArrayList<>();
    for (String a :
        aggregations == null || aggregations.isEmpty() ? List.of("sum") : aggregations) {
      Aggregation agg = enumOf(Aggregation.class, a, "aggregations");
      if (aggs.contains(agg)) {
        throw ProblemException.invalidField("aggregations", "must not repeat " + a);
      }
      aggs.add(agg);
    }
    List<Field> groups = new ArrayList<>();
    List<String> gb = groupBy == null ? List.of() : groupBy;
    if (gb.size() > MAX_GROUP_BY) {
      throw ProblemException.invalidField(
          "groupBy", "may name at most " + MAX_GROUP_BY + " dimensions");
    }
    for (int i = 0; i < gb.size(); i++) {
      Field f = field(gb.get(i), "groupBy[" + i + "]");
      if (groups.contains(f)) {
        throw ProblemException.invalidField("groupBy", "must not repeat " + f.name());
      }
      groups.add(f);
    }
    List<Filter> fs = new ArrayList<>();
    List<FilterSpec> given = filters == null ? List.of() : filters;
    if (given.size() > MAX_FILTERS) {
      throw ProblemException.invalidField(
          "filters", "may hold at most " + MAX_FILTERS + " filters");
    }
    for (int i = 0; i < given.size(); i++) {
      fs.add(filter(given.get(i), "filters[" + i + "]"));
    }
    ZoneId zone = zone(timeZone);
    Bucket b = bucket == null ? null : enumOf(Bucket.class, bucket, "bucket");
    Instant[] range = range(now, zone, b);
    if (b != null) {
      long buckets = Duration.between(range[0], range[1]).dividedBy(b.shortest) + 1;
      if (buckets > MAX_BUCKETS) {
        throw new ProblemException(
            422,
            "query-too-large",
            "Query too large",
            "The range holds up to "
                + buckets
                + " "
                + b.code()
                + " buckets; at most "
                + MAX_BUCKETS
                + ". Use a larger bucket or a shorter range.",
            Map.of("maxBuckets", MAX_BUCKETS));
      }
    }
    int rows = limit == null ? Math.min(DEFAULT_LIMIT, maxLimit) : limit;
    if (rows < 1 || rows > maxLimit) {
      throw ProblemException.invalidField("limit", "must be between 1 and " + maxLimit);
    }
    return new MetricQuery(List.copyOf(ms), aggs, groups, fs, range[0], range[1], b, zone, rows);
  }

  private static Field field(String name, String where) {
    return Field.parse(name)
        .orElseThrow(
            () ->
                ProblemException.invalidField(
                    where,
                    "'"
                        + cut(name)
                        + "' is not a dimension; use region, service, account or tags.<name>"
                        + " (a tag name matches "
                        + Field.TAG_NAME.pattern()
                        + ")"));
  }

  private static Filter filter(FilterSpec f, String where) {
    if (f == null) {
      throw ProblemException.invalidField(where, "must be a filter object");
    }
    Field field = field(f.field(), where + ".field");
    String op = f.op() == null ? "equals" : f.op();
    List<String> values;
    switch (op) {
      case "equals" -> {
        if (f.value() == null || f.values() != null) {
          throw ProblemException.invalidField(where + ".value", "equals takes one value");
        }
        values = List.of(f.value());
      }
      case "in" -> {
        if (f.values() == null || f.values().isEmpty() || f.value() != null) {
          throw ProblemException.invalidField(where + ".values", "in takes a non-empty list");
        }
        values = f.values();
      }
      default -> throw ProblemException.invalidField(where + ".op", "must be one of equals, in");
    }
    if (values.size() > MAX_FILTER_VALUES) {
      throw ProblemException.invalidField(
          where + ".values", "may hold at most " + MAX_FILTER_VALUES + " values");
    }
    for (String v : values) {
      if (v == null || v.length() > MAX_VALUE_LENGTH) {
        throw ProblemException.invalidField(
            where + ".values", "each value is a string of at most " + MAX_VALUE_LENGTH);
      }
    }
    return new Filter(field, values);
  }

  private static ZoneId zone(String text) {
    if (text == null || text.equals("UTC")) {
      return ZoneId.of("UTC");
    }
    if (!ZoneId.getAvailableZoneIds().contains(text)) {
      throw ProblemException.invalidField(
          "timeZone", "'" + cut(text) + "' is not an IANA time zone (for example Europe/Paris)");
    }
    return ZoneId.of(text);
  }

  private Instant[] range(Instant now, ZoneId zone, Bucket b) {
    Instant start;
    Instant end;
    if (last != null) {
      if (from != null || to != null) {
        throw ProblemException.invalidField(
            "last", "is given instead of from and to, not with them");
      }
      end = nextBucketStart(now, zone, b);
      start = minus(end, zone, last);
    } else {
      if (from == null || to == null) {
        throw ProblemException.invalidField(
            "from", "and to are required (ISO 8601 date-times), or last (for example P30D)");
      }
      start = time("from", from);
      end = time("to", to);
    }
    if (!start.isBefore(end)) {
      throw ProblemException.invalidField("to", "must be after from");
    }
    if (start.isBefore(EARLIEST) || end.isAfter(now.plus(Duration.ofDays(366)))) {
      throw ProblemException.invalidField(
          "from", "and to must lie between 2000-01-01 and a year from now");
    }
    if (Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
      throw ProblemException.invalidField(
          "to", "must be at most " + MAX_SPAN.toDays() + " days after from");
    }
    return new Instant[] {start, end};
  }

  private static Instant time(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ProblemException.invalidField(
          field, "must be an ISO 8601 date-time with an offset (2026-03-01T00:00:00Z)");
    }
  }

  private static Instant minus(Instant end, ZoneId zone, String last) {
    try {
      if (last.contains("T")) {
        Duration d = Duration.parse(last);
        if (d.isNegative() || d.isZero() || d.compareTo(MAX_SPAN) > 0) {
          throw new DateTimeException("out of range");
        }
        return end.minus(d);
      }
      Period p = Period.parse(last);
      if (p.isNegative()
          || p.isZero()
          || p.toTotalMonths() * 31 + p.getDays() > MAX_SPAN.toDays()) {
        throw new DateTimeException("out of range");
      }
      return ZonedDateTime.ofInstant(end, zone).minus(p).toInstant();
    } catch (DateTimeException e) {
      throw ProblemException.invalidField(
          "last",
          "must be an ISO 8601 period or duration between PT1M and P"
              + MAX_SPAN.toDays()
              + "D (for example P30D, P3M, PT6H)");
    }
  }

  /** The start of the bucket after the one {@code now} is in (the next hour without a bucket). */
  static Instant nextBucketStart(Instant now, ZoneId zone, Bucket b) {
    ZonedDateTime t = ZonedDateTime.ofInstant(now, zone);
    ZonedDateTime start =
        switch (b == null ? Bucket.HOUR : b) {
          case HOUR -> t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
          case DAY -> t.toLocalDate().plusDays(1).atStartOfDay(zone);
          case WEEK ->
              t.toLocalDate()
                  .with(TemporalAdjusters.next(java.time.DayOfWeek.MONDAY))
                  .atStartOfDay(zone);
          case MONTH -> t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay(zone);
        };
    return start.toInstant();
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String text, String field) {
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
        return e;
      }
    }
    List<String> allowed = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      allowed.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw ProblemException.invalidField(
        field, "'" + cut(text) + "' is not one of " + String.join(", ", allowed));
  }

  private static String cut(String s) {
    return s == null ? "null" : s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  /** Every metric name a query may name: its own and the built-in ones fed from events. */
  public static Set<String> known(Set<String> tenantMetrics) {
    Set<String> all = new HashSet<>(tenantMetrics);
    all.addAll(EventPoints.METRICS);
    return all;
  }
}
