package com.securebase.gateway;

import static com.securebase.gateway.GatewayFixtures.apiKey;
import static com.securebase.gateway.GatewayFixtures.owner;
import static com.securebase.gateway.GatewayFixtures.platformAdmin;
import static com.securebase.gateway.GatewayFixtures.problem;
import static com.securebase.gateway.GatewayFixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.securebase.events.EventEnvelope;
import com.securebase.gateway.domain.ApiKeySecret;
import com.securebase.testkit.BrokerEvents;
import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestDatabase;
import com.securebase.testkit.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "gateway"))
@WithTestResource(EchoServer.class)
class TenantAndKeyApiTest {
  private static final String VALID =
      "{\"name\":\"Globex\",\"tier\":\"fintech\",\"branding\":{\"displayName\":\"Globex\"}}";

  private static ValidatableResponse createTenant(String body) {
    return given()
        .auth()
        .oauth2(platformAdmin())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/tenants")
        .then();
  }

  @Test
  void aPlatformAdminCreatesATenantAndItsEventIsPublished() {
    try (BrokerEvents broker = BrokerEvents.on("securebase.gateway.events")) {
      UUID id =
          UUID.fromString(
              createTenant(VALID)
                  .statusCode(201)
                  .header("Location", containsString("/v1/tenants/"))
                  .body("tier", equalTo("fintech"))
                  .body("taxRate", equalTo(0.08f))
                  .extract()
                  .path("id"));
      List<EventEnvelope> events =
          broker.await(
              e ->
                  e.type().equals("securebase.gateway.tenant.created")
                      && e.tenantId().equals(id.toString()),
              1,
              Duration.ofSeconds(30));
      assertThat(events).hasSize(1);
      assertThat(events.getFirst().data().get("name").asText()).isEqualTo("Globex");
    }
  }

  @Test
  void tenantCreationRejectsBadInputWithProblems() {
    problem(createTenant("{\"name\":"), 400, "malformed-request");
    problem(createTenant(VALID.replace("\"fintech\"", "\"platinum\"")), 400, "invalid-value")
        .body("errors[0].field", equalTo("tier"))
        .body(
            "errors[0].message",
            equalTo("must be one of [standard, fintech, healthcare, government]"));
    problem(
        createTenant(VALID.replace("\"Globex\",\"tier\"", "42,\"tier\"")), 400, "invalid-value");
    problem(
        createTenant(VALID.replace("{\"name\"", "{\"owner\":\"me\",\"name\"")),
        400,
        "unknown-field");
    problem(
            createTenant(VALID.replace("\"displayName\":\"Globex\"", "\"primaryColor\":\"red\"")),
            400,
            "validation-failed")
        .body("errors[0].field", equalTo("branding.primaryColor"));
    problem(
        createTenant(VALID.replace("}}", "},\"ipAllowlist\":[\"10.0.0.0/33\"]}")),
        400,
        "validation-failed");
    problem(
        createTenant(VALID.replace("}}", "},\"ipAllowlist\":[\"evil.example.com\"]}")),
        400,
        "validation-failed");
    problem(createTenant("{\"name\":\"" + "x".repeat(70_000) + "\"}"), 413, "payload-too-large");
    problem(
        given()
            .auth()
            .oauth2(owner(UUID.randomUUID()))
            .contentType(ContentType.JSON)
            .body(VALID)
            .post("/v1/tenants")
            .then(),
        403,
        "forbidden");
    problem(
        given().contentType(ContentType.JSON).body(VALID).post("/v1/tenants").then(),
        401,
        "unauthorized");
  }

  @Test
  void readingATenantNeverWritesItsRow() {
    UUID t = tenant("fintech", List.of("10.0.0.0/8"));
    String xmin = "select xmin::text as x from tenant where tenant_id = ?::uuid";
    Object before = TestDatabase.rows(xmin, t.toString()).get(0).get("x");
    given().auth().oauth2(owner(t)).get("/v1/tenants/" + t).then().statusCode(200);
    given()
        .auth()
        .oauth2(owner(t))
        .contentType(ContentType.JSON)
        .body("{\"taxRate\":0.0800}")
        .patch("/v1/tenants/" + t)
        .then()
        .statusCode(200)
        .body("version", equalTo(0));
    assertThat(TestDatabase.rows(xmin, t.toString()).get(0).get("x")).isEqualTo(before);
  }

