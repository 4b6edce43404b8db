package com.securebase.gateway.persistence;

import com.securebase.gateway.domain.ApiKeySecret;
import com.securebase.gateway.domain.IpAllowlist;
import com.securebase.gateway.domain.TenantPolicy;
import com.securebase.gateway.domain.Tier;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The reads authentication needs before any tenant is known: a key by the hash of its secret, a
 * tenant's edge policy, the memberships of a login email, the tenant of a refresh or invitation
 * token, and whether a session is still live. They run in system scope (RLS cannot filter by a
 * tenant we are still identifying), only read, and return what identifies the tenant; every write
 * then happens in that tenant's scope.
 */
@ApplicationScoped
public class EdgeLookups {
  @Inject TenantTransactions transactions;

  public record KeyRecord(
      UUID keyId, UUID tenantId, List<String> scopes, OffsetDateTime expiresAt) {}

  /** The key if it exists and is neither revoked nor expired. */
  public Uni<Optional<KeyRecord>> keyBySecret(String secret) {
    byte[] hash = ApiKeySecret.sha256(secret);
    return transactions
        .asSystem(s -> ApiKey.findByHash(hash))
        .map(
            key ->
                Optional.ofNullable(key)
                    // The lookup matched on the hash already; compare again in constant time
                    // anyway.
                    .filter(k -> MessageDigest.isEqual(k.secretHash, hash))
                    .filter(k -> k.usableAt(OffsetDateTime.now()))
                    .map(k -> new KeyRecord(k.id, k.tenantId, k.scopeList(), k.expiresAt)));
  }

  public Uni<Optional<TenantPolicy>> policy(UUID tenantId) {
    return transactions
        .asSystem(s -> Tenant.<Tenant>findById(tenantId))
        .map(t -> Optional.ofNullable(t).map(EdgeLookups::policyOf));
  }

  /** What a login needs to check a password before choosing the tenant. */
  public record LoginCandidate(
      UUID userId, UUID tenantId, String passwordHash, OffsetDateTime lockedUntil) {}

  public Uni<List<LoginCandidate>> loginCandidates(String email) {
    return transactions
        .asSystem(s -> UserAccount.activeByEmail(email))
        .map(
            users ->
                users.stream()
                    .map(u -> new LoginCandidate(u.id, u.tenantId, u.passwordHash, u.lockedUntil))
                    .toList());
  }

  public Uni<Optional<UUID>> tenantOfRefreshToken(byte[] hash) {
    return transactions
        .asSystem(
            s -> RefreshToken.<RefreshToken>find("tokenHash = ?1", (Object) hash).firstResult())
        .map(t -> Optional.ofNullable(t).map(found -> found.tenantId));
  }

  public Uni<Optional<UUID>> tenantOfInvitation(byte[] hash) {
    return transactions
        .asSystem(s -> UserAccount.byInvitation(hash))
        .map(u -> Optional.ofNullable(u).map(found -> found.tenantId));
  }

  /** Whether a session family exists and is neither revoked nor past its end. */
  public Uni<Boolean> sessionLive(UUID familyId) {
    return transactions
        .asSystem(s -> SessionFamily.<SessionFamily>findById(familyId))
        .map(f -> f != null && f.liveAt(OffsetDateTime.now()));
  }

  public Uni<Void> touchKey(UUID keyId) {
    return transactions
        .asSystem(s -> ApiKey.update("lastUsedAt = ?1 where id = ?2", OffsetDateTime.now(), keyId))
        .replaceWithVoid();
  }

  public static TenantPolicy policyOf(Tenant t) {
    return new TenantPolicy(t.tenantId, Tier.fromCode(t.tier), IpAllowlist.parse(t.allowlist()));
  }
}
