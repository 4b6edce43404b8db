package com.securebase.analytics.persistence;

import com.securebase.analytics.config.AnalyticsSettings;
import com.securebase.analytics.domain.MetricQuery;
import com.securebase.analytics.domain.ResultRow;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A query's rows streamed from a server-side cursor (JDBC with a fetch size, in a transaction
 * scoped to the tenant as every other statement is), so an export of any size holds one fetch of
 * rows at a time. Blocking: for worker threads only.
 */
@ApplicationScoped
public class ExportRows {
  private static final int FETCH = 1_000;

  @Inject AgroalDataSource dataSource;

  @Inject AnalyticsSettings settings;

  /**
   * @return how many rows reached {@code sink}
   * @throws com.securebase.problem.ProblemException 422 when the statement ran out of time
   */
  public int stream(UUID tenant, MetricQuery q, Consumer<ResultRow> sink) {
    QuerySql sql = QuerySql.of(tenant, q, q.limit());
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement scope =
            c.prepareStatement(
                "select set_config('securebase.tenant_id', ?, true),"
                    + " set_config('securebase.system_scope', 'off', true)")) {
          scope.setString(1, tenant.toString());
          scope.execute();
        }
        try (var limit = c.createStatement()) {
          limit.execute("set local statement_timeout = " + settings.export().timeout().toMillis());
        }
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql.jdbcSql())) {
          ps.setFetchSize(FETCH);
          bind(c, ps, sql.params());
          try (ResultSet rs = ps.executeQuery()) {
            QuerySql.Columns columns = columns(rs);
            while (rs.next()) {
              sink.accept(sql.row(columns));
              n++;
            }
          }
        }
        c.commit();
        return n;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      if ("57014".equals(e.getSQLState())) {
        throw QueryRunner.tooLong(settings.export().timeout());
      }
      throw new IllegalStateException("Export query failed: " + e.getSQLState(), e);
    }
  }

  private static void bind(Connection c, PreparedStatement ps, List<Object> params)
      throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof String[] array) {
        ps.setArray(i + 1, c.createArrayOf("text", array));
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  private static QuerySql.Columns columns(ResultSet rs) {
    return new QuerySql.Columns() {
      @Override
      public Instant time(int i) {
        try {
          return rs.getObject(i + 1, OffsetDateTime.class).toInstant();
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public String text(int i) {
        try {
          return rs.getString(i + 1);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public double number(int i) {
        try {
          double d = rs.getDouble(i + 1);
          return rs.wasNull() ? Double.NaN : d;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }
}