  @Test
  void anotherTenantsIdIsNotFoundNeverForbidden() {
    UUID a = tenant("standard", List.of());
    UUID b = tenant("standard", List.of());
    given()
        .auth()
        .oauth2(owner(a))
        .get("/v1/tenants/" + a)
        .then()
        .statusCode(200)
        .body("id", equalTo(a.toString()));
    problem(given().auth().oauth2(owner(a)).get("/v1/tenants/" + b).then(), 404, "not-found");
    problem(
        given()
            .auth()
            .oauth2(owner(a))
            .contentType(ContentType.JSON)
            .body("{\"name\":\"mine now\"}")
            .patch("/v1/tenants/" + b)
            .then(),
        404,
        "not-found");
    problem(given().auth().oauth2(owner(a)).get("/v1/tenants/not-a-uuid").then(), 404, "not-found");
    given()
        .auth()
        .oauth2(owner(a))
        .contentType(ContentType.JSON)
        .body("{\"mfaRequired\":true,\"taxRate\":0.2}")
        .patch("/v1/tenants/" + a)
        .then()
        .statusCode(200)
        .body("mfaRequired", equalTo(true))
        .body("version", equalTo(1));
    problem(
        given()
            .auth()
            .oauth2(TestTokens.user(a, "viewer"))
            .contentType(ContentType.JSON)
            .body("{\"name\":\"x\"}")
            .patch("/v1/tenants/" + a)
            .then(),
        403,
        "forbidden");
  }

  @Test
  void anApiKeySecretIsShownOnceAndStoredOnlyAsAHash() {
    UUID t = tenant("standard", List.of());
    JsonPath created = apiKey(t, "viewer", "analyst");
    String secret = created.getString("secret");
    assertThat(ApiKeySecret.looksLikeKey(secret)).isTrue();
    assertThat(Base64.getUrlDecoder().decode(secret.substring(8))).hasSize(32); // 256 bits
    assertThat(created.getString("key.prefix")).isEqualTo(secret.substring(0, 12));
    assertThat(created.getString("key.last4")).isEqualTo(secret.substring(secret.length() - 4));
    String id = created.getString("key.id");

    String listing =
        given()
            .auth()
            .oauth2(owner(t))
            .get("/v1/api-keys")
            .then()
            .statusCode(200)
            .body("$", hasSize(1))
            .body("[0].scopes", equalTo(List.of("analyst", "viewer")))
            .extract()
            .asString();
    assertThat(listing).doesNotContain(secret).doesNotContain("secret");
    given()
        .auth()
        .oauth2(owner(t))
        .get("/v1/api-keys/" + id)
        .then()
        .statusCode(200)
        .body(not(containsString(secret.substring(8))));
    String storedHash =
        HexFormat.of()
            .formatHex(
                (byte[])
                    TestDatabase.rows("select secret_hash from api_key where id = ?::uuid", id)
                        .getFirst()
                        .get("secret_hash"));
    assertThat(storedHash).isEqualTo(HexFormat.of().formatHex(ApiKeySecret.sha256(secret)));
    assertThat(
            TestDatabase.count(
                "select count(*) from api_key where prefix || last4 like ?",
                "%" + secret.substring(12, 30) + "%"))
        .isZero();
  }

