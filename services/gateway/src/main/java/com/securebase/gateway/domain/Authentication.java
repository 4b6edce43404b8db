package com.securebase.gateway.domain;

import com.securebase.gateway.messaging.GatewayEvents;
import com.securebase.gateway.persistence.ApiKey;
import com.securebase.gateway.persistence.EdgeLookups;
import com.securebase.gateway.persistence.RefreshToken;
import com.securebase.gateway.persistence.SessionFamily;
import com.securebase.gateway.persistence.Tenant;
import com.securebase.gateway.persistence.UserAccount;
import com.securebase.messaging.AuditTrail;
import com.securebase.messaging.AuditTrail.Actor;
import com.securebase.problem.ProblemException;
import com.securebase.tenancy.TenantTransactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Sign-in and sessions: API key or email + password (+ TOTP or a recovery code) to an access token
 * and a refresh token; refresh with rotation and reuse detection; logout. Passwords are checked
 * outside any transaction (bcrypt is slow); the tenant is identified by one system-scope read and
 * everything after runs in that tenant's scope. Failures that must be remembered (failed attempts,
 * a reused token revoking its family) are committed before the error is answered.
 */
@ApplicationScoped
public class Authentication {
  /** Five wrong passwords in a row lock the account for 15 minutes. */
  static final int MAX_FAILED_LOGINS = 5;

  static final Duration LOCKOUT = Duration.ofMinutes(15);

  /** The only role of a token issued to a user who must enrol MFA before anything else. */
  public static final String MFA_ENROLLMENT_ROLE = "mfa_enrollment";

  @Inject EdgeLookups lookups;
  @Inject EdgeAuthenticator edge;
  @Inject TenantTransactions tx;
  @Inject Passwords passwords;
  @Inject Sessions sessions;
  @Inject TokenIssuer issuer;
  @Inject GatewayEvents events;
  @Inject AuditTrail audit;

  /** What a successful sign-in returns. Refresh fields are null for an MFA-enrolment token. */
  public record Tokens(
      String accessToken,
      Instant accessExpiresAt,
      String refreshToken,
      OffsetDateTime refreshExpiresAt,
      boolean mfaEnrollmentRequired) {}

  public record Login(
      String email, String password, String totp, String recoveryCode, UUID tenantId) {}

  /** A transaction's result: tokens, or a problem to answer once the transaction has committed. */
  private record Outcome(Tokens tokens, ProblemException problem) {
    static Outcome failed(ProblemException problem) {
      return new Outcome(null, problem);
    }

    Tokens orThrow() {
      if (problem != null) {
        throw problem;
      }
      return tokens;
    }
  }

  public Uni<Tokens> apiKey(String secret, String sourceIp) {
    return edge.apiKey(secret)
        .chain(
            found -> {
              if (found.isEmpty()) {
                return Uni.createFrom().failure(invalidCredentials());
              }
              Credentials key = found.get();
              return tx.inTenant(
                  key.tenantId(),
                  s ->
                      sessions
                          .start(key.tenantId(), key.subject(), "apikey")
                          .chain(
                              session ->
                                  audit
                                      .record(
                                          key.tenantId().toString(),
                                          new Actor("apikey", key.subject(), null),
                                          "apikey.authenticated",
                                          "apikey",
                                          key.subject(),
                                          true,
                                          sourceIp,
                                          Map.of())
                                      .replaceWith(
                                          tokens(
                                              session,
                                              new TokenIssuer.Grant(
                                                  key.tenantId(),
                                                  key.subject(),
                                                  "apikey",
                                                  key.roles(),
                                                  key.tier(),
                                                  session.family().id,
                                                  Duration.between(
                                                      Instant.now(), key.tokenExpiresAt()),
                                                  key.subject())))));
            });
  }

