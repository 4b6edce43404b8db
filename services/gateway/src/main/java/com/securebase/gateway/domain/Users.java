package com.securebase.gateway.domain;

import com.securebase.catalog.EventCatalog;
import com.securebase.gateway.messaging.GatewayEvents;
import com.securebase.gateway.persistence.EdgeLookups;
import com.securebase.gateway.persistence.Tenant;
import com.securebase.gateway.persistence.UserAccount;
import com.securebase.messaging.AuditTrail;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.ConflictProblem;
import com.securebase.problem.NotFoundProblem;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.Caller;
import com.securebase.tenancy.FeatureNotInTier;
import com.securebase.tenancy.Roles;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Team membership: invitations (a single-use token valid 7 days, shown once), roles, removal, and
 * the user's own TOTP enrolment. Only an owner grants or takes away {@code owner}; the last owner
 * cannot be removed or demoted. Seats are limited by the tier.
 */
@ApplicationScoped
public class Users {
  public static final String INVITATION_PREFIX = "sb_inv_";
  static final Duration INVITATION_VALIDITY = Duration.ofDays(7);

  @Inject TenantTransactions tx;
  @Inject EdgeLookups lookups;
  @Inject EdgeAuthenticator edge;
  @Inject Passwords passwords;
  @Inject Sessions sessions;
  @Inject GatewayEvents events;
  @Inject AuditTrail audit;

  public record Invited(UserAccount user, String token, OffsetDateTime expiresAt) {}

  public record Enrolment(String secret, String otpauthUri) {}

  public Uni<Invited> invite(Caller actor, String email, String displayName, Set<String> roles) {
    requireGrantable(actor, roles);
    String normalised = email.strip().toLowerCase(Locale.ROOT);
    if (!EventCatalog.isEmail(normalised)) {
      throw ProblemException.invalidField("email", "must be a deliverable email address");
    }
    SecretToken token = SecretToken.generate(INVITATION_PREFIX);
    UserAccount u =
        UserAccount.invite(actor.tenantId(), normalised, displayName, roles, actorUserId(actor));
    u.inviteHash = token.sha256();
    u.inviteExpiresAt = u.createdAt.plus(INVITATION_VALIDITY);
    return tx.inTenant(
        actor.tenantId(),
        s ->
            Tenant.<Tenant>findById(actor.tenantId())
                .chain(
                    tenant ->
                        UserAccount.count("status <> ?1", UserAccount.REMOVED)
                            .chain(
                                seats -> {
                                  Tier tier = Tier.fromCode(tenant.tier);
                                  int limit = TierFeatures.of(tier).seats();
                                  if (seats >= limit) {
                                    return Uni.createFrom()
                                        .failure(
                                            FeatureNotInTier.limitReached(
                                                "seats", tier.code(), limit));
                                  }
                                  return UserAccount.count(
                                      "email = ?1 and status <> ?2",
                                      normalised,
                                      UserAccount.REMOVED);
                                }))
                .chain(
                    existing -> {
                      if (existing > 0) {
                        return Uni.createFrom()
                            .failure(
                                new ConflictProblem(
                                    "A user with this email already belongs to the tenant"));
                      }
                      return u.<UserAccount>persist()
                          .call(() -> events.user("invited", u, null, Actor.of(actor)));
                    })
                .map(saved -> new Invited(saved, token.value(), saved.inviteExpiresAt)));
  }

  public Uni<List<UserAccount>> list(Caller actor, String status) {
    return tx.inTenant(
        actor.tenantId(),
        s ->
            status == null
                ? UserAccount.list("tenantId = ?1 order by createdAt", actor.tenantId())
                : UserAccount.list(
                    "tenantId = ?1 and status = ?2 order by createdAt", actor.tenantId(), status));
  }

  public Uni<UserAccount> get(Caller actor, UUID id) {
    return tx.inTenant(actor.tenantId(), s -> found(id));
  }

