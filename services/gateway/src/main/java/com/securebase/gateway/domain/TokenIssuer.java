package com.securebase.gateway.domain;

import com.securebase.gateway.config.SigningKeys;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Signs the access tokens every service verifies (RS256, issuer {@code securebase}). */
@ApplicationScoped
public class TokenIssuer {
  public static final String ISSUER = "securebase";

  @Inject SigningKeys keys;

  @ConfigProperty(name = "securebase.jwt.lifetime", defaultValue = "24h")
  Duration lifetime;

  public record IssuedToken(String token, Instant expiresAt) {}

  /**
   * @param kind {@code user} or {@code apikey}
   */
  public IssuedToken issue(
      UUID tenantId, String subject, String kind, Set<String> roles, Tier tier) {
    Instant now = Instant.now();
    Instant expiresAt = now.plus(lifetime);
    String token =
        Jwt.issuer(ISSUER)
            .subject(subject)
            .upn(subject)
            .claim("tenant", tenantId.toString())
            .claim("tier", tier.code())
            .claim("kind", kind)
            .groups(roles)
            .issuedAt(now)
            .expiresAt(expiresAt)
            .claim("jti", UUID.randomUUID().toString())
            .jws()
            .keyId(keys.keyId())
            .sign();
    return new IssuedToken(token, expiresAt);
  }

  public Duration lifetime() {
    return lifetime;
  }
}
