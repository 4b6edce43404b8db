package com.securebase.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.securebase.gateway.config.DemoSeed;
import com.securebase.testkit.SecureBaseTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code make run} prints must work: the demo API key and the demo owner's password. */
@QuarkusTest
@TestProfile(DemoSeedTest.Seeded.class)
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "gateway"))
class DemoSeedTest {
  static final Path RUN_DIR = Path.of("target", "demo-seed-test");

  public static class Seeded implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "securebase.demo.seed",
          "true",
          "securebase.run-dir",
          RUN_DIR.toAbsolutePath().toString());
    }
  }

  @Test
  void thePrintedKeyAndOwnerPasswordSignIn() throws IOException {
    String key = Files.readString(RUN_DIR.resolve("demo-api-key"));
    String password = Files.readString(RUN_DIR.resolve("demo-owner-password"));
    assertThat(key).startsWith("sb_live_");
    given()
        .header("X-API-Key", key)
        .get("/v1/tenants/" + DemoSeed.DEMO_TENANT)
        .then()
        .statusCode(200)
        .body("name", equalTo("Demo"));
    String token =
        given()
            .contentType(ContentType.JSON)
            .body("{\"email\":\"" + DemoSeed.OWNER_EMAIL + "\",\"password\":\"" + password + "\"}")
            .post("/v1/auth/authenticate")
            .then()
            .statusCode(200)
            .extract()
            .path("accessToken");
    given()
        .auth()
        .oauth2(token)
        .get("/v1/users/me")
        .then()
        .statusCode(200)
        .body("email", equalTo(DemoSeed.OWNER_EMAIL))
        .body("roles", equalTo(java.util.List.of("owner")));
  }

  @Test
  void theDemoTenantAndOwnerAreAnnouncedLikeAnyOther() {
    // Billing and notifications learn tenants and users only from these events.
    assertThat(
            com.securebase.testkit.TestDatabase.rows(
                "select event_type from outbox_event where tenant_id = ? order by event_type",
                DemoSeed.DEMO_TENANT.toString()))
        .extracting(row -> row.get("event_type"))
        .contains("securebase.gateway.tenant.created", "securebase.gateway.user.activated");
  }
}
