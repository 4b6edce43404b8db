package com.securebase.billing.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One usage record, checked field by field: each record of a batch is accepted or refused on its
 * own, so one bad record never costs the others. The payload hash covers what the record means
 * (metric, exact quantity, instant, properties), so "5" and "5.0" or two spellings of one instant
 * are the same record, and anything else under the same transaction id is a conflict.
 */
public record UsageRecord(
    String transactionId,
    String metricCode,
    BigDecimal quantity,
    Instant timestamp,
    Map<String, String> properties,
    byte[] payloadHash) {

  /** How far ahead of the server's clock a record's timestamp may be (clock skew of senders). */
  public static final Duration FUTURE_SKEW = Duration.ofMinutes(5);

  private static final Pattern METRIC = Pattern.compile("^[a-z][a-z0-9_]{1,63}$");
  private static final BigDecimal MAX_QUANTITY = new BigDecimal("1000000000000000000");
  private static final int MAX_PROPERTIES = 64;
  private static final Set<String> FIELDS =
      Set.of("transactionId", "metricCode", "quantity", "timestamp", "properties");

  /** Why a record was refused: the HTTP status it would get alone, a problem slug, the detail. */
  public record Rejection(int status, String type, String field, String detail) {}

  /** Either the record or why it was refused. */
  public record Parsed(UsageRecord record, String transactionId, Rejection rejection) {}

  public static Parsed parse(JsonNode node, Instant now) {
    if (node == null || !node.isObject()) {
      return refused(null, "record", "must be a JSON object");
    }
    JsonNode tx = node.get("transactionId");
    String transactionId = tx != null && tx.isTextual() ? tx.asText() : null;
    if (transactionId == null || transactionId.isEmpty() || transactionId.length() > 128) {
      return refused(null, "transactionId", "must be a string of 1 to 128 characters");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        return refused(transactionId, name, "is not a field of a usage record");
      }
    }
    JsonNode metric = node.get("metricCode");
    if (metric == null || !metric.isTextual() || !METRIC.matcher(metric.asText()).matches()) {
      return refused(transactionId, "metricCode", "must be a lower-case metric code");
    }
    BigDecimal quantity = quantity(node.get("quantity"));
    if (quantity == null) {
      return refused(
          transactionId,
          "quantity",
          "must be a non-negative number (or numeric string) with at most 6 decimals");
    }
    Instant timestamp;
    try {
      JsonNode ts = node.get("timestamp");
      if (ts == null || !ts.isTextual()) {
        return refused(transactionId, "timestamp", "must be an RFC 3339 date-time");
      }
      timestamp = OffsetDateTime.parse(ts.asText()).toInstant();
    } catch (DateTimeParseException e) {
      return refused(transactionId, "timestamp", "must be an RFC 3339 date-time");
    }
    if (timestamp.isAfter(now.plus(FUTURE_SKEW))) {
      return new Parsed(
          null,
          transactionId,
          new Rejection(
              422,
              "timestamp-in-future",
              "timestamp",
              "is more than " + FUTURE_SKEW.toMinutes() + " minutes ahead of the server's clock"));
    }
    Map<String, String> properties = new TreeMap<>();
    JsonNode props = node.get("properties");
    if (props != null && !props.isNull()) {
      if (!props.isObject() || props.size() > MAX_PROPERTIES) {
        return refused(transactionId, "properties", "must be an object of at most 64 strings");
      }
      for (var e : props.properties()) {
        if (!e.getValue().isTextual()
            || e.getKey().length() > 64
            || e.getValue().asText().length() > 256) {
          return refused(
              transactionId,
              "properties." + e.getKey(),
              "must be a string of at most 256 characters under a name of at most 64");
        }
        properties.put(e.getKey(), e.getValue().asText());
      }
    }
    UsageRecord record =
        new UsageRecord(
            transactionId,
            metric.asText(),
            quantity,
            timestamp,
            properties,
            hash(metric.asText(), quantity, timestamp, properties));
    return new Parsed(record, transactionId, null);
  }

  /** The record as the catalog's {@code usage.recorded} event data names it. */
  public static ObjectNode eventShape(JsonNode data) {
    ObjectNode copy = data.deepCopy();
    copy.remove("tenantId");
    if (copy.has("dimensions")) {
      copy.set("properties", copy.remove("dimensions"));
    }
    return copy;
  }

  private static BigDecimal quantity(JsonNode node) {
    if (node == null || !(node.isNumber() || node.isTextual())) {
      return null;
    }
    try {
      BigDecimal q = node.isNumber() ? node.decimalValue() : new BigDecimal(node.asText().trim());
      if (q.signum() < 0 || q.compareTo(MAX_QUANTITY) >= 0 || q.stripTrailingZeros().scale() > 6) {
        return null;
      }
      return q.stripTrailingZeros().scale() < 0 ? q.setScale(0) : q.stripTrailingZeros();
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static Parsed refused(String transactionId, String field, String detail) {
    return new Parsed(
        null, transactionId, new Rejection(422, "invalid-usage-record", field, detail));
  }

  private static byte[] hash(
      String metric, BigDecimal quantity, Instant timestamp, Map<String, String> properties) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String canonical =
          metric
              + "\n"
              + quantity.stripTrailingZeros().toPlainString()
              + "\n"
              + timestamp
              + "\n"
              + EventJson.MAPPER.writeValueAsString(properties);
      return sha.digest(canonical.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
