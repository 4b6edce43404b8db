package com.securebase.billing.persistence;

import com.securebase.billing.domain.BillingPeriod;
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

  private static final String AGGREGATES =
      "select u.metric_code, count(*), coalesce(sum(u.quantity), 0), coalesce(max(u.quantity), 0),"
          + " count(distinct u.properties ->> m.unique_field) filter (where m.aggregation ="
          + " 'unique_count'), (array_agg(u.quantity order by u.occurred_at desc,"
          + " u.transaction_id desc) filter (where m.aggregation = 'latest'))[1] from usage_event"
          + " u join billable_metric m on m.code = u.metric_code where u.tenant_id = $1 and"
          + " u.occurred_at >= $2 and u.occurred_at < $3 group by u.metric_code";

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

  public static Uni<Map<String, Aggregates>> aggregates(
      SqlClient sql, UUID tenant, BillingPeriod period) {
    return sql.preparedQuery(AGGREGATES)
        .execute(
            Tuple.of(
                tenant,
                period.start().atOffset(ZoneOffset.UTC),
                period.end().atOffset(ZoneOffset.UTC)))
        .map(
            rows -> {
              Map<String, Aggregates> byMetric = new HashMap<>();
              for (Row r : rows) {
                byMetric.put(
                    r.getString(0),
                    new Aggregates(
                        BigDecimal.valueOf(r.getLong(1)),
                        r.getBigDecimal(2),
                        r.getBigDecimal(3),
                        BigDecimal.valueOf(r.getLong(4)),
                        r.getBigDecimal(5) == null ? BigDecimal.ZERO : r.getBigDecimal(5)));
              }
              return byMetric;
            });
  }

  private static String json(Map<String, String> properties) {
    try {
      return EventJson.MAPPER.writeValueAsString(properties);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