  /** Changes roles and/or display name. */
  public Uni<UserAccount> update(Caller actor, UUID id, Set<String> roles, String displayName) {
    return tx.inTenant(
        actor.tenantId(),
        s ->
            found(id)
                .call(
                    u -> {
                      if (UserAccount.REMOVED.equals(u.status)) {
                        return Uni.createFrom()
                            .failure(new ConflictProblem("The user has been removed"));
                      }
                      Set<String> before = u.roleSet();
                      boolean rolesChange = roles != null && !roles.equals(before);
                      boolean nameChange =
                          displayName != null && !displayName.equals(u.displayName);
                      if (!rolesChange && !nameChange) {
                        return Uni.createFrom().voidItem();
                      }
                      Uni<Void> allowed = Uni.createFrom().voidItem();
                      if (rolesChange) {
                        requireGrantable(actor, roles);
                        if (before.contains(Roles.OWNER) != roles.contains(Roles.OWNER)) {
                          requireOwner(actor);
                        }
                        if (before.contains(Roles.OWNER) && !roles.contains(Roles.OWNER)) {
                          allowed = notLastOwner(); // before any change: the count auto-flushes
                        }
                      }
                      return allowed.chain(
                          () -> {
                            if (nameChange) {
                              u.displayName = displayName;
                            }
                            if (rolesChange) {
                              u.roles = String.join(",", roles);
                            }
                            u.changed();
                            // The catalog has no event for a display-name change alone.
                            return rolesChange
                                ? events.user("roles_changed", u, before, Actor.of(actor))
                                : Uni.createFrom().voidItem();
                          });
                    }));
  }

  /** Removes the membership and ends its sessions (idempotent). */
  public Uni<UserAccount> remove(Caller actor, UUID id) {
    return tx.inTenant(
        actor.tenantId(),
        s ->
            found(id)
                .call(
                    u -> {
                      if (UserAccount.REMOVED.equals(u.status)) {
                        return Uni.createFrom().voidItem();
                      }
                      if (u.roleSet().contains(Roles.OWNER)) {
                        requireOwner(actor);
                      }
                      Uni<Void> allowed =
                          u.roleSet().contains(Roles.OWNER)
                              ? notLastOwner()
                              : Uni.createFrom().voidItem();
                      return allowed.chain(
                          () -> {
                            u.status = UserAccount.REMOVED;
                            u.removedAt = OffsetDateTime.now();
                            u.inviteHash = null;
                            u.changed();
                            return sessions
                                .revokeAll(u.tenantId, u.id.toString(), "user removed")
                                .chain(() -> events.user("removed", u, null, Actor.of(actor)));
                          });
                    }));
  }

  public Uni<UserAccount> accept(
      String token, String password, String displayName, String sourceIp) {
    Passwords.validate("password", password);
    if (!SecretToken.wellFormed(INVITATION_PREFIX, token)) {
      return Uni.createFrom().failure(invitationNotFound());
    }
    byte[] hash = SecretToken.sha256(token);
    return lookups
        .tenantOfInvitation(hash)
        .chain(
            tenant ->
                tenant.isEmpty()
                    ? Uni.createFrom().failure(invitationNotFound())
                    : passwords
                        .hash(password)
                        .chain(
                            passwordHash ->
                                tx.inTenant(
                                    tenant.get(),
                                    s ->
                                        UserAccount.byInvitation(hash)
                                            .onItem()
                                            .ifNull()
                                            .failWith(Users::invitationNotFound)
                                            .call(
                                                u -> {
                                                  if (u.inviteExpiresAt.isBefore(
                                                      OffsetDateTime.now())) {
                                                    return Uni.createFrom()
                                                        .failure(invitationNotFound());
                                                  }
                                                  u.status = UserAccount.ACTIVE;
                                                  u.passwordHash = passwordHash;
                                                  u.inviteHash = null;
                                                  u.inviteExpiresAt = null;
                                                  u.activatedAt = OffsetDateTime.now();
                                                  if (displayName != null) {
                                                    u.displayName = displayName;
                                                  }
                                                  u.changed();
                                                  return events.user(
                                                      "activated",
                                                      u,
                                                      null,
                                                      Actor.user(u.id.toString(), u.email));
                                                }))));
  }

  /** Starts TOTP enrolment: a new secret, pending until a code from it is confirmed. */
  public Uni<Enrolment> startMfa(Caller actor) {
    return tx.inTenant(
        actor.tenantId(),
        s ->
            self(actor)
                .map(
                    u -> {
                      if (u.mfaEnabled) {
                        throw new ConflictProblem(
                            "MFA is already enabled; disable it first to enrol a new device");
                      }
                      u.mfaSecret = Totp.newSecret();
                      u.changed();
                      return new Enrolment(u.mfaSecret, Totp.uri(u.mfaSecret, u.email));
                    }));
  }

