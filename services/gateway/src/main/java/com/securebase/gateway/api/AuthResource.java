package com.securebase.gateway.api;

import com.securebase.gateway.config.SigningKeys;
import com.securebase.gateway.domain.Authentication;
import com.securebase.gateway.domain.Users;
import com.securebase.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Sign-in (API key, or email + password + TOTP), refresh with rotation, logout, invitation
 * acceptance, and the public verification keys. All public: the credentials are in the body.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthResource {
  @Inject Authentication authentication;
  @Inject Users users;
  @Inject SigningKeys keys;

  /** Either {@code apiKey}, or {@code email} and {@code password} (plus the second factor). */
  public record Authenticate(
      @Size(max = 200) String apiKey,
      @Email @Size(max = 320) String email,
      @Size(max = 200) String password,
      @Pattern(regexp = "\\d{6}", message = "must be the 6-digit code") String totp,
      @Size(max = 64) String recoveryCode,
      UUID tenantId) {}

  public record TokenResponse(
      String accessToken,
      String tokenType,
      long expiresIn,
      String refreshToken,
      Long refreshExpiresIn,
      boolean mfaEnrollmentRequired) {
    static TokenResponse of(Authentication.Tokens t) {
      return new TokenResponse(
          t.accessToken(),
          "Bearer",
          Math.max(0, Duration.between(Instant.now(), t.accessExpiresAt()).toSeconds()),
          t.refreshToken(),
          t.refreshExpiresAt() == null
              ? null
              : Math.max(
                  0, Duration.between(OffsetDateTime.now(), t.refreshExpiresAt()).toSeconds()),
          t.mfaEnrollmentRequired());
    }
  }

  public record Refresh(@NotBlank @Size(max = 200) String refreshToken) {}

  public record AcceptInvitation(
      @NotBlank @Size(max = 200) String token,
      @NotNull @Size(max = 200) String password,
      @Size(max = 200) String displayName) {}

  @POST
  @Path("/v1/auth/authenticate")
  public Uni<TokenResponse> authenticate(
      @NotNull @Valid Authenticate body, @Context HttpServerRequest request) {
    String ip = request.remoteAddress().hostAddress();
    boolean byKey = body.apiKey() != null;
    boolean byPassword = body.email() != null || body.password() != null;
    if (byKey == byPassword) {
      throw ProblemException.invalidField("apiKey", "send either apiKey, or email and password");
    }
    if (byKey) {
      if (body.apiKey().isBlank()) {
        throw ProblemException.invalidField("apiKey", "must not be blank");
      }
      return authentication.apiKey(body.apiKey(), ip).map(TokenResponse::of);
    }
    if (body.email() == null || body.password() == null) {
      throw ProblemException.invalidField(
          body.email() == null ? "email" : "password", "must not be null");
    }
    return authentication
        .login(
            new Authentication.Login(
                body.email(), body.password(), body.totp(), body.recoveryCode(), body.tenantId()),
            ip)
        .map(TokenResponse::of);
  }

  @POST
  @Path("/v1/auth/refresh")
  public Uni<TokenResponse> refresh(
      @NotNull @Valid Refresh body, @Context HttpServerRequest request) {
    return authentication
        .refresh(body.refreshToken(), request.remoteAddress().hostAddress())
        .map(TokenResponse::of);
  }

  /** Ends the refresh token's session: its refresh tokens and access tokens stop working. */
  @POST
  @Path("/v1/auth/logout")
  public Uni<Void> logout(@NotNull @Valid Refresh body, @Context HttpServerRequest request) {
    return authentication.logout(body.refreshToken(), request.remoteAddress().hostAddress());
  }

  /** Sets the invited user's password and activates the membership; then sign in as usual. */
  @POST
  @Path("/v1/auth/invitations/accept")
  public Uni<UserViews.User> acceptInvitation(
      @NotNull @Valid AcceptInvitation body, @Context HttpServerRequest request) {
    return users
        .accept(
            body.token(),
            body.password(),
            body.displayName(),
            request.remoteAddress().hostAddress())
        .map(UserViews.User::of);
  }

  @GET
  @Path("/.well-known/jwks.json")
  public Map<String, Object> jwks() {
    return keys.jwks();
  }
}
