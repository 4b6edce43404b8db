package com.securebase.tenancy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

  @Inject Pool pool;

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
