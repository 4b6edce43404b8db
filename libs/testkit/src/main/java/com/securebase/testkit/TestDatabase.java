package com.securebase.testkit;

import com.securebase.infra.LocalInfra;
import com.securebase.infra.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Direct SQL on the suite's database as the superuser (bypassing RLS), for assertions a client
 * cannot make through the API: what is really stored, and what an attacker editing rows would do.
 */
public final class TestDatabase {
  private TestDatabase() {}

  public static List<Map<String, Object>> rows(String sql, Object... params) {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> rows = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Query failed: " + sql, e);
    }
  }

  public static long count(String sql, Object... params) {
    return ((Number) rows(sql, params).getFirst().values().iterator().next()).longValue();
  }

  public static int execute(String sql, Object... params) {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Statement failed: " + sql, e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
    return ps;
  }

  private static Connection connect() throws SQLException {
    String database = ConfigProvider.getConfig().getValue("securebase.test.database", String.class);
    String schema =
        ConfigProvider.getConfig().getValue("quarkus.flyway.default-schema", String.class);
    LocalPostgres postgres = LocalInfra.shared().postgres();
    Connection c =
        DriverManager.getConnection(postgres.jdbcUrl(database), postgres.superuser(), "");
    c.setSchema(schema);
    return c;
  }
}
