package com.securebase.analytics.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The throttle of live metric updates: what each ingest stored is gathered on the tenant's row; a
 * flush announces a tenant's gathered points once its window has passed since the last
 * announcement.
 */
public final class NoticeStore {
  private NoticeStore() {}

  public record Pending(UUID tenant, List<String> metrics, Instant from, Instant to, long points) {}

  public static Uni<Void> gather(
      SqlClient sql, UUID tenant, String[] metrics, Instant first, Instant last, int points) {
    return sql.preparedQuery(
            "insert into metrics_notice (tenant_id, pending, metrics, from_ts, to_ts, points)"
                + " values ($1, true, $2, $3, $4, $5) on conflict (tenant_id) do update set"
                + " pending = true, metrics = array(select distinct m from"
                + " unnest(metrics_notice.metrics || excluded.metrics) as m order by m), from_ts ="
                + " least(metrics_notice.from_ts, excluded.from_ts), to_ts ="
                + " greatest(metrics_notice.to_ts, excluded.to_ts), points = metrics_notice.points"
                + " + excluded.points, version = metrics_notice.version + 1")
        .execute(
            Tuple.of(tenant, metrics, PointStore.utc(first), PointStore.utc(last), (long) points))
        .replaceWithVoid();
  }

  /** The tenant's ingest version (0 before its first points). */
  public static Uni<Long> version(SqlClient sql, UUID tenant) {
    return sql.preparedQuery("select version from metrics_notice where tenant_id = $1")
        .execute(Tuple.of(tenant))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
  }

  /**
   * Claims (locks, skipping rows another replica holds) and resets the tenants due an announcement;
   * the caller writes their events in the same transaction.
   */
  public static Uni<List<Pending>> takeDue(SqlClient sql, Instant now, Duration window, int limit) {
    return sql.preparedQuery(
            "with due as (select tenant_id from metrics_notice where pending and (last_sent_at is"
                + " null or last_sent_at <= $1) order by tenant_id limit $3 for update skip"
                + " locked), old as (select n.tenant_id, n.metrics, n.from_ts, n.to_ts, n.points"
                + " from metrics_notice n join due using (tenant_id)) update metrics_notice n set"
                + " pending = false, metrics = '{}', from_ts = null, to_ts = null, points = 0,"
                + " last_sent_at = $2 from old where n.tenant_id = old.tenant_id returning"
                + " old.tenant_id, old.metrics, old.from_ts, old.to_ts, old.points")
        .execute(Tuple.of(PointStore.utc(now.minus(window)), PointStore.utc(now), limit))
        .map(
            rows -> {
              List<Pending> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Pending(
                        r.getUUID(0),
                        List.of(r.getArrayOfStrings(1)),
                        r.getOffsetDateTime(2).toInstant(),
                        r.getOffsetDateTime(3).toInstant(),
                        r.getLong(4)));
              }
              return out;
            });
  }
}
