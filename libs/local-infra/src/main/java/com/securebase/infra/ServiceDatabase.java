package com.securebase.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A service's database access on the local PostgreSQL: its schema, the owner role that migrates it
 * and the application role it runs as ({@code securebase/db/service-bootstrap.sql}).
 */
public record ServiceDatabase(
    int port,
    String database,
    String schema,
    String ownerUser,
    String ownerPassword,
    String appUser,
    String appPassword) {

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,40}$");

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The Vert.x reactive client URL. */
  public String reactiveUrl() {
    return "postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The Quarkus settings that point a service at this database (runtime role and Flyway). */
  public java.util.Map<String, String> quarkusConfig() {
    java.util.Map<String, String> config = new java.util.LinkedHashMap<>();
    config.put("quarkus.datasource.reactive.url", reactiveUrl());
    config.put("quarkus.datasource.username", appUser());
    config.put("quarkus.datasource.password", appPassword());
    config.put("quarkus.datasource.jdbc.url", jdbcUrl());
    config.put("quarkus.flyway.username", ownerUser());
    config.put("quarkus.flyway.password", ownerPassword());
    config.put("quarkus.flyway.schemas", schema());
    config.put("quarkus.flyway.default-schema", schema());
    return config;
  }

  /** Creates (if missing) the database, the service's roles and schema. Idempotent. */
  public static ServiceDatabase ensure(LocalPostgres postgres, String database, String service) {
    if (!NAME.matcher(database).matches() || !NAME.matcher(service).matches()) {
      throw new IllegalArgumentException("Database and service names are lower-case identifiers");
    }
    ServiceDatabase db =
        new ServiceDatabase(
            postgres.port(),
            database,
            service,
            service + "_owner",
            "local-" + service + "-owner",
            service + "_app",
            "local-" + service + "-app");
    try (Connection admin =
        DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.superuser(), "")) {
      try (PreparedStatement exists =
          admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, database);
        try (ResultSet rs = exists.executeQuery()) {
          if (!rs.next()) {
            try (Statement create = admin.createStatement()) {
              create.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
              if (!"42P04".equals(e.getSQLState())) { // created concurrently
                throw e;
              }
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + database, e);
    }
    try (Connection admin =
            DriverManager.getConnection(postgres.jdbcUrl(database), postgres.superuser(), "");
        Statement statement = admin.createStatement()) {
      statement.execute(
          bootstrapSql(
              Map.of(
                  "owner",
                  db.ownerUser,
                  "owner_password",
                  db.ownerPassword,
                  "app",
                  db.appUser,
                  "app_password",
                  db.appPassword,
                  "schema",
                  db.schema,
                  "database",
                  database)));
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot set up schema " + service + " in " + database, e);
    }
    return db;
  }

  /** Drops a database (test clean-up), disconnecting its sessions first. */
  public static void drop(LocalPostgres postgres, String database) {
    try (Connection admin =
            DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.superuser(), "");
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot drop database " + database, e);
    }
  }

  static String bootstrapSql(Map<String, String> values) {
    try (InputStream in =
        ServiceDatabase.class.getResourceAsStream("/securebase/db/service-bootstrap.sql")) {
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (Map.Entry<String, String> e : values.entrySet()) {
        sql = sql.replace("${" + e.getKey() + "}", e.getValue().replace("'", "''"));
      }
      return sql;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
