package com.securebase.gateway;

import static com.securebase.gateway.GatewayFixtures.NON_ADMIN_ROLES;
import static com.securebase.gateway.GatewayFixtures.owner;
import static com.securebase.gateway.GatewayFixtures.problem;
import static com.securebase.gateway.GatewayFixtures.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import com.securebase.events.EventEnvelope;
import com.securebase.gateway.domain.Totp;
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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Invitations, password + TOTP login, refresh rotation and reuse detection, logout, roles. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "gateway"))
class UsersAndSessionsTest {
  private static final String PASSWORD = "correct horse battery staple";

  private static JsonPath invite(String token, String email, String... roles) {
    return given()
        .auth()
        .oauth2(token)
        .contentType(ContentType.JSON)
        .body(
            "{\"email\":\""
                + email
                + "\",\"roles\":"
                + GatewayFixtures.toJson(List.of(roles))
                + "}")
        .post("/v1/users")
        .then()
        .statusCode(201)
        .body("user.status", equalTo("invited"))
        .body("token", startsWith("sb_inv_"))
        .extract()
        .jsonPath();
  }

  private static ValidatableResponse accept(String token, String password) {
    return given()
        .contentType(ContentType.JSON)
        .body("{\"token\":\"" + token + "\",\"password\":\"" + password + "\"}")
        .post("/v1/auth/invitations/accept")
        .then();
  }

  private static ValidatableResponse login(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/v1/auth/authenticate").then();
  }

  private static String credentials(String email, String password) {
    return "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}";
  }

  private static ValidatableResponse refresh(String refreshToken) {
    return given()
        .contentType(ContentType.JSON)
        .body("{\"refreshToken\":\"" + refreshToken + "\"}")
        .post("/v1/auth/refresh")
        .then();
  }

  private static ValidatableResponse logout(String body) {
    return given().contentType(ContentType.JSON).body(body).post("/v1/auth/logout").then();
  }

  /** Starts TOTP enrolment: the secret the authenticator app would keep. */
  private static String startMfa(String access) {
    return given()
        .auth()
        .oauth2(access)
        .post("/v1/users/me/mfa")
        .then()
        .statusCode(200)
        .body("otpauthUri", startsWith("otpauth://totp/SecureBase"))
        .extract()
        .path("secret");
  }

  private static ValidatableResponse mfa(String access, String action, String body) {
    return given()
        .auth()
        .oauth2(access)
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v1/users/me/mfa/" + action)
        .then();
  }

  private static String code(String code) {
    return "{\"code\":\"" + code + "\"}";
  }

  private static void requireMfa(UUID tenant, boolean required) {
    given()
        .auth()
        .oauth2(owner(tenant))
        .contentType(ContentType.JSON)
        .body("{\"mfaRequired\":" + required + "}")
        .patch("/v1/tenants/" + tenant)
        .then()
        .statusCode(200)
        .body("mfaRequired", equalTo(required));
  }

  /** A request body the API must refuse, with the exact status and problem type it answers. */
  private record Refused(String body, int status, String slug) {}

  /** An active user of a fresh tenant: returns {tenant, userId, email}. */
  private static String[] activeUser(String tier, String... roles) {
    UUID t = tenant(tier, List.of());
    String email = "u" + UUID.randomUUID().toString().substring(0, 8) + "@acme-corp.com";
    JsonPath invited = invite(owner(t), email, roles);
    accept(invited.getString("token"), PASSWORD).statusCode(200).body("status", equalTo("active"));
    return new String[] {t.toString(), invited.getString("user.id"), email};
  }

