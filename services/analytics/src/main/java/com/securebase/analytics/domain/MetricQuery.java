package com.securebase.analytics.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import java.util.stream.Collectors;

/** A checked query over {@code [from, to)}, ready to run. */
public record MetricQuery(
    List<String> metrics,
    List<Aggregation> aggregations,
    List<Field> groupBy,
    List<Filter> filters,
    Instant from,
    Instant to,
    Bucket bucket,
    ZoneId zone,
    int limit) {

  /**
   * Whether the hourly rollup answers this exactly: no p95, no tag, a range on whole UTC hours, and
   * a zone whose offset is a whole number of hours all through it (so its buckets are unions of UTC
   * hours; India's +05:30, for one, is not).
   */
  public boolean rollupAnswers() {
    if (!aggregations.stream().allMatch(Aggregation::fromRollup)
        || groupBy.stream().anyMatch(Field::isTag)
        || filters.stream().anyMatch(f -> f.field().isTag())
        || from.getEpochSecond() % 3600 != 0
        || to.getEpochSecond() % 3600 != 0) {
      return false;
    }
    var rules = zone.getRules();
    if (rules.getOffset(from).getTotalSeconds() % 3600 != 0) {
      return false;
    }
    ZoneOffsetTransition t = rules.nextTransition(from);
    while (t != null && t.getInstant().isBefore(to)) {
      if (t.getOffsetAfter().getTotalSeconds() % 3600 != 0) {
        return false;
      }
      t = rules.nextTransition(t.getInstant());
    }
    return true;
  }

  /** One line that identifies the query's answer (the cache key is its hash). */
  public String canonical() {
    return String.join(
        "|",
        String.join(",", metrics),
        aggregations.stream().map(Aggregation::code).collect(Collectors.joining(",")),
        groupBy.stream().map(Field::name).collect(Collectors.joining(",")),
        filters.stream()
            .map(f -> f.field().name() + "=" + String.join("\u0001", f.values()))
            .collect(Collectors.joining("\u0002")),
        from.toString(),
        to.toString(),
        bucket == null ? "" : bucket.code(),
        zone.getId(),
        String.valueOf(limit));
  }

  /** An instant as answers show it: in the query's zone, with its offset. */
  /**
   * The same query with another row limit (a saved query's limit bounds its answer, not its file).
   */
  public MetricQuery withLimit(int rows) {
    return new MetricQuery(metrics, aggregations, groupBy, filters, from, to, bucket, zone, rows);
  }

  public String bucketText(Instant t) {
    return java.time.ZonedDateTime.ofInstant(t, zone).toOffsetDateTime().toString();
  }
}
