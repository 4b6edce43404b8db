package com.securebase.tenancy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.securebase.testkit.SecureBaseTestResource;
import com.securebase.testkit.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Inject;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** The memory of verified tokens never accepts what the verifier alone would refuse. */
@QuarkusTest
@WithTestResource(
    value = SecureBaseTestResource.class,
    initArgs = @ResourceArg(name = "service", value = "tenancy"))
class VerifiedTokensTest {
  @Inject JWTParser parser;
  @Inject VerifiedTokens tokens;

  @Test
  void aTokenIsVerifiedOnceAndAnsweredFromMemoryAfterwards() throws Exception {
    String token = TestTokens.user(UUID.randomUUID(), Roles.VIEWER);
    assertThat(parser.parse(token)).isSameAs(parser.parse(token));
    // The service's own authentication goes through it too.
    given().auth().oauth2(token).get("/notes").then().statusCode(200);
    assertThat(tokens.size()).isPositive();
  }

  @Test
  void aTamperedCopyOfAnAcceptedTokenIsRefused() throws Exception {
    UUID tenant = UUID.randomUUID();
    String token = TestTokens.user(tenant, Roles.VIEWER);
    parser.parse(token);
    String[] parts = token.split("\\.");
    String otherClaims = TestTokens.user(UUID.randomUUID(), Roles.OWNER).split("\\.")[1];
    String forged = parts[0] + "." + otherClaims + "." + parts[2];

    assertThatThrownBy(() -> parser.parse(forged)).isInstanceOf(ParseException.class);
    given().auth().oauth2(forged).get("/notes").then().statusCode(401);
  }

  @Test
  void anAcceptedTokenIsVerifiedAnewOnceItHasExpired() throws Exception {
    Instant expiry = Instant.now().plusSeconds(2);
    String token =
        TestTokens.sign(
            TestTokens.builder(UUID.randomUUID(), UUID.randomUUID().toString(), Roles.VIEWER)
                .expiresAt(expiry));
    JsonWebToken first = parser.parse(token);
    assertThat(parser.parse(token)).isSameAs(first);
    Thread.sleep(Math.max(0, expiry.getEpochSecond() * 1000 + 200 - System.currentTimeMillis()));

    // Past its expiry the memory no longer answers: what the verifier says (its clock-skew
    // allowance included) is the answer, as if there were no memory.
    assertThat(parser.parse(token)).isNotSameAs(first);
  }

  @Test
  void anAcceptedTokenChecksAgainstOtherKeysAnew() throws Exception {
    String token = TestTokens.user(UUID.randomUUID(), Roles.VIEWER);
    parser.parse(token);
    var otherKey = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();

    assertThatThrownBy(() -> parser.verify(token, otherKey)).isInstanceOf(ParseException.class);
  }
}
