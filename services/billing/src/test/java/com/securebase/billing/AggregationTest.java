package com.securebase.billing;

import static com.securebase.billing.BillingFixtures.token;
import static com.securebase.billing.BillingFixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.securebase.billing.domain.Aggregation;
import com.securebase.billing.domain.BillingPeriod;
import com.securebase.billing.domain.Metric;
import com.securebase.billing.persistence.UsageStore;
import com.securebase.tenancy.TenantConnections;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every aggregation over the real Postgres, with metrics defined as data: two metrics added by SQL
 * (a distinct count on a record property, a latest value) are accepted at once and aggregated.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "billing"))
class AggregationTest {
  @Inject TenantConnections connections;

  @Test
  void countSumMaxUniqueCountAndLatest() {
    TestDatabase.execute(
        "insert into billing.billable_metric (code, name, aggregation, unique_field, unit) values"
            + " ('active_accounts', 'Active accounts', 'unique_count', 'account', 'account'),"
            + " ('committed_seats', 'Committed seats', 'latest', null, 'seat')"
            + " on conflict do nothing");
    UUID tenant = UUID.randomUUID();
    Instant t = BillingPeriod.containing(Instant.now()).start().plus(Duration.ofHours(1));
    String billing = token(tenant, "billing");
    usage(
            billing,
            withAccount("u-1", "active_accounts", "1", t, "111"),
            withAccount("u-2", "active_accounts", "1", t.plusSeconds(1), "222"),
            withAccount("u-3", "active_accounts", "1", t.plusSeconds(2), "111"),
            BillingFixtures.record("s-1", "committed_seats", "40", t.plusSeconds(30)),
            BillingFixtures.record("s-2", "committed_seats", "25", t.plusSeconds(90)),
            BillingFixtures.record("s-3", "committed_seats", "60", t.plusSeconds(60)),
            BillingFixtures.record("h-1", "support_hours", "1.25", t),
            BillingFixtures.record("h-2", "support_hours", "3", t))
        .statusCode(200)
        .body("accepted", equalTo(8));
    Map<String, Metric> metrics =
        Map.of(
            "active_accounts",
                new Metric(
                    "active_accounts",
                    "Active accounts",
                    Aggregation.UNIQUE_COUNT,
                    "account",
                    "account"),
            "committed_seats",
                new Metric("committed_seats", "Committed seats", Aggregation.LATEST, null, "seat"),
            "support_hours",
                new Metric("support_hours", "Support hours", Aggregation.SUM, null, "hour"));
    var all =
        connections
            .inTenant(
                tenant,
                sql ->
                    UsageStore.aggregates(
                        sql, metrics, List.of(tenant), BillingPeriod.containing(Instant.now())))
            .await()
            .atMost(Duration.ofSeconds(30))
            .get(tenant);
    // three records, two distinct accounts (111 twice)
    assertThat(all.get("active_accounts").count()).isEqualByComparingTo("3");
    assertThat(all.get("active_accounts").unique()).isEqualByComparingTo("2");
    // the latest by timestamp is s-2 (90 s), whatever the order of arrival; the max is 60
    assertThat(all.get("committed_seats").latest()).isEqualByComparingTo("25");
    assertThat(all.get("committed_seats").max()).isEqualByComparingTo("60");
    // 1.25 + 3 = 4.25 over two records
    assertThat(all.get("support_hours").sum()).isEqualByComparingTo("4.25");
    assertThat(all.get("support_hours").count()).isEqualByComparingTo("2");
    // The same through the all-tenants pass the monthly run uses.
    var pass =
        connections
            .asSystem(
                sql -> UsageStore.aggregates(sql, metrics, BillingPeriod.containing(Instant.now())))
            .await()
            .atMost(Duration.ofSeconds(30))
            .get(tenant);
    assertThat(pass).isEqualTo(all);
  }

  private static String withAccount(
      String id, String metric, String q, Instant at, String account) {
    return BillingFixtures.record(id, metric, q, at)
        .replace("}", ",\"properties\":{\"account\":\"" + account + "\"}}");
  }
}
