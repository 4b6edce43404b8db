package com.securebase.gateway.domain;

import com.securebase.gateway.config.SigningKeys;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs the access tokens every service verifies (RS256, issuer {@code securebase}). Claims: {@code
 * tenant}, {@code sub} (user or key id), {@code groups} (roles), {@code tier}, {@code features}
 * (the tier's row of the feature matrix), {@code kind}, and {@code sid} (the session family) when
 * the token belongs to a refreshable session, so logging out can cut it off at the gateway.
 */
@ApplicationScoped
public class TokenIssuer {
  public static final String ISSUER = "securebase";
  public static final String SESSION_CLAIM = "sid";

  @Inject SigningKeys keys;

  @ConfigProperty(name = "securebase.jwt.lifetime", defaultValue = "24h")
  Duration lifetime;

  public record IssuedToken(String token, Instant expiresAt) {}

  /**
   * What a token grants.
   *
   * @param kind {@code user} or {@code apikey}
   * @param sessionId the session family, or null for a key's edge token
   * @param lifetime null for the default (24 h)
   * @param name the user's email or the key id ({@code upn})
   */
  public record Grant(
      UUID tenantId,
      String subject,
      String kind,
      Set<String> roles,
      Tier tier,
      UUID sessionId,
      Duration lifetime,
      String name) {}

  public IssuedToken issue(
      UUID tenantId, String subject, String kind, Set<String> roles, Tier tier) {
    return issue(new Grant(tenantId, subject, kind, roles, tier, null, null, subject));
  }

  public IssuedToken issue(Grant grant) {
    Instant now = Instant.now();
    Duration span = grant.lifetime() == null ? lifetime : min(grant.lifetime(), lifetime);
    Instant expiresAt = now.plus(span);
    JwtClaimsBuilder claims =
        Jwt.issuer(ISSUER)
            .subject(grant.subject())
            .upn(grant.name())
            .claim("tenant", grant.tenantId().toString())
            .claim("tier", grant.tier().code())
            .claim("features", TierFeatures.of(grant.tier()).asClaims())
            .claim("kind", grant.kind())
            .groups(grant.roles())
            .issuedAt(now)
            .expiresAt(expiresAt)
            .claim("jti", UUID.randomUUID().toString());
    if (grant.sessionId() != null) {
      claims.claim(SESSION_CLAIM, grant.sessionId().toString());
    }
    return new IssuedToken(claims.jws().keyId(keys.keyId()).sign(), expiresAt);
  }

  public Duration lifetime() {
    return lifetime;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) < 0 ? a : b;
  }
}