  public Uni<Tokens> login(Login login, String sourceIp) {
    String email = login.email().strip().toLowerCase(java.util.Locale.ROOT);
    return lookups
        .loginCandidates(email)
        .map(
            all ->
                all.stream()
                    .filter(c -> login.tenantId() == null || c.tenantId().equals(login.tenantId()))
                    .toList())
        .chain(candidates -> matching(candidates, login.password()))
        .chain(
            checked -> {
              if (checked.matched().isEmpty()) {
                return recordFailures(checked.failed(), sourceIp)
                    .chain(() -> Uni.createFrom().failure(invalidCredentials()));
              }
              if (checked.matched().size() > 1) {
                return Uni.createFrom()
                    .failure(
                        new ProblemException(
                            400,
                            "tenant-required",
                            "Tenant required",
                            "This email belongs to several tenants; say which one in tenantId",
                            Map.of(
                                "tenants",
                                checked.matched().stream()
                                    .map(c -> c.tenantId().toString())
                                    .toList())));
              }
              EdgeLookups.LoginCandidate who = checked.matched().get(0);
              return tx.inTenant(who.tenantId(), s -> signIn(who, login, sourceIp))
                  .map(Outcome::orThrow);
            });
  }

  private record Checked(
      List<EdgeLookups.LoginCandidate> matched, List<EdgeLookups.LoginCandidate> failed) {}

  /** Checks the password against each membership (almost always one), one bcrypt at a time. */
  private Uni<Checked> matching(List<EdgeLookups.LoginCandidate> candidates, String password) {
    Checked result = new Checked(new ArrayList<>(), new ArrayList<>());
    if (candidates.isEmpty()) {
      return passwords.matches(password, null).replaceWith(result); // same time as a real check
    }
    Uni<Void> chain = Uni.createFrom().voidItem();
    OffsetDateTime now = OffsetDateTime.now();
    for (EdgeLookups.LoginCandidate c : candidates) {
      boolean locked = c.lockedUntil() != null && c.lockedUntil().isAfter(now);
      chain =
          chain.chain(
              () ->
                  passwords
                      .matches(password, locked ? null : c.passwordHash())
                      .invoke(ok -> (ok ? result.matched() : result.failed()).add(c))
                      .replaceWithVoid());
    }
    return chain.replaceWith(result);
  }

  private Uni<Void> recordFailures(List<EdgeLookups.LoginCandidate> failed, String sourceIp) {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (EdgeLookups.LoginCandidate c : failed) {
      chain =
          chain.chain(
              () ->
                  tx.inTenant(
                      c.tenantId(),
                      s ->
                          UserAccount.<UserAccount>findById(c.userId())
                              .chain(u -> failedAttempt(u, "password", sourceIp))));
    }
    return chain;
  }

  private Uni<Void> failedAttempt(UserAccount u, String reason, String sourceIp) {
    if (u == null) {
      return Uni.createFrom().voidItem();
    }
    u.failedLogins++;
    if (u.failedLogins >= MAX_FAILED_LOGINS) {
      u.lockedUntil = OffsetDateTime.now().plus(LOCKOUT);
      u.failedLogins = 0;
    }
    return audit.record(
        u.tenantId.toString(),
        Actor.user(u.id.toString(), u.email),
        "user.login",
        "user",
        u.id.toString(),
        false,
        sourceIp,
        Map.of("reason", reason, "locked", u.lockedUntil != null));
  }

