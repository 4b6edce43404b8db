package com.securebase.gateway.domain;

import com.securebase.gateway.persistence.RefreshToken;
import com.securebase.gateway.persistence.SessionFamily;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refresh-token families. A login starts a family; each refresh spends one token and issues the
 * next; the family ends at a fixed time ({@code refresh-lifetime} after login) however often it is
 * refreshed. Must be called inside the tenant's transaction.
 */
@ApplicationScoped
public class Sessions {
  public static final String REFRESH_PREFIX = "sb_rt_";

  @ConfigProperty(name = "securebase.auth.refresh-lifetime", defaultValue = "30d")
  Duration refreshLifetime;

  public record Issued(SessionFamily family, SecretToken refreshToken, OffsetDateTime expiresAt) {}

  public Uni<Issued> start(UUID tenantId, String subject, String kind) {
    SessionFamily family = new SessionFamily();
    family.id = UUID.randomUUID();
    family.tenantId = tenantId;
    family.subject = subject;
    family.kind = kind;
    family.createdAt = OffsetDateTime.now();
    family.expiresAt = family.createdAt.plus(refreshLifetime);
    return family.persist().chain(() -> next(family));
  }

  public Uni<Issued> next(SessionFamily family) {
    SecretToken secret = SecretToken.generate(REFRESH_PREFIX);
    RefreshToken token = new RefreshToken();
    token.id = UUID.randomUUID();
    token.tokenHash = secret.sha256();
    token.familyId = family.id;
    token.tenantId = family.tenantId;
    token.issuedAt = OffsetDateTime.now();
    token.expiresAt = family.expiresAt;
    return token.persist().replaceWith(new Issued(family, secret, family.expiresAt));
  }

  /** Revokes every live family of a subject (user removed, key revoked). */
  public Uni<Integer> revokeAll(UUID tenantId, String subject, String reason) {
    return SessionFamily.update(
        "revokedAt = ?1, revokedReason = ?2 where tenantId = ?3 and subject = ?4 and revokedAt is null",
        OffsetDateTime.now(),
        reason,
        tenantId,
        subject);
  }
}
