package com.securebase.webhooks;

import static com.securebase.webhooks.WebhookFixtures.ENDPOINTS;
import static com.securebase.webhooks.WebhookFixtures.endpoint;
import static com.securebase.webhooks.WebhookFixtures.owner;
import static com.securebase.webhooks.WebhookFixtures.problem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.securebase.testkit.SecureBaseTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code securebase.webhooks.require-https} as production has it (the other tests turn it off to
 * deliver to a plain-http receiver on loopback): endpoints must use https.
 */
@QuarkusTest
@TestProfile(RequireHttpsTest.HttpsRequired.class)
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "webhooks"))
class RequireHttpsTest {
  private static final String HTTPS_URL = "https://hooks.example.com/securebase";

  public static class HttpsRequired implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("securebase.webhooks.require-https", "true");
    }
  }

  @Test
  void plainHttpUrlsAreRefusedAndHttpsOnesAccepted() {
    UUID tenant = UUID.randomUUID();
    String id = endpoint(tenant, HTTPS_URL, null).getString("endpoint.id");
    String plainHttp = "{\"url\":\"http://hooks.example.com/securebase\"}";

    refusedForTheUrl(
        given()
            .auth()
            .oauth2(owner(tenant))
            .contentType(ContentType.JSON)
            .body(plainHttp)
            .post(ENDPOINTS)
            .then());
    refusedForTheUrl(
        given()
            .auth()
            .oauth2(owner(tenant))
            .contentType(ContentType.JSON)
            .body(plainHttp)
            .patch(ENDPOINTS + "/" + id)
            .then());

    // Neither refusal stored anything: the one endpoint keeps its https URL.
    given()
        .auth()
        .oauth2(owner(tenant))
        .get(ENDPOINTS)
        .then()
        .statusCode(200)
        .body("items.id", contains(id))
        .body("items[0].url", equalTo(HTTPS_URL))
        .body("items[0].version", equalTo(1));
  }

  private static void refusedForTheUrl(ValidatableResponse response) {
    problem(response, 400, "validation-failed")
        .body("errors[0].field", equalTo("url"))
        .body("errors[0].message", equalTo("must use https"));
  }
}