  private Uni<Outcome> signIn(EdgeLookups.LoginCandidate who, Login login, String sourceIp) {
    return UserAccount.<UserAccount>findById(who.userId())
        .chain(
            u ->
                Tenant.<Tenant>findById(who.tenantId())
                    .chain(
                        tenant -> {
                          if (u == null || tenant == null || !UserAccount.ACTIVE.equals(u.status)) {
                            return Uni.createFrom().item(Outcome.failed(invalidCredentials()));
                          }
                          Optional<ProblemException> mfaProblem = secondFactor(u, login);
                          if (mfaProblem.isPresent()) {
                            return failedAttempt(u, "mfa", sourceIp)
                                .replaceWith(Outcome.failed(mfaProblem.get()));
                          }
                          u.failedLogins = 0;
                          u.lockedUntil = null;
                          Tier tier = Tier.fromCode(tenant.tier);
                          Duration length = Duration.ofMinutes(tenant.sessionMinutes);
                          Uni<Void> audited =
                              audit.record(
                                  u.tenantId.toString(),
                                  Actor.user(u.id.toString(), u.email),
                                  "user.login",
                                  "user",
                                  u.id.toString(),
                                  true,
                                  sourceIp,
                                  Map.of("mfa", u.mfaEnabled));
                          if (!u.mfaEnabled && tenant.mfaRequired) {
                            TokenIssuer.IssuedToken enrol =
                                issuer.issue(
                                    new TokenIssuer.Grant(
                                        u.tenantId,
                                        u.id.toString(),
                                        "user",
                                        Set.of(MFA_ENROLLMENT_ROLE),
                                        tier,
                                        null,
                                        Duration.ofMinutes(15),
                                        u.email));
                            return audited.replaceWith(
                                new Outcome(
                                    new Tokens(enrol.token(), enrol.expiresAt(), null, null, true),
                                    null));
                          }
                          return audited
                              .chain(() -> sessions.start(u.tenantId, u.id.toString(), "user"))
                              .map(
                                  session ->
                                      new Outcome(
                                          tokens(
                                              session,
                                              new TokenIssuer.Grant(
                                                  u.tenantId,
                                                  u.id.toString(),
                                                  "user",
                                                  u.roleSet(),
                                                  tier,
                                                  session.family().id,
                                                  length,
                                                  u.email)),
                                          null));
                        }));
  }

  /** Checks the TOTP code or recovery code of a user with MFA; empty when satisfied. */
  private static Optional<ProblemException> secondFactor(UserAccount u, Login login) {
    if (!u.mfaEnabled) {
      return Optional.empty();
    }
    if (login.totp() != null) {
      OptionalLong step = Totp.verify(u.mfaSecret, login.totp(), u.mfaLastStep, Instant.now());
      if (step.isPresent()) {
        u.mfaLastStep = step.getAsLong();
        return Optional.empty();
      }
      return Optional.of(invalidCredentials());
    }
    if (login.recoveryCode() != null) {
      Optional<List<String>> remaining =
          RecoveryCodes.consume(u.recoveryCodeHashes(), login.recoveryCode());
      if (remaining.isPresent()) {
        u.recoveryCodes = String.join(",", remaining.get());
        return Optional.empty();
      }
      return Optional.of(invalidCredentials());
    }
    return Optional.of(
        new ProblemException(
            401,
            "mfa-required",
            "MFA code required",
            "This account has MFA: send the current TOTP code in totp, or a recovery code"));
  }

  /** Spends a refresh token and returns the next pair; a spent token revokes its whole family. */
  public Uni<Tokens> refresh(String refreshToken, String sourceIp) {
    return inTokensTenant(refreshToken, hash -> rotate(hash, sourceIp)).map(Outcome::orThrow);
  }

  /** Runs work on a refresh token's hash in its tenant's scope; 401 if the token is unknown. */
  private <T> Uni<T> inTokensTenant(String refreshToken, Function<byte[], Uni<T>> work) {
    if (!SecretToken.wellFormed(Sessions.REFRESH_PREFIX, refreshToken)) {
      return Uni.createFrom().failure(invalidRefreshToken());
    }
    byte[] hash = SecretToken.sha256(refreshToken);
    return lookups
        .tenantOfRefreshToken(hash)
        .chain(
            tenant ->
                tenant.isEmpty()
                    ? Uni.createFrom().failure(invalidRefreshToken())
                    : tx.inTenant(tenant.get(), s -> work.apply(hash)));
  }

