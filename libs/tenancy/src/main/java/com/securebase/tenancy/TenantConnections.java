package com.securebase.tenancy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@link TenantTransactions} for work on the plain reactive SQL client (multi-row statements on a
 * hot path, lock-ordered batch work): a transaction on one pooled connection whose first statement
 * binds row-level security to the tenant, transaction-locally, exactly as the Hibernate path does.
 */
@ApplicationScoped
public class TenantConnections {
  private static final String SET_SCOPE =
      "select set_config('securebase.tenant_id', $1, true),"
          + " set_config('securebase.system_scope', $2, true)";

  /**
   * The tenant scope as the first common table expression of one statement. A statement that starts
   * with it, and whose data-modifying parts read {@code FROM scope}, sets the scope before any row
   * is written or checked: the rows come from {@code scope}, and the policies' scope sub-selects
   * run on first use. $1 is the tenant; the statement's own parameters begin at $2.
   */
  public static final String STATEMENT_SCOPE =
      "with scope as materialized (select set_config('securebase.tenant_id', $1, true) as tenant,"
          + " set_config('securebase.system_scope', 'off', true) as system)";

  @Inject Pool pool;

  /**
   * One statement starting with {@link #STATEMENT_SCOPE}, sent outside a transaction block, so it
   * is its own transaction: every row it writes commits, or none does. For a hot path whose writes
   * fit in one statement (a record and its outbox event): it saves BEGIN, the scope's statement and
   * COMMIT, three of the five commands the server would otherwise run.
   */
  public Uni<Void> statementInTenant(UUID tenantId, String statement, List<Object> parameters) {
    if (tenantId == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("tenantId is required"));
    }
    if (!statement.startsWith(STATEMENT_SCOPE)) {
      return Uni.createFrom()
          .failure(new IllegalArgumentException("statement does not begin with the scope"));
    }
    List<Object> all = new ArrayList<>(parameters.size() + 1);
    all.add(tenantId.toString());
    all.addAll(parameters);
    return pool.preparedQuery(statement).execute(Tuple.from(all)).replaceWithVoid();
  }

  public <T> Uni<T> inTenant(UUID tenantId, Function<SqlConnection, Uni<T>> work) {
    if (tenantId == null) {
      return Uni.createFrom().failure(new IllegalArgumentException("tenantId is required"));
    }
    return scoped(tenantId.toString(), "off", work);
  }

  /** Cross-tenant work (schedulers, sweeps); never on a request path. */
  public <T> Uni<T> asSystem(Function<SqlConnection, Uni<T>> work) {
    return scoped("", "on", work);
  }

  /**
   * Moves a transaction this class began to another tenant's scope, for work that handles several
   * tenants' items in one transaction (a polled batch of events); statements sent after it run in
   * the new scope. {@code null} is the system scope.
   */
  public static Uni<Void> rescope(SqlConnection connection, UUID tenantId) {
    return connection
        .preparedQuery(SET_SCOPE)
        .execute(tenantId == null ? Tuple.of("", "on") : Tuple.of(tenantId.toString(), "off"))
        .replaceWithVoid();
  }

  /**
   * The scope and the work's first statements go out together (the client pipelines commands on a
   * connection, and Postgres runs them in the order sent), so scoping costs no round trip of its
   * own. Statements the work issues at once are pipelined too. If any statement fails, the
   * transaction is aborted on the server, so nothing after it can commit.
   */
  private <T> Uni<T> scoped(String tenant, String system, Function<SqlConnection, Uni<T>> work) {
    return pool.withTransaction(
        connection ->
            Uni.combine()
                .all()
                .unis(
                    connection.preparedQuery(SET_SCOPE).execute(Tuple.of(tenant, system)),
                    Uni.createFrom().deferred(() -> work.apply(connection)))
                .with((scope, result) -> result));
  }
}
