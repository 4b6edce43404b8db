package com.securebase.analytics.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One record of an ingest batch, checked on its own: {@code {id?, metric, timestamp, value,
 * region?, service?, account?, tags?}}. Without an id, the point's id is a hash of its content, so
 * a batch sent twice is stored once either way.
 */
public final class PointRecord {
  private PointRecord() {}

  public static final int MAX_TAGS = 20;
  public static final Duration FUTURE_TOLERANCE = Duration.ofHours(1);
  private static final Set<String> FIELDS =
      Set.of("id", "metric", "timestamp", "value", "region", "service", "account", "tags");

  /** The point, or the field at fault and why. */
  public record Parsed(MetricPoint point, String field, String detail) {
    public boolean ok() {
      return point != null;
    }
  }

  /**
   * @param oldest points before this are refused (older than the retention keeps)
   */
  public static Parsed parse(JsonNode r, Instant now, Instant oldest) {
    if (r == null || !r.isObject()) {
      return bad("record", "must be an object");
    }
    for (var names = r.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        return bad(name, "is not a field of a metric point");
      }
    }
    JsonNode metric = r.get("metric");
    if (metric == null
        || !metric.isTextual()
        || !QuerySpec.METRIC.matcher(metric.asText()).matches()) {
      return bad("metric", "must match " + QuerySpec.METRIC.pattern());
    }
    JsonNode time = r.get("timestamp");
    if (time == null || !time.isTextual()) {
      return bad("timestamp", "is required (an ISO 8601 date-time with an offset)");
    }
    Instant ts;
    try {
      ts = OffsetDateTime.parse(time.asText()).toInstant();
    } catch (DateTimeParseException e) {
      return bad("timestamp", "must be an ISO 8601 date-time with an offset");
    }
    if (ts.isAfter(now.plus(FUTURE_TOLERANCE))) {
      return bad("timestamp", "is more than an hour ahead");
    }
    if (ts.isBefore(oldest)) {
      return bad("timestamp", "is older than the retention (" + oldest + ")");
    }
    JsonNode value = r.get("value");
    if (value == null
        || !value.isNumber()
        || !Double.isFinite(value.asDouble())
        || Math.abs(value.asDouble()) >= 1e300) {
      return bad("value", "must be a finite number");
    }
    String[] dims = new String[3];
    String[] names = {"region", "service", "account"};
    for (int i = 0; i < 3; i++) {
      JsonNode d = r.get(names[i]);
      if (d != null && !d.isNull()) {
        if (!d.isTextual() || d.asText().length() > 100) {
          return bad(names[i], "must be a string of at most 100 characters");
        }
        dims[i] = d.asText();
      }
    }
    Map<String, String> tags = new TreeMap<>();
    JsonNode t = r.get("tags");
    if (t != null && !t.isNull()) {
      if (!t.isObject() || t.size() > MAX_TAGS) {
        return bad("tags", "must be an object of at most " + MAX_TAGS + " string values");
      }
      for (var it = t.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!Field.TAG_NAME.matcher(e.getKey()).matches()) {
          return bad(
              "tags", "name '" + cut(e.getKey()) + "' must match " + Field.TAG_NAME.pattern());
        }
        if (!e.getValue().isTextual()
            || e.getValue().asText().length() > QuerySpec.MAX_VALUE_LENGTH) {
          return bad("tags." + e.getKey(), "must be a string of at most 200 characters");
        }
        tags.put(e.getKey(), e.getValue().asText());
      }
    }
    JsonNode id = r.get("id");
    String pointId;
    if (id == null || id.isNull()) {
      pointId = contentId(metric.asText(), ts, value.asDouble(), dims, tags);
    } else if (!id.isTextual() || id.asText().isEmpty() || id.asText().length() > 128) {
      return bad("id", "must be a string of 1 to 128 characters");
    } else {
      pointId = id.asText();
    }
    return new Parsed(
        new MetricPoint(
            pointId, ts, metric.asText(), value.asDouble(), dims[0], dims[1], dims[2], tags),
        null,
        null);
  }

  private static String contentId(
      String metric, Instant ts, double value, String[] dims, Map<String, String> tags) {
    StringBuilder s = new StringBuilder(metric).append('\u0000').append(ts).append('\u0000');
    s.append(Double.doubleToLongBits(value));
    for (String d : dims) {
      s.append('\u0000').append(d == null ? "" : d);
    }
    tags.forEach((k, v) -> s.append('\u0000').append(k).append('=').append(v));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(s.toString().getBytes(StandardCharsets.UTF_8));
      return "h:" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Parsed bad(String field, String detail) {
    return new Parsed(null, field, detail);
  }

  private static String cut(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
