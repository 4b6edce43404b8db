package com.securebase.tenancy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "tenancy"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RowLevelSecurityTest {
  private final UUID tenantA = UUID.randomUUID();
  private final UUID tenantB = UUID.randomUUID();

  private static RequestSpecification as(UUID tenant) {
    return given().auth().oauth2(TestTokens.user(tenant, Roles.VIEWER));
  }

  private boolean seeded;

  // RestAssured's port is only set per test, so seed lazily rather than in @BeforeAll.
  @BeforeEach
  void seed() {
    if (seeded) {
      return;
    }
    seeded = true;
    as(tenantA).queryParam("body", "a1").post("/notes").then().statusCode(200);
    as(tenantA).queryParam("body", "a2").post("/notes").then().statusCode(200);
    as(tenantB).queryParam("body", "b1").post("/notes").then().statusCode(200);
  }

  @Test
  void aQueryWithoutTenantFilterSeesOnlyTheCallersRows() {
    as(tenantA).get("/notes").then().statusCode(200).body("$", contains("a1", "a2"));
    as(tenantB).get("/notes").then().statusCode(200).body("$", contains("b1"));
  }

  @Test
  void afterCommitActionsRunOnceTheOutermostTransactionCommittedAndNeverAfterARollback() {
    UUID tenantC = UUID.randomUUID();
    as(tenantC)
        .queryParam("body", "kept")
        .post("/notes/after-commit")
        .then()
        .statusCode(200)
        .body(equalTo("early:false"));
    // The action ran after the commit: its own connection already saw the row.
    org.assertj.core.api.Assertions.assertThat(NoteResource.AFTER_COMMIT).contains("kept:1");

    as(tenantC)
        .queryParam("body", "doomed")
        .queryParam("fail", true)
        .post("/notes/after-commit")
        .then()
        .statusCode(500);
    org.assertj.core.api.Assertions.assertThat(NoteResource.AFTER_COMMIT)
        .noneMatch(a -> a.startsWith("doomed"));
  }

  @Test
  void withNoTenantSetNothingIsVisible() {
    as(tenantA).get("/notes/unscoped-count").then().statusCode(200).body(equalTo("0"));
  }

  @Test
  void systemScopeSeesEveryTenant() {
    // Every row in the table, whichever tenant wrote it (other tests add their own tenants' rows).
    long all = com.securebase.testkit.TestDatabase.count("select count(*) from note");
    org.assertj.core.api.Assertions.assertThat(all).isGreaterThanOrEqualTo(3);
    as(tenantA)
        .get("/notes/system-count")
        .then()
        .statusCode(200)
        .body(equalTo(String.valueOf(all)));
  }

  @Test
  void writingAnotherTenantsRowIsRefusedByThePolicy() {
    as(tenantA)
        .queryParam("tenant", tenantB)
        .post("/notes/forge")
        .then()
        .statusCode(200)
        .body(containsString("row-level security policy"));
    as(tenantB).get("/notes").then().body("$", contains("b1"));
  }

  @Test
  void theApplicationRoleCannotBypassOrDisableRls() {
    as(tenantA).get("/notes/whoami").then().body(equalTo("tenancy_app:false:false"));
    as(tenantA).post("/notes/disable-rls").then().body(containsString("must be owner"));
    as(tenantA).post("/notes/tamper-history").then().body(containsString("permission denied"));
  }

  @Test
  void requestsWithoutAValidTokenGet401Problems() {
    given()
        .get("/notes")
        .then()
        .statusCode(401)
        .contentType("application/problem+json")
        .body("type", equalTo("https://securebase.dev/problems/unauthorized"));
    String token = TestTokens.user(tenantA, Roles.VIEWER);
    String tampered =
        token.substring(0, token.lastIndexOf('.') + 1)
            + "AAAA"
            + token.substring(token.lastIndexOf('.') + 5);
    given()
        .auth()
        .oauth2(tampered)
        .get("/notes")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    String expired =
        TestTokens.sign(
            TestTokens.builder(tenantA, "u", Roles.VIEWER)
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)));
    given().auth().oauth2(expired).get("/notes").then().statusCode(401);
    String foreignIssuer =
        TestTokens.sign(TestTokens.builder(tenantA, "u", Roles.VIEWER).issuer("evil"));
    given().auth().oauth2(foreignIssuer).get("/notes").then().statusCode(401);
  }
}
