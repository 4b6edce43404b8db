package com.securebase.analytics.persistence;

import com.securebase.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Report runs: queued once per schedule slot (the unique key on schedule and slot), claimed with a
 * lease so a replica that dies mid-run hands it on, and finished or put back to retry.
 */
public final class RunStore {
  private RunStore() {}

  public record Run(
      UUID id,
      UUID tenant,
      UUID reportId,
      UUID scheduleId,
      String trigger,
      Instant scheduledFor,
      String status,
      int attempts,
      boolean generated,
      Instant startedAt,
      Instant finishedAt,
      Integer rowCount,
      Integer outputSize,
      JsonArray deliveries,
      JsonObject error,
      Instant createdAt) {
    /** The per-recipient results as plain lists and maps (for events and answers). */
    public List<Object> deliveryList() {
      return deliveries == null ? List.of() : plain(deliveries.encode(), List.class);
    }

    /** The error as a plain map, or null. */
    public Map<String, Object> errorMap() {
      return error == null ? null : plain(error.encode(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static <T> T plain(String json, Class<?> type) {
      try {
        return (T) EventJson.MAPPER.readValue(json, type);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final String COLUMNS =
      "id, tenant_id, report_id, schedule_id, trigger, scheduled_for, status, attempts, generated,"
          + " started_at, finished_at, row_count, output_size, deliveries, error, created_at";

  /**
   * Queues a run; a slot that already has one gets nothing (another replica, or an earlier pass,
   * queued it).
   *
   * @return the new run's id, or null when the slot had its run already
   */
  public static Uni<UUID> enqueue(
      SqlClient sql,
      UUID tenant,
      UUID report,
      UUID schedule,
      String trigger,
      Instant slot,
      Instant now) {
    return sql.preparedQuery(
            "insert into report_run (id, tenant_id, report_id, schedule_id, trigger, scheduled_for,"
                + " status, next_attempt_at, created_at) values ($1, $2, $3, $4, $5, $6, 'queued',"
                + " $7, $7) on conflict (schedule_id, scheduled_for) do nothing returning id")
        .execute(
            Tuple.from(
                Arrays.asList(
                    UUID.randomUUID(),
                    tenant,
                    report,
                    schedule,
                    trigger,
                    slot == null ? null : PointStore.utc(slot),
                    PointStore.utc(now))))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID(0));
  }

  /**
   * Takes up to {@code limit} runs that are due (queued, due a retry, or running under a lease that
   * has passed), skipping those another replica holds, and leases them to the caller.
   */
  public static Uni<List<Run>> claim(SqlClient sql, Instant now, Duration lease, int limit) {
    return sql.preparedQuery(
            "with due as (select id from report_run where (status in ('queued', 'retrying') and"
                + " next_attempt_at <= $1) or (status = 'running' and lease_until < $1) order by"
                + " next_attempt_at limit $3 for update skip locked) update report_run r set"
                + " status = 'running', attempts = r.attempts + 1, lease_until = $2, started_at ="
                + " coalesce(r.started_at, $1) from due where r.id = due.id returning "
                + COLUMNS.replaceAll("(^|, )", "$1r."))
        .execute(Tuple.of(PointStore.utc(now), PointStore.utc(now.plus(lease)), limit))
        .map(RunStore::runs);
  }

  /**
   * Records an attempt's outcome: {@code delivered} or {@code failed} end the run; {@code retrying}
   * puts it back for {@code retryAt}.
   */
  public static Uni<Run> finish(
      SqlClient sql,
      UUID id,
      String status,
      boolean generated,
      Integer rowCount,
      Integer outputSize,
      JsonArray deliveries,
      JsonObject error,
      Instant now,
      Instant retryAt) {
    return sql.preparedQuery(
            "update report_run set status = $2, generated = $3, row_count = $4, output_size = $5,"
                + " deliveries = $6, error = $7, finished_at = case when $2 in ('delivered',"
                + " 'failed') then $8::timestamptz end, next_attempt_at = coalesce($9::timestamptz, next_attempt_at),"
                + " lease_until = null where id = $1 and status = 'running' returning "
                + COLUMNS)
        .execute(
            Tuple.from(
                Arrays.asList(
                    id,
                    status,
                    generated,
                    rowCount,
                    outputSize,
                    deliveries,
                    error,
                    PointStore.utc(now),
                    retryAt == null ? null : PointStore.utc(retryAt))))
        .map(rows -> rows.size() == 0 ? null : run(rows.iterator().next()));
  }

  public static Uni<List<Run>> ofSchedule(SqlClient sql, UUID tenant, UUID schedule, int limit) {
    return sql.preparedQuery(
            "select "
                + COLUMNS
                + " from report_run where tenant_id = $1 and schedule_id = $2 order by created_at"
                + " desc, id desc limit $3")
        .execute(Tuple.of(tenant, schedule, limit))
        .map(RunStore::runs);
  }

  private static List<Run> runs(RowSet<Row> rows) {
    List<Run> out = new ArrayList<>();
    rows.forEach(r -> out.add(run(r)));
    return out;
  }

  private static Instant instant(Row r, int i) {
    return r.getOffsetDateTime(i) == null ? null : r.getOffsetDateTime(i).toInstant();
  }

  private static Run run(Row r) {
    return new Run(
        r.getUUID(0),
        r.getUUID(1),
        r.getUUID(2),
        r.getUUID(3),
        r.getString(4),
        instant(r, 5),
        r.getString(6),
        r.getInteger(7),
        r.getBoolean(8),
        instant(r, 9),
        instant(r, 10),
        r.getInteger(11),
        r.getInteger(12),
        (JsonArray) r.getValue(13),
        (JsonObject) r.getValue(14),
        instant(r, 15));
  }
}