  /** Confirms enrolment with a current code; returns the recovery codes (shown once). */
  public Uni<List<String>> confirmMfa(Caller actor, String code) {
    return tx.inTenant(
        actor.tenantId(),
        s ->
            self(actor)
                .chain(
                    u -> {
                      if (u.mfaEnabled || u.mfaSecret == null) {
                        return Uni.createFrom()
                            .failure(
                                new ConflictProblem(
                                    u.mfaEnabled
                                        ? "MFA is already enabled"
                                        : "Start enrolment first (POST /v1/users/me/mfa)"));
                      }
                      OptionalLong step = Totp.verify(u.mfaSecret, code, 0, Instant.now());
                      if (step.isEmpty()) {
                        return Uni.createFrom().failure(wrongCode());
                      }
                      RecoveryCodes.Issued issued = RecoveryCodes.issue();
                      u.mfaEnabled = true;
                      u.mfaLastStep = step.getAsLong();
                      u.recoveryCodes = String.join(",", issued.hashes());
                      u.changed();
                      return audit
                          .record(
                              u.tenantId.toString(),
                              Actor.user(u.id.toString(), u.email),
                              "user.mfa_enabled",
                              "user",
                              u.id.toString())
                          .replaceWith(issued.codes());
                    }));
  }

  /** Turns MFA off with a current code, unless the tenant requires it. */
  public Uni<Void> disableMfa(Caller actor, String code) {
    return tx.inTenant(
        actor.tenantId(),
        s ->
            self(actor)
                .chain(
                    u ->
                        Tenant.<Tenant>findById(u.tenantId)
                            .chain(
                                tenant -> {
                                  if (!u.mfaEnabled) {
                                    return Uni.createFrom().voidItem();
                                  }
                                  if (tenant.mfaRequired) {
                                    return Uni.createFrom()
                                        .failure(
                                            new ConflictProblem(
                                                "The tenant requires MFA; it cannot be disabled"));
                                  }
                                  OptionalLong step =
                                      Totp.verify(u.mfaSecret, code, u.mfaLastStep, Instant.now());
                                  if (step.isEmpty()) {
                                    return Uni.createFrom().failure(wrongCode());
                                  }
                                  u.mfaEnabled = false;
                                  u.mfaSecret = null;
                                  u.recoveryCodes = "";
                                  u.changed();
                                  return audit.record(
                                      u.tenantId.toString(),
                                      Actor.user(u.id.toString(), u.email),
                                      "user.mfa_disabled",
                                      "user",
                                      u.id.toString());
                                })));
  }

  public Uni<UserAccount> me(Caller actor) {
    return tx.inTenant(actor.tenantId(), s -> self(actor));
  }

  private static Uni<UserAccount> self(Caller actor) {
    UUID id = actorUserId(actor);
    if (id == null) {
      return Uni.createFrom()
          .failure(
              new ProblemException(
                  403, "forbidden", "Forbidden", "Only a signed-in user has a profile and MFA"));
    }
    return UserAccount.<UserAccount>findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundProblem("User", id))
        .invoke(
            u -> {
              if (!UserAccount.ACTIVE.equals(u.status)) {
                throw new NotFoundProblem("User", id);
              }
            });
  }

  private static Uni<UserAccount> found(UUID id) {
    return UserAccount.<UserAccount>findById(id)
        .onItem()
        .ifNull()
        .failWith(() -> new NotFoundProblem("User", id));
  }

  private static Uni<Void> notLastOwner() {
    return UserAccount.countOwners()
        .invoke(
            owners -> {
              if (owners <= 1) {
                throw new ConflictProblem("A tenant keeps at least one owner");
              }
            })
        .replaceWithVoid();
  }

  /** Only owners hand out {@code owner}; an admin grants any other role. */
  private static void requireGrantable(Caller actor, Set<String> roles) {
    if (roles.contains(Roles.OWNER)) {
      requireOwner(actor);
    }
  }

  private static void requireOwner(Caller actor) {
    if (!actor.hasAnyRole(Roles.OWNER)) {
      throw new ProblemException(
          403, "forbidden", "Forbidden", "Only an owner grants or removes the owner role");
    }
  }

  /** The acting user's id; null for an API key (keys invite on behalf of the tenant). */
  private static UUID actorUserId(Caller actor) {
    if (!"user".equals(actor.kind())) {
      return null;
    }
    try {
      return UUID.fromString(actor.subject());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static ProblemException invitationNotFound() {
    return new ProblemException(
        404,
        "invitation-not-found",
        "Invitation not found",
        "The invitation is unknown, already accepted or expired; ask for a new one");
  }

  private static ProblemException wrongCode() {
    return new ProblemException(
        422, "invalid-mfa-code", "Invalid code", "The code does not match; check the device clock");
  }
}
