package com.securebase.analytics.domain;

import java.time.Instant;
import java.util.Map;

/**
 * One measurement. {@code id} and {@code timestamp} identify it: the same pair again is the same
 * point. Absent dimensions are empty strings.
 */
public record MetricPoint(
    String id,
    Instant timestamp,
    String metric,
    double value,
    String region,
    String service,
    String account,
    Map<String, String> tags) {
  /** What identifies a stored point (with its tenant): a repeat of it is a duplicate. */
  public record Key(String id, Instant timestamp) {}

  public Key key() {
    return new Key(id, timestamp);
  }

  public MetricPoint {
    timestamp = timestamp.truncatedTo(java.time.temporal.ChronoUnit.MICROS); // Postgres' precision
    region = region == null ? "" : region;
    service = service == null ? "" : service;
    account = account == null ? "" : account;
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