  @Test
  void apiKeyInputIsValidatedAndOtherTenantsKeysAreInvisible() {
    UUID a = tenant("standard", List.of());
    UUID b = tenant("standard", List.of());
    String bKey = apiKey(b, "viewer").getString("key.id");
    problem(
        given()
            .auth()
            .oauth2(owner(a))
            .contentType(ContentType.JSON)
            .body("{\"name\":\"x\",\"scopes\":[\"root\"]}")
            .post("/v1/api-keys")
            .then(),
        400,
        "validation-failed");
    problem(
        given()
            .auth()
            .oauth2(owner(a))
            .contentType(ContentType.JSON)
            .body("{\"name\":\"x\",\"scopes\":[]}")
            .post("/v1/api-keys")
            .then(),
        400,
        "validation-failed");
    problem(
        given()
            .auth()
            .oauth2(owner(a))
            .contentType(ContentType.JSON)
            .body("{\"name\":\"x\",\"scopes\":[\"viewer\"],\"expiresAt\":\"2001-01-01T00:00:00Z\"}")
            .post("/v1/api-keys")
            .then(),
        400,
        "validation-failed");
    problem(given().auth().oauth2(owner(a)).get("/v1/api-keys/" + bKey).then(), 404, "not-found");
    problem(
        given().auth().oauth2(owner(a)).delete("/v1/api-keys/" + bKey).then(), 404, "not-found");
    given().auth().oauth2(owner(a)).get("/v1/api-keys").then().body("$", hasSize(0));
    problem(
        given().auth().oauth2(TestTokens.user(a, "viewer")).get("/v1/api-keys").then(),
        403,
        "forbidden");
  }