  @Test
  void anInvitedUserSetsAPasswordOnceAndSignsIn() {
    UUID t = tenant("standard", List.of());
    try (BrokerEvents broker = BrokerEvents.on("securebase.gateway.events")) {
      JsonPath invited = invite(owner(t), "Alice@Acme-Corp.com", "billing", "viewer");
      String userId = invited.getString("user.id");
      assertThat(invited.getString("user.email")).isEqualTo("alice@acme-corp.com");
      // The invitation token and the password are never stored in clear.
      assertThat(
              TestDatabase.count(
                  "select count(*) from user_account where id = ?::uuid and invite_hash is not null"
                      + " and password_hash is null",
                  userId))
          .isEqualTo(1);
      problem(accept(invited.getString("token"), "short"), 400, "validation-failed");
      accept(invited.getString("token"), PASSWORD)
          .statusCode(200)
          .body("status", equalTo("active"))
          .body("activatedAt", org.hamcrest.Matchers.notNullValue());
      problem(accept(invited.getString("token"), PASSWORD), 404, "invitation-not-found");
      problem(accept("sb_inv_" + "A".repeat(43), PASSWORD), 404, "invitation-not-found");
      assertThat(
              TestDatabase.rows("select password_hash from user_account where id = ?::uuid", userId)
                  .get(0)
                  .get("password_hash")
                  .toString())
          .startsWith("$2");

      JsonPath tokens =
          login(credentials("ALICE@acme-corp.com", PASSWORD))
              .statusCode(200)
              .body("tokenType", equalTo("Bearer"))
              .body("refreshToken", startsWith("sb_rt_"))
              .body("mfaEnrollmentRequired", equalTo(false))
              .extract()
              .jsonPath();
      given()
          .auth()
          .oauth2(tokens.getString("accessToken"))
          .get("/v1/users/me")
          .then()
          .statusCode(200)
          .body("id", equalTo(userId))
          .body("roles", hasSize(2));
      problem(
          login(credentials("alice@acme-corp.com", PASSWORD + "x")), 401, "invalid-credentials");
      problem(login(credentials("nobody@acme-corp.com", PASSWORD)), 401, "invalid-credentials");

      List<EventEnvelope> events =
          broker.await(
              e -> e.subject() != null && e.subject().equals(userId), 2, Duration.ofSeconds(20));
      assertThat(events)
          .extracting(EventEnvelope::type)
          .containsExactly("securebase.gateway.user.invited", "securebase.gateway.user.activated");
      assertThat(events.get(1).data().path("status").asText()).isEqualTo("active");
      assertThat(events.get(1).data().has("passwordHash")).isFalse();
    }
  }

  @Test
  void fiveWrongPasswordsLockTheAccount() {
    String[] u = activeUser("standard", "viewer");
    for (int i = 0; i < 5; i++) {
      problem(login(credentials(u[2], "wrong password " + i)), 401, "invalid-credentials");
    }
    // Even the right password is refused while locked.
    problem(login(credentials(u[2], PASSWORD)), 401, "invalid-credentials");
    assertThat(
            TestDatabase.count(
                "select count(*) from user_account where id = ?::uuid and locked_until > now()",
                u[1]))
        .isEqualTo(1);
  }

  @Test
  void refreshRotatesAndAReusedTokenRevokesTheWholeSession() {
    String[] u = activeUser("fintech", "analyst");
    JsonPath first = login(credentials(u[2], PASSWORD)).statusCode(200).extract().jsonPath();
    JsonPath second =
        refresh(first.getString("refreshToken"))
            .statusCode(200)
            .body("refreshToken", startsWith("sb_rt_"))
            .extract()
            .jsonPath();
    assertThat(second.getString("refreshToken")).isNotEqualTo(first.getString("refreshToken"));
    given()
        .auth()
        .oauth2(second.getString("accessToken"))
        .get("/v1/users/me")
        .then()
        .statusCode(200);

    // The first token again: reuse. Every token of the family dies, access tokens included.
    problem(refresh(first.getString("refreshToken")), 401, "refresh-token-reused");
    problem(refresh(second.getString("refreshToken")), 401, "invalid-refresh-token");
    problem(
        given().auth().oauth2(second.getString("accessToken")).get("/v1/users/me").then(),
        401,
        "unauthorized");
    assertThat(
            TestDatabase.count(
                "select count(*) from session_family where subject = ? and revoked_reason ="
                    + " 'refresh token reused'",
                u[1]))
        .isEqualTo(1);

    problem(refresh("sb_rt_" + "x".repeat(43)), 401, "invalid-refresh-token");
    problem(refresh("not-a-token"), 401, "invalid-refresh-token");
    problem(
        given()
            .contentType(ContentType.JSON)
            .body("{\"refreshToken\":42}")
            .post("/v1/auth/refresh")
            .then(),
        400,
        "invalid-value");
  }

