package com.securebase.webhooks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import com.securebase.testkit.SecureBaseTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's statements keep index plans when Postgres plans them once for all executions (a
 * generic plan, as the pool's prepared statements get), here on the test database's small tables,
 * where a scan of the whole table is the cheaper plan unless the transaction rules it out. A burst
 * later grows the table to tens of thousands of rows, and such a plan, kept, made each claim take a
 * second.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "webhooks"))
class DeliveryQueuePlanTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Inject Pool pool;

  @Test
  void genericPlansOfTheDispatcherStatementsUseIndexesOnly() {
    Map<String, String> statements =
        Map.of(
            DeliveryQueue.CLAIM, "now(), '{}', 200, now() + interval '60 s', 16",
            DeliveryQueue.RELEASE, "'{}', now()",
            DeliveryQueue.UPDATE_DELIVERIES, "'{}', '{}', '{}', '{}', '{}', '{}', '{}'");
    DeliveryQueue queue = new DeliveryQueue(pool);
    statements.forEach(
        (sql, arguments) -> {
          List<String> plan =
              queue.inSystemTransaction(
                  c -> {
                    c.query("set local plan_cache_mode = force_generic_plan")
                        .execute()
                        .await()
                        .atMost(TIMEOUT);
                    c.query("prepare planned as " + sql).execute().await().atMost(TIMEOUT);
                    List<String> lines = new ArrayList<>();
                    for (Row row :
                        c.query("explain execute planned(" + arguments + ")")
                            .execute()
                            .await()
                            .atMost(TIMEOUT)) {
                      lines.add(row.getString(0));
                    }
                    c.query("deallocate planned").execute().await().atMost(TIMEOUT);
                    return lines;
                  },
                  lines -> lines);
          String text = String.join("\n", plan);
          assertThat(text).as(sql).contains("Index Scan");
          assertThat(text).as(sql).doesNotContain("Seq Scan", "Hash Join", "Merge Join");
        });
  }
}
