package com.securebase.gateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One refresh token of a family, by the SHA-256 of its value; usable once. */
@Entity
@Table(name = "refresh_token")
public class RefreshToken extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "token_hash")
  public byte[] tokenHash;

  @Column(name = "family_id")
  public UUID familyId;

  @Column(name = "tenant_id")
  public UUID tenantId;

  @Column(name = "issued_at")
  public OffsetDateTime issuedAt;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  @Column(name = "used_at")
  public OffsetDateTime usedAt;

  /** Locks the row: two concurrent refreshes with one token must not both rotate it. */
  public static Uni<RefreshToken> lockByHash(byte[] hash) {
    return find("tokenHash = ?1", (Object) hash)
        .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }
}