  private Uni<Outcome> rotate(byte[] hash, String sourceIp) {
    return RefreshToken.lockByHash(hash)
        .chain(
            token ->
                SessionFamily.<SessionFamily>findById(token.familyId)
                    .chain(
                        family -> {
                          OffsetDateTime now = OffsetDateTime.now();
                          if (token.usedAt != null) {
                            boolean wasLive = family.revokedAt == null;
                            family.revoke("refresh token reused");
                            edge.forgetSession(family.id);
                            Uni<Void> audited =
                                wasLive
                                    ? audit.record(
                                        family.tenantId.toString(),
                                        new Actor(family.kind, family.subject, null),
                                        "session.refresh_reused",
                                        "session",
                                        family.id.toString(),
                                        false,
                                        sourceIp,
                                        Map.of("familyRevoked", true))
                                    : Uni.createFrom().voidItem();
                            return audited.replaceWith(
                                Outcome.failed(
                                    new ProblemException(
                                        401,
                                        "refresh-token-reused",
                                        "Refresh token reused",
                                        "This refresh token was already used; every token of its"
                                            + " session is now revoked. Sign in again")));
                          }
                          if (!family.liveAt(now) || !token.expiresAt.isAfter(now)) {
                            return Uni.createFrom().item(Outcome.failed(invalidRefreshToken()));
                          }
                          token.usedAt = now;
                          return grantFor(family)
                              .chain(
                                  grant -> {
                                    if (grant.isEmpty()) {
                                      family.revoke("subject no longer active");
                                      return Uni.createFrom()
                                          .item(Outcome.failed(invalidRefreshToken()));
                                    }
                                    return sessions
                                        .next(family)
                                        .map(next -> new Outcome(tokens(next, grant.get()), null));
                                  });
                        }));
  }

  /** The access grant of a family's subject as it stands now (roles or tier may have changed). */
  private Uni<Optional<TokenIssuer.Grant>> grantFor(SessionFamily family) {
    Uni<Tenant> tenant = Tenant.findById(family.tenantId);
    if ("apikey".equals(family.kind)) {
      return ApiKey.<ApiKey>findById(UUID.fromString(family.subject))
          .chain(
              key ->
                  tenant.map(
                      t ->
                          Optional.ofNullable(key)
                              .filter(k -> k.usableAt(OffsetDateTime.now()))
                              .map(
                                  k ->
                                      new TokenIssuer.Grant(
                                          k.tenantId,
                                          k.id.toString(),
                                          "apikey",
                                          Set.copyOf(k.scopeList()),
                                          Tier.fromCode(t.tier),
                                          family.id,
                                          k.expiresAt == null
                                              ? null
                                              : Duration.between(OffsetDateTime.now(), k.expiresAt),
                                          k.id.toString()))));
    }
    return UserAccount.<UserAccount>findById(UUID.fromString(family.subject))
        .chain(
            user ->
                tenant.map(
                    t ->
                        Optional.ofNullable(user)
                            .filter(u -> UserAccount.ACTIVE.equals(u.status))
                            .map(
                                u ->
                                    new TokenIssuer.Grant(
                                        u.tenantId,
                                        u.id.toString(),
                                        "user",
                                        u.roleSet(),
                                        Tier.fromCode(t.tier),
                                        family.id,
                                        Duration.ofMinutes(t.sessionMinutes),
                                        u.email))));
  }

  /** Ends the session of a refresh token (idempotent); its access tokens stop at the gateway. */
  public Uni<Void> logout(String refreshToken, String sourceIp) {
    return inTokensTenant(
        refreshToken,
        hash ->
            RefreshToken.lockByHash(hash)
                .chain(token -> SessionFamily.<SessionFamily>findById(token.familyId))
                .chain(
                    family -> {
                      edge.forgetSession(family.id);
                      if (family.revokedAt != null) {
                        return Uni.createFrom().voidItem();
                      }
                      family.revoke("logout");
                      return audit.record(
                          family.tenantId.toString(),
                          new Actor(family.kind, family.subject, null),
                          "session.logout",
                          "session",
                          family.id.toString(),
                          true,
                          sourceIp,
                          Map.of());
                    }));
  }

  private Tokens tokens(Sessions.Issued session, TokenIssuer.Grant grant) {
    TokenIssuer.IssuedToken access = issuer.issue(grant);
    return new Tokens(
        access.token(),
        access.expiresAt(),
        session.refreshToken().value(),
        session.expiresAt(),
        false);
  }

  public static ProblemException invalidCredentials() {
    return new ProblemException(
        401,
        "invalid-credentials",
        "Invalid credentials",
        "The credentials are unknown, wrong, revoked or expired");
  }

  private static ProblemException invalidRefreshToken() {
    return new ProblemException(
        401,
        "invalid-refresh-token",
        "Invalid refresh token",
        "The refresh token is unknown, expired or its session has ended");
  }
}
