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
 * The two reads authentication needs before any tenant is known: a key by the hash of its secret,
 * and a tenant's edge policy. Both run in system scope (RLS cannot filter by a tenant we are still
 * identifying); nothing else in the gateway does.
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

  public Uni<Void> touchKey(UUID keyId) {
    return transactions
        .asSystem(s -> ApiKey.update("lastUsedAt = ?1 where id = ?2", OffsetDateTime.now(), keyId))
        .replaceWithVoid();
  }

  public static TenantPolicy policyOf(Tenant t) {
    return new TenantPolicy(t.tenantId, Tier.fromCode(t.tier), IpAllowlist.parse(t.allowlist()));
  }
}