  @Test
  void logoutEndsTheSessionAndItsAccessTokens() {
    String[] u = activeUser("standard", "support");
    JsonPath tokens = login(credentials(u[2], PASSWORD)).statusCode(200).extract().jsonPath();
    String body = "{\"refreshToken\":\"" + tokens.getString("refreshToken") + "\"}";
    for (Refused bad :
        List.of(
            new Refused("{\"refreshToken\":", 400, "malformed-request"),
            new Refused("{}", 400, "validation-failed"),
            new Refused("{\"refreshToken\":\"\"}", 400, "validation-failed"),
            new Refused("{\"refreshToken\":42}", 400, "invalid-value"),
            new Refused(body.replace("}", ",\"everywhere\":true}"), 400, "unknown-field"),
            new Refused("{\"refreshToken\":\"not-a-token\"}", 401, "invalid-refresh-token"),
            new Refused(
                "{\"refreshToken\":\"sb_rt_" + "x".repeat(43) + "\"}",
                401,
                "invalid-refresh-token"))) {
      problem(logout(bad.body()), bad.status(), bad.slug());
    }
    // None of those ended the session.
    given()
        .auth()
        .oauth2(tokens.getString("accessToken"))
        .get("/v1/users/me")
        .then()
        .statusCode(200);

    logout(body).statusCode(204);
    problem(
        given().auth().oauth2(tokens.getString("accessToken")).get("/v1/users/me").then(),
        401,
        "unauthorized");
    problem(refresh(tokens.getString("refreshToken")), 401, "invalid-refresh-token");
    logout(body).statusCode(204); // logging out twice is harmless
  }

  @Test
  void totpProtectsTheLoginAndCodesCannotBeReplayed() {
    String[] u = activeUser("standard", "owner");
    String access =
        login(credentials(u[2], PASSWORD)).statusCode(200).extract().path("accessToken");
    String secret = startMfa(access);
    long step = Totp.step(Instant.now());
    problem(
        mfa(access, "confirm", code(wrong(Totp.codeAt(secret, step)))), 422, "invalid-mfa-code");
    List<String> recovery =
        mfa(access, "confirm", code(Totp.codeAt(secret, step)))
            .statusCode(200)
            .body("recoveryCodes", hasSize(10))
            .extract()
            .path("recoveryCodes");

    problem(login(credentials(u[2], PASSWORD)), 401, "mfa-required");
    String withCode =
        "{\"email\":\"" + u[2] + "\",\"password\":\"" + PASSWORD + "\",\"totp\":\"%s\"}";
    // The enrolment code's step is spent: the next step's code works once, then no more.
    String next = Totp.codeAt(secret, step + 1);
    login(withCode.formatted(next)).statusCode(200);
    problem(login(withCode.formatted(next)), 401, "invalid-credentials");
    String withRecovery =
        "{\"email\":\"" + u[2] + "\",\"password\":\"" + PASSWORD + "\",\"recoveryCode\":\"%s\"}";
    login(withRecovery.formatted(recovery.get(3))).statusCode(200);
    problem(login(withRecovery.formatted(recovery.get(3))), 401, "invalid-credentials");
    problem(login(withCode.formatted("12345")), 400, "validation-failed");
  }

  private static String wrong(String code) {
    return code.charAt(0) == '9'
        ? "0" + code.substring(1)
        : (char) (code.charAt(0) + 1) + code.substring(1);
  }

  @Test
  void mfaIsDisabledWithACurrentCodeUnlessTheTenantRequiresIt() {
    String[] u = activeUser("standard", "owner");
    UUID t = UUID.fromString(u[0]);
    String access =
        login(credentials(u[2], PASSWORD)).statusCode(200).extract().path("accessToken");
    String secret = startMfa(access);
    long step = Totp.step(Instant.now());
    mfa(access, "confirm", code(Totp.codeAt(secret, step))).statusCode(200);
    String current = code(Totp.codeAt(secret, step + 1)); // the enrolment spent its own step

    for (Refused bad :
        List.of(
            new Refused("{\"code\":", 400, "malformed-request"),
            new Refused("{}", 400, "validation-failed"),
            new Refused(code("12345"), 400, "validation-failed"),
            new Refused("{\"code\":123456}", 400, "invalid-value"),
            new Refused(current.replace("}", ",\"device\":1}"), 400, "unknown-field"),
            new Refused(code(wrong(Totp.codeAt(secret, step + 1))), 422, "invalid-mfa-code"))) {
      problem(mfa(access, "disable", bad.body()), bad.status(), bad.slug());
    }
    problem(
        given().contentType(ContentType.JSON).body(current).post("/v1/users/me/mfa/disable").then(),
        401,
        "unauthorized");
    // Only a signed-in user has a device to turn off; an API key has none.
    String key = GatewayFixtures.apiKey(t, "owner").getString("secret");
    problem(
        given()
            .header("X-API-Key", key)
            .contentType(ContentType.JSON)
            .body(current)
            .post("/v1/users/me/mfa/disable")
            .then(),
        403,
        "forbidden");
    requireMfa(t, true);
    problem(mfa(access, "disable", current), 409, "conflict");
    requireMfa(t, false);
    // Nothing above turned it off: the password alone is still not enough.
    problem(login(credentials(u[2], PASSWORD)), 401, "mfa-required");

    mfa(access, "disable", current).statusCode(204);
    assertThat(
            TestDatabase.count(
                "select count(*) from user_account where id = ?::uuid and not mfa_enabled"
                    + " and mfa_secret is null",
                u[1]))
        .isEqualTo(1);
    login(credentials(u[2], PASSWORD))
        .statusCode(200)
        .body("mfaEnrollmentRequired", equalTo(false));
    mfa(access, "disable", current).statusCode(204); // already off: nothing to do
  }

