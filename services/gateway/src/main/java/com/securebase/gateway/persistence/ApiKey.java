package com.securebase.gateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String name;

  @Column(name = "secret_hash")
  public byte[] secretHash;

  public String prefix;
  public String last4;

  /** Comma-separated roles. */
  public String scopes;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  @Column(name = "revoked_at")
  public OffsetDateTime revokedAt;

  @Column(name = "last_used_at")
  public OffsetDateTime lastUsedAt;

  @Column(name = "created_by")
  public String createdBy;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  public static Uni<ApiKey> findByHash(byte[] hash) {
    return find("secretHash", (Object) hash).firstResult();
  }

  /**
   * Names the tenant (as well as RLS enforcing it) so the (tenant_id, created_at) index serves it.
   */
  public static Uni<List<ApiKey>> listNewestFirst(UUID tenantId) {
    return list("tenantId = ?1 order by createdAt desc", tenantId);
  }

  public List<String> scopeList() {
    return List.of(scopes.split(","));
  }

  public boolean usableAt(OffsetDateTime now) {
    return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
  }
}
