package com.securebase.gateway;

import static com.securebase.gateway.GatewayFixtures.NON_ADMIN_ROLES;
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
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.securebase.events.EventEnvelope;
import com.securebase.events.EventJson;
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
import io.smallrye.jwt.util.KeyUtils;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "gateway"))
@WithTestResource(EchoServer.class)
class TenantAndKeyApiTest {
  /** The key the gateway signs with under test (the test kit's, as TestTokens signs with). */
  private static final String SIGNING_KEY = "securebase/testkit/test-jwt-private.pem";

  private static final String VALID =
      "{\"name\":\"Globex\",\"tier\":\"fintech\",\"branding\":{\"displayName\":\"Globex\"}}";

  private static ValidatableResponse patchTenant(String token, Object id, String body) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(body)
        .patch("/v1/tenants/" + id)
        .then();
  }

  private static String accessToken(String apiKeySecret) {
    return given()
        .contentType(ContentType.JSON)
        .body("{\"apiKey\":\"" + apiKeySecret + "\"}")
        .post("/v1/auth/authenticate")
        .then()
        .statusCode(200)
        .extract()
        .path("accessToken");
  }

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
    patchTenant(owner(t), t, "{\"taxRate\":0.0800}").statusCode(200).body("version", equalTo(0));
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
    problem(patchTenant(owner(a), b, "{\"name\":\"mine now\"}"), 404, "not-found");
    problem(given().auth().oauth2(owner(a)).get("/v1/tenants/not-a-uuid").then(), 404, "not-found");
    patchTenant(owner(a), a, "{\"mfaRequired\":true,\"taxRate\":0.2}")
        .statusCode(200)
        .body("mfaRequired", equalTo(true))
        .body("version", equalTo(1));
    problem(patchTenant(TestTokens.user(a, "viewer"), a, "{\"name\":\"x\"}"), 403, "forbidden");
    // The refused patch left b as it was.
    given()
        .auth()
        .oauth2(owner(b))
        .get("/v1/tenants/" + b)
        .then()
        .statusCode(200)
        .body("name", startsWith("Acme "))
        .body("version", equalTo(0));
  }

  @Test
  void badTenantPatchesChangeNothingAndAnUpdateIsPublished() {
    UUID t = tenant("standard", List.of());
    String owner = owner(t);
    String outsider = owner(tenant("standard", List.of()));
    try (BrokerEvents broker = BrokerEvents.on("securebase.gateway.events")) {
      problem(patchTenant(owner, t, "{\"name\":"), 400, "malformed-request");
      problem(patchTenant(owner, t, "{\"name\":42}"), 400, "invalid-value")
          .body("errors[0].field", equalTo("name"));
      problem(patchTenant(owner, t, "{\"mfaRequired\":\"yes\"}"), 400, "invalid-value")
          .body("errors[0].field", equalTo("mfaRequired"));
      problem(patchTenant(owner, t, "{\"sessionLengthMinutes\":\"60\"}"), 400, "invalid-value")
          .body("errors[0].field", equalTo("sessionLengthMinutes"));
      problem(patchTenant(owner, t, "{\"tier\":\"platinum\"}"), 400, "invalid-value")
          .body("errors[0].field", equalTo("tier"))
          .body(
              "errors[0].message",
              equalTo("must be one of [standard, fintech, healthcare, government]"));
      problem(patchTenant(owner, t, "{\"plan\":\"gold\"}"), 400, "unknown-field")
          .body("errors[0].field", equalTo("plan"));
      problem(patchTenant(owner, t, "{\"sessionLengthMinutes\":1}"), 400, "validation-failed")
          .body("errors[0].field", equalTo("sessionLengthMinutes"));
      problem(
              patchTenant(owner, t, "{\"ipAllowlist\":[\"10.0.0.0/33\"]}"),
              400,
              "validation-failed")
          .body("errors[0].field", equalTo("ipAllowlist"));
      problem(patchTenant(owner, "not-a-uuid", "{\"name\":\"x\"}"), 404, "not-found");
      problem(patchTenant(outsider, t, "{\"tier\":\"government\"}"), 404, "not-found");

      patchTenant(owner, t, "{\"tier\":\"government\",\"mfaRequired\":true}")
          .statusCode(200)
          .body("version", equalTo(1));
      // One tenant's events keep their order: an event of a refused patch would come first.
      List<EventEnvelope> updates =
          broker.await(
              e ->
                  e.type().equals("securebase.gateway.tenant.updated")
                      && e.tenantId().equals(t.toString()),
              1,
              Duration.ofSeconds(30));
      assertThat(updates).hasSize(1);
      JsonNode data = updates.getFirst().data();
      assertThat(data.path("changes").toString()).isEqualTo("[\"tier\",\"mfaRequired\"]");
      assertThat(data.path("tier").asText()).isEqualTo("government");
      assertThat(data.path("mfaRequired").asBoolean()).isTrue();
      assertThat(data.path("version").asInt()).isEqualTo(2); // events count from 1, the row from 0
    }
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
  void onlyOwnersAndAdminsManageApiKeys() {
    UUID t = tenant("standard", List.of());
    String id = apiKey(t, "viewer").getString("key.id");
    for (String role : NON_ADMIN_ROLES) {
      String token = TestTokens.user(t, role);
      problem(
          given()
              .auth()
              .oauth2(token)
              .contentType(ContentType.JSON)
              .body("{\"name\":\"mine\",\"scopes\":[\"viewer\"]}")
              .post("/v1/api-keys")
              .then(),
          403,
          "forbidden");
      problem(given().auth().oauth2(token).get("/v1/api-keys/" + id).then(), 403, "forbidden");
      problem(given().auth().oauth2(token).delete("/v1/api-keys/" + id).then(), 403, "forbidden");
    }
    // Nothing was created or revoked.
    given()
        .auth()
        .oauth2(TestTokens.user(t, "admin"))
        .get("/v1/api-keys")
        .then()
        .statusCode(200)
        .body("$", hasSize(1))
        .body("[0].revokedAt", nullValue());
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
  void jwksPublishesTheKeyThatVerifiesTheGatewaysTokens() throws Exception {
    Map<String, String> jwk =
        given()
            .get("/.well-known/jwks.json")
            .then()
            .statusCode(200)
            .body("keys", hasSize(1))
            .body("keys[0].kty", equalTo("RSA"))
            .body("keys[0].alg", equalTo("RS256"))
            .body("keys[0].use", equalTo("sig"))
            .body("keys[0].e", equalTo("AQAB"))
            .extract()
            .path("keys[0]");
    byte[] modulus = Base64.getUrlDecoder().decode(jwk.get("n"));
    // RFC 7518 §6.3.1: unsigned big-endian, so exactly the signing key's size (no leading zero).
    RSAPrivateKey signing = (RSAPrivateKey) KeyUtils.readPrivateKey(SIGNING_KEY);
    assertThat(modulus).hasSize((signing.getModulus().bitLength() + 7) / 8);
    PublicKey published =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, modulus),
                    new BigInteger(1, Base64.getUrlDecoder().decode(jwk.get("e")))));
    // What a client does with it: verify a token the gateway signed.
    String token = accessToken(apiKey(tenant("standard", List.of()), "viewer").getString("secret"));
    String[] parts = token.split("\\.");
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(published);
    rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
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

  /**
   * The tier matrix as the API documents it for clients: the table in the {@code Tier} schema's
   * description of the served OpenAPI document, as claims ({@code yes} / {@code no}, numbers).
   */
  private static JsonNode documentedTierMatrix() {
    String description =
        given()
            .get("/q/openapi?format=json")
            .then()
            .statusCode(200)
            .extract()
            .path("components.schemas.Tier.description");
    List<String> rows = description.lines().filter(l -> l.startsWith("|")).toList();
    assertThat(rows).as("the tier table").hasSizeGreaterThan(2);
    List<String> tiers =
        Arrays.stream(rows.getFirst().split("\\|")).skip(2).map(String::strip).toList();
    ObjectNode matrix = JsonNodeFactory.instance.objectNode();
    tiers.forEach(matrix::putObject);
    for (String row : rows.subList(2, rows.size())) { // after the header and its rule
      String[] cells = row.split("\\|");
      String claim = cells[1].substring(cells[1].indexOf('`') + 1, cells[1].lastIndexOf('`'));
      for (int i = 0; i < tiers.size(); i++) {
        String cell = cells[i + 2].strip().replace(",", "");
        ((ObjectNode) matrix.get(tiers.get(i)))
            .set(
                claim,
                switch (cell) {
                  case "yes" -> BooleanNode.TRUE;
                  case "no" -> BooleanNode.FALSE;
                  default -> IntNode.valueOf(Integer.parseInt(cell));
                });
      }
    }
    return matrix;
  }

  @Test
  void theDocumentedTierMatrixIsPublishedAndTravelsInTheToken() throws Exception {
    JsonNode documented = documentedTierMatrix();
    assertThat(documented.path("standard").path("rateLimitPerHour").asInt())
        .as("PRODUCT §2: 100 requests per hour for standard")
        .isEqualTo(100);
    // Published by this test JVM's gateway at start-up (the topic keeps earlier runs' too).
    OffsetDateTime jvmStart =
        Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())
            .atOffset(ZoneOffset.UTC);
    try (BrokerEvents broker = BrokerEvents.on("securebase.gateway.tier-features")) {
      List<EventEnvelope> published =
          broker.await(
              e ->
                  e.type().equals("securebase.gateway.tier.features_published")
                      && e.time().isAfter(jvmStart),
              1,
              Duration.ofSeconds(20));
      assertThat(published).isNotEmpty();
      assertThat(published).allSatisfy(e -> assertThat(e.tenantId()).isEqualTo("platform"));
      assertThat(published)
          .allSatisfy(e -> assertThat(e.data().path("tiers")).isEqualTo(documented));
    }
    assertThat(TestDatabase.count("select count(*) from tier_matrix_publication")).isEqualTo(1);
    UUID t = tenant("government", List.of());
    String token = accessToken(apiKey(t, "viewer").getString("secret"));
    JsonNode claims =
        EventJson.MAPPER.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(claims.path("tier").asText()).isEqualTo("government");
    assertThat(claims.path("features")).isEqualTo(documented.path("government"));
  }
}
