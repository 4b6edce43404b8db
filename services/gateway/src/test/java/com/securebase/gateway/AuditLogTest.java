package com.securebase.gateway;

import static com.securebase.gateway.GatewayFixtures.apiKey;
import static com.securebase.gateway.GatewayFixtures.owner;
import static com.securebase.gateway.GatewayFixtures.problem;
import static com.securebase.gateway.GatewayFixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import com.securebase.events.DomainEvents;
import com.securebase.events.EventEnvelope;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import com.securebase.testkit.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The audit log over the real broker: audit events of the gateway and of another service land in
 * the hash chain; search filters; verify detects a row edited in SQL; the table refuses updates.
 */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "gateway"))
class AuditLogTest {

  private static JsonPath audit(UUID tenant, String query) {
    return given()
        .auth()
        .oauth2(owner(tenant))
        .get("/v1/audit" + query)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  private static ValidatableResponse verify(UUID tenant) {
    return given().auth().oauth2(owner(tenant)).get("/v1/audit/verify").then().statusCode(200);
  }

  /**
   * The consumer is asynchronous: poll the API until {@code count} entries match {@code query} (30
   * s at most).
   */
  private static void awaitEntries(UUID tenant, String query, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (audit(tenant, query).getList("items").size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "Fewer than " + count + " audit entries matching '" + query + "' after 30 s");
      }
      Thread.sleep(200);
    }
  }

  /** Publishes a support service audit event straight to the broker, as support would. */
  private static EventEnvelope supportAudit(UUID tenant, String ticket) {
    Map<String, Object> data =
        Map.of(
            "tenantId", tenant.toString(),
            "actor", Map.of("type", "user", "id", UUID.randomUUID().toString()),
            "action", "ticket.status_changed",
            "resource", Map.of("type", "ticket", "id", ticket),
            "outcome", "success",
            "occurredAt", OffsetDateTime.now(ZoneOffset.UTC).toString(),
            "details", Map.of("from", "open", "to", "in_progress"));
    EventEnvelope event =
        new DomainEvents("support")
            .create("securebase.support.audit.recorded", tenant.toString(), ticket, data);
    BrokerEvents.publish("securebase.audit.events", event);
    return event;
  }

  @Test
  void everyServicesAuditEventsAreChainedAndSearchable() throws Exception {
    UUID t = tenant("fintech", List.of());
    String keyId = apiKey(t, "viewer").getString("key.id");
    String ticket = UUID.randomUUID().toString();
    // Kafka delivers at least once: the same event (same id) arrives a second time.
    BrokerEvents.publish("securebase.audit.events", supportAudit(t, ticket));
    // A later event on the same partition (key = tenant): once it is stored, so is the redelivery.
    String later = UUID.randomUUID().toString();
    supportAudit(t, later);
    awaitEntries(t, "?resourceId=" + later, 1);
    assertThat(audit(t, "?resourceId=" + ticket).getList("items")).hasSize(1);
    // tenant.created, apikey.created (gateway, through the outbox) + the two support entries.
    awaitEntries(t, "", 4);

    JsonPath byAction = audit(t, "?action=apikey.created");
    assertThat(byAction.getList("items")).hasSize(1);
    assertThat(byAction.getString("items[0].resource.id")).isEqualTo(keyId);
    assertThat(byAction.getString("items[0].source")).isEqualTo("gateway");
    JsonPath support = audit(t, "?resourceId=" + ticket);
    assertThat(support.getString("items[0].source")).isEqualTo("support");
    assertThat(support.getString("items[0].details.to")).isEqualTo("in_progress");
    assertThat(audit(t, "?from=2999-01-01T00:00:00Z").getList("items")).isEmpty();
    JsonPath page = audit(t, "?limit=2");
    assertThat(page.getList("items")).hasSize(2);
    JsonPath rest = audit(t, "?limit=2&cursor=" + page.getString("nextCursor"));
    assertThat(rest.getLong("items[0].seq")).isLessThan(page.getLong("items[1].seq"));

    // The two pages hold the tenant's whole log.
    assertThat(
            TestDatabase.count(
                "select count(*) from audit_entry where tenant_id = ?::uuid", t.toString()))
        .isEqualTo(page.getList("items").size() + rest.getList("items").size());

    // Another tenant sees none of it.
    UUID other = tenant("standard", List.of());
    given()
        .auth()
        .oauth2(owner(other))
        .get("/v1/audit?resourceType=ticket")
        .then()
        .statusCode(200)
        .body("items", hasSize(0));
  }

  @Test
  void verifyDetectsARowEditedInSql() throws Exception {
    UUID t = tenant("standard", List.of());
    apiKey(t, "viewer");
    supportAudit(t, UUID.randomUUID().toString());
    awaitEntries(t, "", 3);
    verify(t).body("intact", equalTo(true)).body("entries", equalTo(3));

    // The application role cannot rewrite history...
    assertThat(
            TestDatabase.count(
                "select count(*) from information_schema.role_table_grants where table_name ="
                    + " 'audit_entry' and grantee like '%_app' and privilege_type = 'UPDATE'"))
        .isZero();
    // ...and even the owner is stopped by the trigger; a superuser who disables it is caught.
    long middle =
        ((Number)
                TestDatabase.rows(
                        "select seq from audit_entry where tenant_id = ?::uuid order by seq"
                            + " offset 1 limit 1",
                        t.toString())
                    .get(0)
                    .get("seq"))
            .longValue();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                TestDatabase.execute(
                    "update audit_entry set outcome = 'failure' where seq = ?", middle))
        .rootCause()
        .hasMessageContaining("append-only");
    TestDatabase.execute(
        "alter table audit_entry disable trigger audit_entry_append_only;"
            + " update audit_entry set actor_id = 'someone-else' where seq = "
            + middle
            + "; alter table audit_entry enable trigger audit_entry_append_only");
    verify(t)
        .body("intact", equalTo(false))
        .body("firstBroken.seq", equalTo((int) middle))
        .body("firstBroken.reason", equalTo("content"));
  }

  /**
   * {@code /v1/audit/verify} takes no tenant id: the token's tenant is the only chain a caller
   * verifies, so another tenant's entries neither count in it nor break it.
   */
  @Test
  void verifyCoversTheCallersChainOnly() throws Exception {
    UUID mine = tenant("standard", List.of());
    UUID other = tenant("standard", List.of());
    supportAudit(other, UUID.randomUUID().toString());
    awaitEntries(mine, "", 1); // tenant.created
    awaitEntries(other, "", 2);
    String head = verify(mine).body("entries", equalTo(1)).extract().path("headHash");
    verify(other).body("intact", equalTo(true)).body("entries", equalTo(2));

    TestDatabase.execute(
        "alter table audit_entry disable trigger audit_entry_append_only;"
            + " update audit_entry set outcome = 'failure' where tenant_id = '"
            + other
            + "'; alter table audit_entry enable trigger audit_entry_append_only");
    verify(other).body("intact", equalTo(false));
    verify(mine)
        .body("intact", equalTo(true))
        .body("entries", equalTo(1))
        .body("headHash", equalTo(head));
    // A tenant id in the query is refused, never read: the chain verified is the caller's own.
    problem(
            given().auth().oauth2(owner(mine)).get("/v1/audit/verify?tenantId=" + other).then(),
            400,
            "unknown-parameter")
        .body("errors[0].field", equalTo("tenantId"));
  }

  @Test
  void auditQueriesRejectBadInputAndNonAdmins() throws InterruptedException {
    UUID t = tenant("standard", List.of());
    problem(
        given().auth().oauth2(TestTokens.user(t, "viewer")).get("/v1/audit").then(),
        403,
        "forbidden");
    for (String q :
        List.of("?from=yesterday", "?limit=0", "?limit=501", "?cursor=abc", "?outcome=maybe")) {
      given()
          .auth()
          .oauth2(owner(t))
          .get("/v1/audit" + q)
          .then()
          .statusCode(400)
          .contentType("application/problem+json");
    }
    // A new tenant's log is its creation, by the gateway (awaited: an empty page proves nothing).
    awaitEntries(t, "", 1);
    given()
        .auth()
        .oauth2(owner(t))
        .get("/v1/audit?limit=5")
        .then()
        .statusCode(200)
        .body("items", hasSize(1))
        .body("items[0].source", equalTo("gateway"))
        .body("items[0].action", equalTo("tenant.created"));
  }
}