  @Test
  void authenticatingWithAKeyGivesASignedJwtUntilTheKeyIsRevoked() throws Exception {
    UUID t = tenant("healthcare", List.of());
    JsonPath created = apiKey(t, "owner");
    String secret = created.getString("secret");
    String keyId = created.getString("key.id");
    try (BrokerEvents broker =
        BrokerEvents.on("securebase.gateway.events", "securebase.audit.events")) {
      String token =
          given()
              .contentType(ContentType.JSON)
              .body("{\"apiKey\":\"" + secret + "\"}")
              .post("/v1/auth/authenticate")
              .then()
              .statusCode(200)
              .body("tokenType", equalTo("Bearer"))
              .extract()
              .path("accessToken");
      JsonPath claims =
          new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
      assertThat(claims.getString("iss")).isEqualTo("securebase");
      assertThat(claims.getString("tenant")).isEqualTo(t.toString());
      assertThat(claims.getString("sub")).isEqualTo(keyId);
      assertThat(claims.getString("tier")).isEqualTo("healthcare");
      assertThat(claims.getString("kind")).isEqualTo("apikey");
      assertThat(claims.getList("groups")).containsExactly("owner");
      assertThat(claims.getLong("exp") - Instant.now().getEpochSecond())
          .isBetween(86_000L, 86_401L);
      JsonPath header =
          new JsonPath(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0])));
      assertThat(header.getString("alg")).isEqualTo("RS256");
      assertThat(header.getString("kid"))
          .isEqualTo(
              given()
                  .get("/.well-known/jwks.json")
                  .then()
                  .statusCode(200)
                  .extract()
                  .path("keys[0].kid"));

      // The gateway's own token works on its own API, and the revocation it makes takes effect at
      // once.
      given().auth().oauth2(token).get("/v1/api-keys").then().statusCode(200);
      given()
          .auth()
          .oauth2(token)
          .delete("/v1/api-keys/" + keyId)
          .then()
          .statusCode(200)
          .body("revokedAt", not(equalTo(null)));
      problem(
          given()
              .contentType(ContentType.JSON)
              .body("{\"apiKey\":\"" + secret + "\"}")
              .post("/v1/auth/authenticate")
              .then(),
          401,
          "invalid-credentials");
      // Two topics: no order between them, so each is awaited on its own.
      assertThat(
              broker.await(
                  e -> keyId.equals(e.subject()) && e.type().endsWith("apikey.revoked"),
                  1,
                  Duration.ofSeconds(30)))
          .hasSize(1);
      assertThat(
              broker.await(
                  e -> keyId.equals(e.subject()) && e.type().endsWith("audit.recorded"),
                  1,
                  Duration.ofSeconds(30)))
          .isNotEmpty();
    }
  }

  @Test
  void authenticateRejectsBadInput() {
    problem(
        given()
            .contentType(ContentType.JSON)
            .body("{\"apiKey\":\"sb_live_nope\"}")
            .post("/v1/auth/authenticate")
            .then(),
        401,
        "invalid-credentials");
    problem(
        given()
            .contentType(ContentType.JSON)
            .body("{\"apiKey\":\"" + ApiKeySecret.generate().value() + "\"}")
            .post("/v1/auth/authenticate")
            .then(),
        401,
        "invalid-credentials");
    problem(
        given()
            .contentType(ContentType.JSON)
            .body("{\"apiKey\":7}")
            .post("/v1/auth/authenticate")
            .then(),
        400,
        "invalid-value");
    problem(
        given().contentType(ContentType.JSON).body("{}").post("/v1/auth/authenticate").then(),
        400,
        "validation-failed");
    problem(
        given()
            .contentType(ContentType.JSON)
            .body("{\"apiKey\":\"a\",\"extra\":1}")
            .post("/v1/auth/authenticate")
            .then(),
        400,
        "unknown-field");
  }

  @Test
  void forgedTokensAreRefused() {
    UUID t = tenant("standard", List.of());
    String good = owner(t);
    String[] parts = good.split("\\.");
    String tampered =
        parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
    String algNone =
        Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
            + "."
            + parts[1]
            + ".";
    String expired =
        TestTokens.sign(
            TestTokens.builder(t, "u", "owner")
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)));
    String wrongIssuer =
        TestTokens.sign(TestTokens.builder(t, "u", "owner").issuer("someone-else"));
    for (String token : List.of(tampered, algNone, expired, wrongIssuer, "garbage")) {
      problem(given().auth().oauth2(token).get("/v1/api-keys").then(), 401, "unauthorized");
      problem(given().auth().oauth2(token).get("/v1/echo/anything").then(), 401, "unauthorized");
    }
    given().auth().oauth2(good).get("/v1/api-keys").then().statusCode(200);
  }

  @Test
  void jwksPublishesTheVerificationKey() {
    given()
        .get("/.well-known/jwks.json")
        .then()
        .statusCode(200)
        .body("keys", hasSize(1))
        .body("keys[0].kty", equalTo("RSA"))
        .body("keys[0].alg", equalTo("RS256"))
        .body("keys[0].e", equalTo("AQAB"))
        .body("keys[0].n", startsWith(""));
  }

  @Test
  void anApiKeyCallsTheGatewaysOwnApiDirectly() {
    UUID t = tenant("healthcare", List.of());
    String owner = apiKey(t, "owner").getString("secret");
    String viewer = apiKey(t, "viewer").getString("secret");
    given()
        .header("X-API-Key", owner)
        .get("/v1/api-keys")
        .then()
        .statusCode(200)
        .body("$", hasSize(2));
    given().auth().oauth2(owner).get("/v1/tenants/" + t).then().statusCode(200);
    problem(given().header("X-API-Key", viewer).get("/v1/api-keys").then(), 403, "forbidden");
    problem(
        given().header("X-API-Key", "sb_live_" + "Q".repeat(43)).get("/v1/api-keys").then(),
        401,
        "unauthorized");
  }

  @Test
  void theTierMatrixIsPublishedAndTravelsInTheToken() throws Exception {
    try (com.securebase.testkit.BrokerEvents broker =
        com.securebase.testkit.BrokerEvents.on("securebase.gateway.tier-features")) {
      List<com.securebase.events.EventEnvelope> published =
          broker.await(
              e -> e.type().equals("securebase.gateway.tier.features_published"),
              1,
              java.time.Duration.ofSeconds(20));
      assertThat(published).isNotEmpty();
      com.securebase.events.EventEnvelope latest = published.get(published.size() - 1);
      assertThat(latest.tenantId()).isEqualTo("platform");
      assertThat(latest.data().path("tiers").path("standard").path("rateLimitPerHour").asInt())
          .isEqualTo(100);
    }
    assertThat(TestDatabase.count("select count(*) from tier_matrix_publication")).isEqualTo(1);
    UUID t = tenant("government", List.of());
    String token =
        given()
            .contentType(ContentType.JSON)
            .body("{\"apiKey\":\"" + apiKey(t, "viewer").getString("secret") + "\"}")
            .post("/v1/auth/authenticate")
            .then()
            .statusCode(200)
            .extract()
            .path("accessToken");
    String payload =
        new String(
            java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
            java.nio.charset.StandardCharsets.UTF_8);
    io.restassured.path.json.JsonPath claims = new io.restassured.path.json.JsonPath(payload);
    assertThat(claims.getString("tier")).isEqualTo("government");
    assertThat(claims.getInt("features.seats")).isEqualTo(1000);
    assertThat(claims.getBoolean("features.whiteLabel")).isTrue();
  }
}
