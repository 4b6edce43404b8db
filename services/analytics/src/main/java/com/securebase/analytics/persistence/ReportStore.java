package com.securebase.analytics.persistence;

import com.securebase.analytics.domain.QuerySpec;
import com.securebase.analytics.domain.ReportAccess.Share;
import io.smallrye.mutiny.Uni;
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

/** Saved reports and their shares, in SQL. */
public final class ReportStore {
  private ReportStore() {}

  public record Report(
      UUID id,
      String name,
      String description,
      String template,
      QuerySpec query,
      String chart,
      String format,
      String createdBy,
      Instant createdAt,
      Instant updatedAt,
      int version) {}

  public record ShareRow(
      String principalType,
      String principal,
      String permission,
      String createdBy,
      Instant createdAt) {
    public Share share() {
      return new Share(principalType, principal, permission);
    }
  }

  private static final String COLUMNS =
      "id, name, description, template, query, chart, format, created_by, created_at, updated_at,"
          + " version";

  public static Uni<Void> insert(SqlClient sql, UUID tenant, Report r) {
    return sql.preparedQuery(
            "insert into report (id, tenant_id, name, description, template, query, chart, format,"
                + " created_by, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                + " $10, $10)")
        .execute(
            Tuple.from(
                Arrays.asList(
                    r.id(),
                    tenant,
                    r.name(),
                    r.description(),
                    r.template(),
                    JsonObject.mapFrom(r.query()),
                    r.chart(),
                    r.format(),
                    r.createdBy(),
                    PointStore.utc(r.createdAt()))))
        .replaceWithVoid();
  }

  public static Uni<Boolean> update(SqlClient sql, UUID tenant, Report r, Instant now) {
    return sql.preparedQuery(
            "update report set name = $3, description = $4, query = $5, chart = $6, format = $7,"
                + " updated_at = $8, version = version + 1 where tenant_id = $1 and id = $2")
        .execute(
            Tuple.from(
                Arrays.asList(
                    tenant,
                    r.id(),
                    r.name(),
                    r.description(),
                    JsonObject.mapFrom(r.query()),
                    r.chart(),
                    r.format(),
                    PointStore.utc(now))))
        .map(rs -> rs.rowCount() == 1);
  }

  public static Uni<Boolean> delete(SqlClient sql, UUID tenant, UUID id) {
    return sql.preparedQuery("delete from report where tenant_id = $1 and id = $2")
        .execute(Tuple.of(tenant, id))
        .map(rs -> rs.rowCount() == 1);
  }

  /**
   * Whether report {@code r} is visible to the caller: $2 sees all, $3 is the subject, $4 the roles
   * (ReportAccess has the same rule in Java, for one report at a time).
   */
  static final String VISIBLE =
      "($2 or r.created_by = $3 or exists (select 1 from report_share s where s.report_id = r.id"
          + " and ((s.principal_type = 'user' and s.principal = $3) or (s.principal_type = 'role'"
          + " and s.principal = any($4)))))";

  public static Uni<Report> get(SqlClient sql, UUID tenant, UUID id) {
    return sql.preparedQuery("select " + COLUMNS + " from report where tenant_id = $1 and id = $2")
        .execute(Tuple.of(tenant, id))
        .map(rows -> rows.size() == 0 ? null : report(rows.iterator().next()));
  }

  /**
   * The reports the caller may see, newest first: all of them for a manager of every report, else
   * their own and those shared with them or one of their roles.
   */
  public static Uni<List<Report>> visible(
      SqlClient sql,
      UUID tenant,
      boolean all,
      String subject,
      Set<String> roles,
      Instant beforeCreated,
      UUID beforeId,
      int limit) {
    return sql.preparedQuery(
            "select "
                + COLUMNS
                + " from report r where tenant_id = $1 and "
                + VISIBLE
                + " and ($5::timestamptz is null or (created_at, id) < ($5, $6)) order"
                + " by created_at desc, id desc limit $7")
        .execute(
            Tuple.from(
                Arrays.asList(
                    tenant,
                    all,
                    subject,
                    roles.toArray(String[]::new),
                    beforeCreated == null ? null : PointStore.utc(beforeCreated),
                    beforeId,
                    limit)))
        .map(ReportStore::reports);
  }

  public static Uni<List<ShareRow>> shares(SqlClient sql, UUID tenant, UUID report) {
    return sql.preparedQuery(
            "select principal_type, principal, permission, created_by, created_at from"
                + " report_share where tenant_id = $1 and report_id = $2 order by principal_type,"
                + " principal")
        .execute(Tuple.of(tenant, report))
        .map(
            rows -> {
              List<ShareRow> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new ShareRow(
                        r.getString(0),
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getOffsetDateTime(4).toInstant()));
              }
              return out;
            });
  }

  public static Uni<Void> share(
      SqlClient sql, UUID tenant, UUID report, Share s, String by, Instant now) {
    return sql.preparedQuery(
            "insert into report_share (tenant_id, report_id, principal_type, principal, permission,"
                + " created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7) on conflict"
                + " (report_id, principal_type, principal) do update set permission ="
                + " excluded.permission")
        .execute(
            Tuple.from(
                Arrays.asList(
                    tenant,
                    report,
                    s.principalType(),
                    s.principal(),
                    s.permission(),
                    by,
                    PointStore.utc(now))))
        .replaceWithVoid();
  }

  public static Uni<Boolean> unshare(
      SqlClient sql, UUID tenant, UUID report, String type, String principal) {
    return sql.preparedQuery(
            "delete from report_share where tenant_id = $1 and report_id = $2 and principal_type ="
                + " $3 and principal = $4")
        .execute(Tuple.of(tenant, report, type, principal))
        .map(rs -> rs.rowCount() == 1);
  }

  private static List<Report> reports(RowSet<Row> rows) {
    List<Report> out = new ArrayList<>();
    rows.forEach(r -> out.add(report(r)));
    return out;
  }

  private static Report report(Row r) {
    return new Report(
        r.getUUID(0),
        r.getString(1),
        r.getString(2),
        r.getString(3),
        ((JsonObject) r.getValue(4)).mapTo(QuerySpec.class),
        r.getString(5),
        r.getString(6),
        r.getString(7),
        r.getOffsetDateTime(8).toInstant(),
        r.getOffsetDateTime(9).toInstant(),
        r.getInteger(10));
  }
}