  @Test
  void aTenantRequiringMfaGivesUnenrolledUsersAnEnrolmentOnlyToken() {
    String[] u = activeUser("standard", "admin");
    UUID t = UUID.fromString(u[0]);
    requireMfa(t, true);
    String enrol =
        login(credentials(u[2], PASSWORD))
            .statusCode(200)
            .body("mfaEnrollmentRequired", equalTo(true))
            .body("refreshToken", nullValue())
            .extract()
            .path("accessToken");
    problem(given().auth().oauth2(enrol).get("/v1/api-keys").then(), 403, "forbidden");
    given().auth().oauth2(enrol).post("/v1/users/me/mfa").then().statusCode(200);
  }

  @Test
  void rolesChangeUnderRulesAndRemovedUsersCannotSignIn() {
    String[] u = activeUser("standard", "owner");
    UUID t = UUID.fromString(u[0]);
    String userPath = "/v1/users/" + u[1];
    // An admin cannot take the owner role away; the last owner cannot lose it at all.
    problem(
        given()
            .auth()
            .oauth2(TestTokens.user(t, "admin"))
            .contentType(ContentType.JSON)
            .body("{\"roles\":[\"viewer\"]}")
            .patch(userPath)
            .then(),
        403,
        "forbidden");
    problem(
        given()
            .auth()
            .oauth2(owner(t))
            .contentType(ContentType.JSON)
            .body("{\"roles\":[\"viewer\"]}")
            .patch(userPath)
            .then(),
        409,
        "conflict");
    problem(given().auth().oauth2(owner(t)).delete(userPath).then(), 409, "conflict");

    JsonPath second = invite(owner(t), "second@acme-corp.com", "owner");
    accept(second.getString("token"), PASSWORD).statusCode(200);
    try (BrokerEvents broker = BrokerEvents.on("securebase.gateway.events")) {
      given()
          .auth()
          .oauth2(owner(t))
          .contentType(ContentType.JSON)
          .body("{\"roles\":[\"support\",\"viewer\"]}")
          .patch(userPath)
          .then()
          .statusCode(200)
          .body("roles", hasSize(2));
      JsonPath tokens = login(credentials(u[2], PASSWORD)).statusCode(200).extract().jsonPath();
      given()
          .auth()
          .oauth2(owner(t))
          .delete(userPath)
          .then()
          .statusCode(200)
          .body("status", equalTo("removed"));
      problem(login(credentials(u[2], PASSWORD)), 401, "invalid-credentials");
      problem(refresh(tokens.getString("refreshToken")), 401, "invalid-refresh-token");
      List<EventEnvelope> events =
          broker.await(
              e -> u[1].equals(e.subject()) && !e.type().endsWith("audit.recorded"),
              4,
              Duration.ofSeconds(20));
      assertThat(events)
          .extracting(EventEnvelope::type)
          .contains("securebase.gateway.user.roles_changed", "securebase.gateway.user.removed");
      EventEnvelope changed =
          events.stream().filter(e -> e.type().endsWith("roles_changed")).findFirst().orElseThrow();
      assertThat(changed.data().path("previousRoles").get(0).asText()).isEqualTo("owner");
    }
  }

  @Test
  void onlyOwnersAndAdminsManageTheTeam() {
    String[] u = activeUser("standard", "viewer");
    UUID t = UUID.fromString(u[0]);
    String path = "/v1/users/" + u[1];
    for (String role : NON_ADMIN_ROLES) {
      String token = TestTokens.user(t, role);
      problem(
          given()
              .auth()
              .oauth2(token)
              .contentType(ContentType.JSON)
              .body("{\"email\":\"new@acme-corp.com\",\"roles\":[\"viewer\"]}")
              .post("/v1/users")
              .then(),
          403,
          "forbidden");
      problem(given().auth().oauth2(token).get("/v1/users").then(), 403, "forbidden");
      problem(given().auth().oauth2(token).delete(path).then(), 403, "forbidden");
    }
    // Nobody was invited or removed.
    given()
        .auth()
        .oauth2(TestTokens.user(t, "admin"))
        .get("/v1/users")
        .then()
        .statusCode(200)
        .body("$", hasSize(1))
        .body("[0].status", equalTo("active"));
  }

