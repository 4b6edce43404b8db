package com.securebase.gateway.api;

import com.securebase.gateway.persistence.UserAccount;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Request and response bodies of the users API. Never carries password or MFA material. */
public final class UserViews {
  private UserViews() {}

  public record Invite(
      @NotBlank @Email @Size(max = 320) String email,
      @Size(max = 200) String displayName,
      @NotEmpty @Size(max = 6) Set<@RoleName String> roles) {}

  public record Update(
      @Size(min = 1, max = 6) Set<@RoleName String> roles, @Size(max = 200) String displayName) {}

  public record Code(
      @NotNull @Pattern(regexp = "\\d{6}", message = "must be the 6-digit code") String code) {}

  // Nested in Invitation.
  @RegisterForReflection
  public record User(
      UUID id,
      String email,
      String displayName,
      List<String> roles,
      String status,
      boolean mfaEnabled,
      UUID invitedBy,
      OffsetDateTime createdAt,
      OffsetDateTime activatedAt,
      OffsetDateTime removedAt,
      int version) {
    static User of(UserAccount u) {
      return new User(
          u.id,
          u.email,
          u.displayName,
          List.copyOf(u.roleSet()),
          u.status,
          u.mfaEnabled,
          u.invitedBy,
          u.createdAt,
          u.activatedAt,
          u.removedAt,
          u.version);
    }
  }

  /** The invitation answer: the user plus the single-use token (shown this once). */
  // Response.created entity of UserResource.invite.
  @RegisterForReflection
  public record Invitation(User user, String token, OffsetDateTime expiresAt, String acceptPath) {}

  public record MfaEnrolment(String secret, String otpauthUri) {}

  public record RecoveryCodes(List<String> recoveryCodes) {}
}
