package com.securebase.gateway;

import static io.restassured.RestAssured.given;

import com.securebase.testkit.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.UUID;

/** Creates tenants and keys through the public API, as a platform admin and an owner would. */
final class GatewayFixtures {
  static final UUID PLATFORM = new UUID(0, 0);

  /** The tenant roles that manage neither API keys nor the team (only owner and admin do). */
  static final List<String> NON_ADMIN_ROLES = List.of("billing", "analyst", "support", "viewer");

  private GatewayFixtures() {}

  static String platformAdmin() {
    return TestTokens.user(PLATFORM, "platform_admin");
  }

  static UUID tenant(String tier, List<String> allowlist) {
    String body =
        "{\"name\":\"Acme "
            + UUID.randomUUID()
            + "\",\"tier\":\""
            + tier
            + "\","
            + "\"branding\":{\"displayName\":\"Acme\",\"primaryColor\":\"#112233\",\"logoUrl\":\"https://acme.test/logo.png\"},"
            + "\"ipAllowlist\":"
            + toJson(allowlist)
            + "}";
    return UUID.fromString(
        given()
            .auth()
            .oauth2(platformAdmin())
            .contentType(ContentType.JSON)
            .body(body)
            .post("/v1/tenants")
            .then()
            .statusCode(201)
            .extract()
            .path("id"));
  }

  static ValidatableResponse problem(ValidatableResponse r, int status, String slug) {
    return r.statusCode(status)
        .contentType("application/problem+json")
        .body("type", org.hamcrest.Matchers.equalTo("https://securebase.dev/problems/" + slug));
  }

  static String owner(UUID tenant) {
    return TestTokens.user(tenant, "owner");
  }

  /**
   * @return the creation answer (key view + secret)
   */
  static JsonPath apiKey(UUID tenant, String... scopes) {
    return given()
        .auth()
        .oauth2(owner(tenant))
        .contentType(ContentType.JSON)
        .body("{\"name\":\"ci\",\"scopes\":" + toJson(List.of(scopes)) + "}")
        .post("/v1/api-keys")
        .then()
        .statusCode(201)
        .extract()
        .jsonPath();
  }

  static String toJson(List<String> values) {
    return values.stream()
        .map(v -> "\"" + v + "\"")
        .reduce((a, b) -> a + "," + b)
        .map(s -> "[" + s + "]")
        .orElse("[]");
  }
}
