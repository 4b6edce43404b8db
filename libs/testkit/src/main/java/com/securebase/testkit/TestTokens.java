package com.securebase.testkit;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Signed JWTs shaped like the gateway's (issuer {@code securebase}, claims {@code tenant}, {@code
 * groups} = roles, {@code tier}, {@code kind}), signed with the test kit's key pair, which the test
 * resource makes services trust.
 */
public final class TestTokens {
  public static final String ISSUER = "securebase";
  private static final String PRIVATE_KEY = "securebase/testkit/test-jwt-private.pem";
  private static final String PUBLIC_KEY = "securebase/testkit/test-jwt-public.pem";

  private TestTokens() {}

  /** A user of {@code tenantId} with {@code roles}, on the standard tier. */
  public static String user(UUID tenantId, String... roles) {
    return builder(tenantId, UUID.randomUUID().toString(), roles).sign(privateKey());
  }

  /** A user with a known id, for tests that check "own" resources. */
  public static String user(UUID tenantId, UUID userId, String... roles) {
    return builder(tenantId, userId.toString(), roles).sign(privateKey());
  }

  /** Claims to adjust (tier, expiry, issuer) before {@link #sign(JwtClaimsBuilder)}. */
  public static JwtClaimsBuilder builder(UUID tenantId, String subject, String... roles) {
    Instant now = Instant.now();
    return Jwt.issuer(ISSUER)
        .subject(subject)
        .claim("tenant", tenantId.toString())
        .claim("tier", "standard")
        .claim("kind", "user")
        .groups(Set.of(roles))
        .issuedAt(now)
        .expiresAt(now.plus(Duration.ofHours(1)));
  }

  public static String sign(JwtClaimsBuilder claims) {
    return claims.sign(privateKey());
  }

  /** What a service under test needs to verify these tokens. */
  public static Map<String, String> verificationConfig() {
    // The key content, not its location: without keys configured at build time smallrye-jwt
    // generates an in-memory key pair whose content would otherwise win over a location.
    return Map.of("mp.jwt.verify.publickey", publicKeyContent(), "mp.jwt.verify.issuer", ISSUER);
  }

  private static String publicKeyContent() {
    try (var in = TestTokens.class.getClassLoader().getResourceAsStream(PUBLIC_KEY)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
          .replaceAll("-----[A-Z ]+-----", "")
          .replaceAll("\\s", "");
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("Cannot read the test kit's public key", e);
    }
  }

  private static java.security.PrivateKey privateKey() {
    try {
      return io.smallrye.jwt.util.KeyUtils.readPrivateKey(PRIVATE_KEY);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the test kit's private key", e);
    }
  }
}