  @Test
  void seatsAreLimitedByTheTier() {
    // 10 seats: the tier table in Tier's OpenAPI description.
    UUID t = tenant("standard", List.of());
    for (int i = 0; i < 10; i++) {
      invite(owner(t), "seat" + i + "@acme-corp.com", "viewer");
    }
    problem(
            given()
                .auth()
                .oauth2(owner(t))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"one-too-many@acme-corp.com\",\"roles\":[\"viewer\"]}")
                .post("/v1/users")
                .then(),
            403,
            "feature-not-in-tier")
        .body("feature", equalTo("seats"))
        .body("limit", equalTo(10));
  }

  @Test
  void userEndpointsRejectBadInputAndHideOtherTenants() {
    String[] u = activeUser("standard", "viewer");
    UUID other = tenant("standard", List.of());
    String path = "/v1/users/" + u[1];
    problem(given().auth().oauth2(owner(other)).get(path).then(), 404, "not-found");
    problem(
        given()
            .auth()
            .oauth2(owner(other))
            .contentType(ContentType.JSON)
            .body("{\"roles\":[\"viewer\"]}")
            .patch(path)
            .then(),
        404,
        "not-found");
    problem(given().auth().oauth2(owner(other)).delete(path).then(), 404, "not-found");
    given()
        .auth()
        .oauth2(owner(other))
        .get("/v1/users")
        .then()
        .statusCode(200)
        .body("$", hasSize(0));
    problem(given().auth().oauth2(owner(other)).get("/v1/users/nope").then(), 404, "not-found");
    problem(
        given().auth().oauth2(TestTokens.user(UUID.fromString(u[0]), "viewer")).get(path).then(),
        403,
        "forbidden");
    String owner = owner(UUID.fromString(u[0]));
    for (Refused bad :
        List.of(
            new Refused(
                "{\"email\":\"x@acme-corp.com\",\"roles\":[\"superuser\"]}",
                400,
                "validation-failed"),
            new Refused(
                "{\"email\":\"not-an-email\",\"roles\":[\"viewer\"]}", 400, "validation-failed"),
            new Refused(
                "{\"email\":\"x@localhost.invalid\",\"roles\":[\"viewer\"]}",
                400,
                "validation-failed"),
            new Refused(
                "{\"email\":\"x@acme-corp.com\",\"roles\":\"viewer\"}", 400, "invalid-value"),
            new Refused(
                "{\"email\":\"x@acme-corp.com\",\"roles\":[\"viewer\"],\"admin\":true}",
                400,
                "unknown-field"),
            new Refused("{\"email\":", 400, "malformed-request"),
            new Refused(
                "{\"email\":\"" + "a".repeat(70_000) + "@acme-corp.com\",\"roles\":[\"viewer\"]}",
                413,
                "payload-too-large"))) {
      problem(
          given()
              .auth()
              .oauth2(owner)
              .contentType(ContentType.JSON)
              .body(bad.body())
              .post("/v1/users")
              .then(),
          bad.status(),
          bad.slug());
    }
    problem(
        given()
            .auth()
            .oauth2(owner)
            .contentType(ContentType.JSON)
            .body("{\"email\":\"" + u[2] + "\",\"roles\":[\"viewer\"]}")
            .post("/v1/users")
            .then(),
        409,
        "conflict");
    for (Refused bad :
        List.of(
            new Refused(
                "{\"apiKey\":\"sb_live_x\",\"email\":\"a@example.com\",\"password\":\"p\"}",
                400,
                "validation-failed"),
            new Refused("{}", 400, "validation-failed"),
            new Refused("{\"email\":\"a@example.com\"}", 400, "validation-failed"),
            new Refused(
                "{\"email\":\"a@example.com\",\"password\":\"x\",\"extra\":1}",
                400,
                "unknown-field"),
            new Refused("{\"email\":\"a@example.com\",\"password\":true}", 400, "invalid-value"),
            new Refused("{\"email\":", 400, "malformed-request"))) {
      problem(login(bad.body()), bad.status(), bad.slug());
    }
  }
}
