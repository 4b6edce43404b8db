package com.securebase.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The pipelined scope: statements the work sends together with the scope, on a real Postgres, still
 * run under row-level security for the tenant, and a refused one takes the whole transaction down.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "tenancy"))
class TenantConnectionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject TenantConnections connections;

  private static Uni<Void> insert(SqlConnection c, UUID tenant, String body) {
    return c.preparedQuery("insert into note (id, tenant_id, body) values ($1, $2, $3)")
        .execute(Tuple.of(UUID.randomUUID(), tenant, body))
        .replaceWithVoid();
  }

  @Test
  void statementsSentWithTheScopeSeeOnlyTheTenantsRows() {
    UUID tenant = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    connections.inTenant(other, c -> insert(c, other, "theirs")).await().atMost(WAIT);

    // The insert and the count are both sent before either answers, right behind the scope.
    long seen =
        connections
            .inTenant(
                tenant,
                c ->
                    Uni.combine()
                        .all()
                        .unis(
                            insert(c, tenant, "mine"),
                            c.query("select count(*) from note").execute())
                        .with((inserted, rows) -> rows.iterator().next().getLong(0)))
            .await()
            .atMost(WAIT);

    assertThat(seen).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from note where tenant_id = ?", other))
        .isEqualTo(1);
  }

  @Test
  void aRowForAnotherTenantSentInTheSameBatchRollsBackTheWholeTransaction() {
    UUID tenant = UUID.randomUUID();
    UUID victim = UUID.randomUUID();

    assertThatThrownBy(
            () ->
                connections
                    .inTenant(
                        tenant,
                        c ->
                            Uni.combine()
                                .all()
                                .unis(insert(c, tenant, "first"), insert(c, victim, "forged"))
                                .discardItems())
                    .await()
                    .atMost(WAIT))
        .hasMessageContaining("row-level security policy");

    assertThat(
            TestDatabase.count(
                "select count(*) from note where tenant_id = ? or tenant_id = ?", tenant, victim))
        .isZero();
    // The connection went back to the pool clean: the next transaction on it works.
    Row row =
        connections
            .inTenant(tenant, c -> c.query("select count(*) from note").execute())
            .await()
            .atMost(WAIT)
            .iterator()
            .next();
    assertThat(row.getLong(0)).isZero();
  }
}
