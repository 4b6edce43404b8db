package com.securebase.gateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One login's chain of refresh tokens; its id is the {@code sid} claim of the access tokens. */
@Entity
@Table(name = "session_family")
public class SessionFamily extends PanacheEntityBase {
  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String subject;
  public String kind;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  @Column(name = "revoked_at")
  public OffsetDateTime revokedAt;

  @Column(name = "revoked_reason")
  public String revokedReason;

  public boolean liveAt(OffsetDateTime now) {
    return revokedAt == null && expiresAt.isAfter(now);
  }

  public void revoke(String reason) {
    if (revokedAt == null) {
      revokedAt = OffsetDateTime.now();
      revokedReason = reason;
    }
  }
}
