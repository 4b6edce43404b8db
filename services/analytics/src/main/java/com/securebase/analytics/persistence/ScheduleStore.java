package com.securebase.analytics.persistence;

import com.securebase.analytics.domain.Recipient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Report schedules, and the claim of due slots that makes each slot run once. */
public final class ScheduleStore {
  private ScheduleStore() {}

  public record Schedule(
      UUID id,
      UUID tenant,
      UUID reportId,
      String cron,
      String timeZone,
      List<Recipient> recipients,
      boolean enabled,
      Instant nextRunAt,
      String createdBy,
      Instant createdAt,
      Instant updatedAt) {}

  private static final String COLUMNS =
      "id, tenant_id, report_id, cron, time_zone, recipients, enabled, next_run_at, created_by,"
          + " created_at, updated_at";

  public static Uni<Void> insert(SqlClient sql, Schedule s) {
    return sql.preparedQuery(
            "insert into report_schedule ("
                + COLUMNS
                + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .execute(tuple(s))
        .replaceWithVoid();
  }

  public static Uni<Boolean> update(SqlClient sql, Schedule s) {
    return sql.preparedQuery(
            "update report_schedule set cron = $4, time_zone = $5, recipients = $6, enabled = $7,"
                + " next_run_at = $8, updated_at = $11 where id = $1 and tenant_id = $2 and"
                + " report_id = $3 and created_by = $9 and created_at = $10")
        .execute(tuple(s))
        .map(rs -> rs.rowCount() == 1);
  }

  public static Uni<Boolean> delete(SqlClient sql, UUID tenant, UUID id) {
    return sql.preparedQuery("delete from report_schedule where tenant_id = $1 and id = $2")
        .execute(Tuple.of(tenant, id))
        .map(rs -> rs.rowCount() == 1);
  }

  public static Uni<Schedule> get(SqlClient sql, UUID tenant, UUID id) {
    return sql.preparedQuery(
            "select " + COLUMNS + " from report_schedule where tenant_id = $1 and id = $2")
        .execute(Tuple.of(tenant, id))
        .map(rows -> rows.size() == 0 ? null : schedule(rows.iterator().next()));
  }

  /** The schedules of the reports the caller may see ({@link ReportStore#VISIBLE}). */
  public static Uni<List<Schedule>> visible(
      SqlClient sql,
      UUID tenant,
      boolean all,
      String subject,
      Set<String> roles,
      UUID report,
      int limit) {
    return sql.preparedQuery(
            "select "
                + COLUMNS.replaceAll("(^|, )", "$1x.")
                + " from report_schedule x join report r on r.id = x.report_id where x.tenant_id ="
                + " $1 and "
                + ReportStore.VISIBLE
                + " and ($5::uuid is null or x.report_id = $5) order by x.created_at, x.id limit $6")
        .execute(
            Tuple.from(
                Arrays.asList(tenant, all, subject, roles.toArray(String[]::new), report, limit)))
        .map(ScheduleStore::schedules);
  }

  /**
   * Locks the enabled schedules whose slot has come (skipping those another replica holds); the
   * caller queues each slot's run and moves the schedule on in the same transaction.
   */
  public static Uni<List<Schedule>> claimDue(SqlClient sql, Instant now, int limit) {
    return sql.preparedQuery(
            "select "
                + COLUMNS
                + " from report_schedule where enabled and next_run_at <= $1 order by next_run_at"
                + " limit $2 for update skip locked")
        .execute(Tuple.of(PointStore.utc(now), limit))
        .map(ScheduleStore::schedules);
  }

  public static Uni<Void> advance(SqlClient sql, UUID id, Instant next) {
    return sql.preparedQuery("update report_schedule set next_run_at = $2 where id = $1")
        .execute(Tuple.of(id, next == null ? null : PointStore.utc(next)))
        .replaceWithVoid();
  }

  private static Tuple tuple(Schedule s) {
    return Tuple.from(
        Arrays.asList(
            s.id(),
            s.tenant(),
            s.reportId(),
            s.cron(),
            s.timeZone(),
            recipients(s.recipients()),
            s.enabled(),
            s.nextRunAt() == null ? null : PointStore.utc(s.nextRunAt()),
            s.createdBy(),
            PointStore.utc(s.createdAt()),
            PointStore.utc(s.updatedAt())));
  }

  static JsonArray recipients(List<Recipient> recipients) {
    JsonArray a = new JsonArray();
    recipients.forEach(r -> a.add(JsonObject.mapFrom(r)));
    return a;
  }

  private static List<Schedule> schedules(RowSet<Row> rows) {
    List<Schedule> out = new ArrayList<>();
    rows.forEach(r -> out.add(schedule(r)));
    return out;
  }

  private static Schedule schedule(Row r) {
    List<Recipient> recipients = new ArrayList<>();
    ((JsonArray) r.getValue(5))
        .forEach(o -> recipients.add(((JsonObject) o).mapTo(Recipient.class)));
    return new Schedule(
        r.getUUID(0),
        r.getUUID(1),
        r.getUUID(2),
        r.getString(3),
        r.getString(4),
        recipients,
        r.getBoolean(6),
        r.getOffsetDateTime(7) == null ? null : r.getOffsetDateTime(7).toInstant(),
        r.getString(8),
        r.getOffsetDateTime(9).toInstant(),
        r.getOffsetDateTime(10).toInstant());
  }
}
