package com.securebase.analytics.domain;

import java.time.Instant;
import java.util.List;

/**
 * One answer row: the bucket's start (the range's start without a bucket), the metric, the group's
 * values in {@code groupBy} order (null for a tag the points lack) and one value per aggregation.
 */
public record ResultRow(Instant bucket, String metric, List<String> groups, double[] values) {}
