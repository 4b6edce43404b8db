package com.securebase.gateway.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** A user's membership in one tenant: roles, status, password and MFA state. */
@Entity
@Table(name = "user_account")
public class UserAccount extends PanacheEntityBase {
  public static final String INVITED = "invited";
  public static final String ACTIVE = "active";
  public static final String REMOVED = "removed";

  @Id public UUID id;

  @Column(name = "tenant_id")
  public UUID tenantId;

  public String email;

  @Column(name = "display_name")
  public String displayName;

  /** Comma-separated roles. */
  public String roles;

  public String status;

  @Column(name = "password_hash")
  public String passwordHash;

  @Column(name = "mfa_secret")
  public String mfaSecret;

  @Column(name = "mfa_enabled")
  public boolean mfaEnabled;

  @Column(name = "mfa_last_step")
  public long mfaLastStep;

  /** SHA-256 (hex) of each unused recovery code, comma-separated. */
  @Column(name = "recovery_codes")
  public String recoveryCodes;

  @Column(name = "failed_logins")
  public int failedLogins;

  @Column(name = "locked_until")
  public OffsetDateTime lockedUntil;

  @Column(name = "invite_hash")
  public byte[] inviteHash;

  @Column(name = "invite_expires_at")
  public OffsetDateTime inviteExpiresAt;

  @Column(name = "invited_by")
  public UUID invitedBy;

  @Column(name = "created_at")
  public OffsetDateTime createdAt;

  @Column(name = "activated_at")
  public OffsetDateTime activatedAt;

  @Column(name = "removed_at")
  public OffsetDateTime removedAt;

  @Column(name = "updated_at")
  public OffsetDateTime updatedAt;

  /** Starts at 1 and is bumped by each change (carried in user events). */
  public int version;

  /** An invited user; no initialisers on entity fields (see {@link Tenant}). */
  public static UserAccount invite(
      UUID tenantId, String email, String displayName, Set<String> roles, UUID invitedBy) {
    UserAccount u = new UserAccount();
    u.id = UUID.randomUUID();
    u.tenantId = tenantId;
    u.email = email;
    u.displayName = displayName;
    u.roles = String.join(",", roles);
    u.status = INVITED;
    u.recoveryCodes = "";
    u.invitedBy = invitedBy;
    u.createdAt = OffsetDateTime.now();
    u.updatedAt = u.createdAt;
    u.version = 1;
    return u;
  }

  public static Uni<List<UserAccount>> activeByEmail(String email) {
    return list("email = ?1 and status = ?2", email, ACTIVE);
  }

  public static Uni<UserAccount> byInvitation(byte[] hash) {
    return find("inviteHash = ?1 and status = ?2", hash, INVITED).firstResult();
  }

  public static Uni<Long> countOwners() {
    return count(
        "status <> ?1 and (roles = 'owner' or roles like 'owner,%' or roles like '%,owner' or roles like '%,owner,%')",
        REMOVED);
  }

  public Set<String> roleSet() {
    return roles.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(roles.split(",")));
  }

  public List<String> recoveryCodeHashes() {
    return recoveryCodes.isEmpty() ? List.of() : Arrays.asList(recoveryCodes.split(","));
  }

  public void changed() {
    updatedAt = OffsetDateTime.now();
    version++;
  }
}
